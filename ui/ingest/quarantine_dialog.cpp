#include "ingest/quarantine_dialog.h"

#include "models/quarantine_model.h"
#include "util/format.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <algorithm>

namespace vigil::ui {

QuarantinePage readQuarantine(const QString &storePath, const QuarantineQuery &query)
{
    QuarantinePage page;
    try {
        QuarantineReader reader(storePath.toStdString());
        QuarantineReader::Filter filter;
        if (!query.reason.isEmpty())
            filter.reason = query.reason.toStdString();
        if (query.sinceMs)
            filter.sinceMs = *query.sinceMs;
        filter.limit = query.limit;
        const QStringList sources = query.sources.isEmpty() ? QStringList{QString()} : query.sources;
        for (const QString &source : sources) {
            filter.source = source.isEmpty() ? std::nullopt : std::optional<std::string>(source.toStdString());
            auto lines = reader.list(filter);
            page.lines.insert(page.lines.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
            page.total += reader.count(filter);
            QuarantineReader::Filter all = filter;
            all.reason.reset();
            for (const auto &[reason, count] : reader.countByReason(all))
                page.byReason[reason] += count;
        }
        std::sort(page.lines.begin(), page.lines.end(),
                  [](const QuarantinedLine &a, const QuarantinedLine &b) { return a.id > b.id; });
        if (page.lines.size() > static_cast<std::size_t>(query.limit))
            page.lines.resize(static_cast<std::size_t>(query.limit));
    } catch (const std::exception &e) {
        page.error = QString::fromUtf8(e.what());
    }
    return page;
}

QuarantineDialog::QuarantineDialog(QString storePath, QuarantineQuery query, QWidget *parent)
    : QDialog(parent), m_storePath(std::move(storePath)), m_query(std::move(query))
{
    setObjectName(QStringLiteral("quarantineDialog"));
    setWindowTitle(m_query.sources.size() == 1 ? tr("Quarantined lines of %1").arg(m_query.sources.front())
                                               : tr("Quarantined lines"));
    m_model = new QuarantineModel(this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_reason = new QComboBox(this);
    m_reason->addItem(tr("All reasons"), QString());
    if (!m_query.reason.isEmpty())
        m_reason->addItem(m_query.reason, m_query.reason);
    m_reason->setCurrentIndex(m_reason->count() - 1);
    m_status = new QLabel(tr("Loading…"), this);
    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setPlaceholderText(tr("Select a line to see it as it arrived."));
    m_raw->setFont(QFont(QStringLiteral("monospace")));

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Reason:"), this));
    top->addWidget(m_reason);
    top->addStretch();
    top->addWidget(m_status);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_raw);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(900, 560);

    connect(m_reason, &QComboBox::activated, this, [this] {
        m_query.reason = m_reason->currentData().toString();
        load();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &QuarantineDialog::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { m_raw->clear(); });
    connect(&m_watcher, &QFutureWatcher<QuarantinePage>::finished, this, &QuarantineDialog::showPage);
    load();
}

void QuarantineDialog::load()
{
    if (m_watcher.isRunning()) {
        m_reloadAfter = true; // one read at a time; the newest choice is read next
        return;
    }
    m_status->setText(tr("Loading…"));
    m_watcher.setFuture(QtConcurrent::run(readQuarantine, m_storePath, m_query));
}

void QuarantineDialog::showPage()
{
    if (m_reloadAfter) {
        m_reloadAfter = false;
        load();
        return;
    }
    QuarantinePage page = m_watcher.result();
    if (!page.error.isEmpty()) {
        m_status->setText(page.error);
        Q_EMIT loaded();
        return;
    }
    const QString chosen = m_reason->currentData().toString();
    m_reason->clear();
    m_reason->addItem(tr("All reasons"), QString());
    for (const auto &[reason, count] : page.byReason)
        m_reason->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(reason), formatCount(count)),
                          QString::fromStdString(reason));
    m_reason->setCurrentIndex(std::max(0, m_reason->findData(chosen)));
    m_status->setText(page.total > static_cast<std::int64_t>(page.lines.size())
                          ? tr("newest %1 of %2 lines").arg(formatCount(static_cast<long long>(page.lines.size())), formatCount(page.total))
                          : tr("%1 lines").arg(formatCount(page.total)));
    m_model->setLines(std::move(page.lines));
    m_view->resizeColumnsToContents();
    Q_EMIT loaded();
}

void QuarantineDialog::showSelected()
{
    const QuarantinedLine *q = m_model->lineAt(m_view->currentIndex().row());
    if (!q) {
        m_raw->clear();
        return;
    }
    QString text = QStringLiteral("%1, line %2, byte %3\n%4: %5\n\n")
                       .arg(QString::fromStdString(q->source), q->line ? QString::number(*q->line) : QStringLiteral("?"),
                            q->byteOffset ? QString::number(*q->byteOffset) : QStringLiteral("?"),
                            QString::fromStdString(q->reason), QString::fromStdString(q->detail));
    text += QString::fromUtf8(q->raw.data(), static_cast<qsizetype>(q->raw.size()));
    if (q->rawSize > static_cast<std::int64_t>(q->raw.size()))
        text += tr("\n… (%1 bytes in all; the first %2 are kept)").arg(q->rawSize).arg(q->raw.size());
    m_raw->setPlainText(text);
}

QString QuarantineDialog::statusText() const
{
    return m_status->text();
}

} // namespace vigil::ui
