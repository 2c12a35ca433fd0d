// Sends GenAI spans to Vigil through the real OpenTelemetry JS SDK exporter
// (protobuf or JSON, optionally gzip), the way an instrumented service does.
// Prints one JSON line: what was sent and whether the exporter succeeded.
//
//   node send_spans.mjs --url http://127.0.0.1:4318/v1/traces --protocol proto|json
//        [--token T] [--gzip] [--count N] [--start-ms MS] [--tenant T] [--convention NAME]
//        [--seed N] [--timeout-ms MS]
//
// Times are whole nanoseconds computed with integers (BigInt), so the latency
// Vigil stores (end - start) is exactly the latency_ms printed here.
import { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SpanStatusCode } from '@opentelemetry/api';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const count = Number(args.count ?? 20);
const startMs = Number(args['start-ms'] ?? Date.now() - 60_000);
const convention = args.convention ?? 'genai';

// A small deterministic generator, so a run can be repeated.
let seed = Number(args.seed ?? 7);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const memory = new InMemorySpanExporter();
const resourceAttributes = { 'service.name': 'checkout-assistant' };
if (args.tenant) resourceAttributes['tenant.id'] = args.tenant;
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes(resourceAttributes),
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('vigil-test', '1.0.0');

const hrFromNanos = (ns) => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
const sent = [];
for (let i = 0; i < count; i++) {
  const start = startMs + i * 1000 + Math.floor(random() * 500);
  const latencyUs = Math.round((50 + random() * 3000) * 1000); // microsecond precision
  const latencyMs = latencyUs / 1000;
  const startNs = BigInt(start) * 1_000_000n;
  const endNs = startNs + BigInt(latencyUs) * 1000n;
  const failed = i % 7 === 3;
  const model = i % 2 ? 'gpt-4o-mini-2024-07-18' : 'claude-3-5-sonnet-20241022';
  const attributes = {};
  if (convention === 'genai') {
    Object.assign(attributes, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': i % 2 ? 'openai' : 'anthropic',
      'gen_ai.request.model': model,
      'gen_ai.response.model': model,
      'gen_ai.usage.input_tokens': 100 + i,
      'gen_ai.usage.output_tokens': 20 + i,
      'gen_ai.prompt.name': 'summarize',
      'gen_ai.prompt.version': '3f9c2ab',
      'gen_ai.conversation.id': 'conv-' + (i % 3),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Question ' + i }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Answer ' + i }], finish_reason: 'stop' }]),
    });
    if (failed) attributes['error.type'] = 'rate_limit';
  } else if (convention === 'openinference') {
    Object.assign(attributes, {
      'openinference.span.kind': 'LLM',
      'llm.model_name': model,
      'llm.provider': i % 2 ? 'openai' : 'anthropic',
      'llm.token_count.prompt': 100 + i,
      'llm.token_count.completion': 20 + i,
      'llm.prompt_template.version': 'v' + (i % 2),
      'input.value': 'Question ' + i,
      'output.value': 'Answer ' + i,
      'session.id': 'sess-' + i,
      'user.id': 'user-' + i,
    });
  }
  const span = tracer.startSpan('chat ' + model, { startTime: hrFromNanos(startNs), attributes });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream said no' });
  span.end(hrFromNanos(endNs));
  sent.push({ span_id: span.spanContext().spanId, trace_id: span.spanContext().traceId, latency_ms: latencyMs, model, failed });
}
// A span that is not an LLM call: skipped by Vigil, not an error.
const dbStart = BigInt(startMs) * 1_000_000n;
tracer.startSpan('db.query', { startTime: hrFromNanos(dbStart), attributes: { 'db.system': 'postgresql' } })
  .end(hrFromNanos(dbStart + 5_000_000n));

const options = { url: args.url, headers: {} };
if (args.token) options.headers.Authorization = 'Bearer ' + args.token;
if (args.gzip === 'true') options.compression = 'gzip';
if (args['timeout-ms']) options.timeoutMillis = Number(args['timeout-ms']);
const exporter = args.protocol === 'json' ? new JsonExporter(options) : new ProtoExporter(options);
const result = await new Promise((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
await exporter.shutdown();
await provider.shutdown();
console.log(JSON.stringify({ code: result.code, error: result.error ? String(result.error.message ?? result.error) : null, sent }));
process.exit(0);
