// The detail pane: a conversation with every kind of turn, the output, the
// retrieval documents, the action and the attributes, as the page shows them.
#include "audit_test_support.h"
#include "gui_test_support.h"

#include "audit/audit_detail_view.h"
#include "audit/call_html.h"

#include "store/audit_reader.h"

#include <QPushButton>
#include <QTextBrowser>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

AuditRow stored(const std::string &requestId)
{
    AuditReader reader(auditStore().storePath);
    auto row = reader.byRequestId(requestId);
    EXPECT_TRUE(row.has_value()) << requestId;
    return row.value_or(AuditRow{});
}

TEST(AuditDetail, AChatInputIsShownTurnByTurnWithDocumentsAndTheAction)
{
    AuditDetailView view;
    view.resize(700, 900);
    view.show();
    const AuditRow row = stored("call-120"); // chat input, retrieval context, ticket_updated action
    view.showCall(row, std::nullopt);
    const CallHtml &html = view.rendered();
    EXPECT_EQ(html.turnRoles, (QStringList{QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant"),
                                           QStringLiteral("tool")}));
    EXPECT_EQ(html.documents, 2);
    EXPECT_TRUE(html.action.startsWith(QStringLiteral("ticket_updated"))) << html.action.toStdString();
    const QString text = view.browser()->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("You are the support assistant of")));
    EXPECT_TRUE(text.contains(QStringLiteral("Where is my order 120?")));
    EXPECT_TRUE(text.contains(QStringLiteral("lookup_order"))); // the assistant's tool call
    EXPECT_TRUE(text.contains(QStringLiteral("Refund policy: thirty days.")));
    EXPECT_TRUE(text.contains(QStringLiteral("document 2 · kb-0 · Shipping")));
    EXPECT_TRUE(text.contains(QStringLiteral("Orders ship in two days.")));
    EXPECT_TRUE(text.contains(QStringLiteral("\"ticket\": 120")));
    EXPECT_TRUE(text.contains(QStringLiteral("\"region\": \"eu-west-1\""))); // attributes, pretty
    // Each kind of turn has its own colour.
    QStringList colours;
    for (const QString &role : {QStringLiteral("system"), QStringLiteral("user"), QStringLiteral("assistant"), QStringLiteral("tool")}) {
        const qsizetype at = html.html.indexOf(QStringLiteral(">") + role);
        ASSERT_GE(at, 0) << role.toStdString();
        const qsizetype colourAt = html.html.lastIndexOf(QStringLiteral("border-left: 4px solid "), at);
        colours << html.html.mid(colourAt, 30);
    }
    colours.removeDuplicates();
    EXPECT_EQ(colours.size(), 4);
    EXPECT_TRUE(view.headerText().contains(QStringLiteral("call-120")));
    EXPECT_TRUE(view.sameTraceButton()->isEnabled());
    EXPECT_TRUE(view.redactionNotice().isEmpty());
}

TEST(AuditDetail, APlainInputAndAFailedCallAreSaidPlainly)
{
    AuditDetailView view;
    AuditReader reader(auditStore().storePath);
    std::optional<AuditRow> failed;
    AuditFilter f;
    f.window = {0, kNowMs + 1000};
    f.outcomes = {Outcome::Error};
    reader.forEach(f, AuditSort::TimeAsc, [&](const AuditRow &row) {
        if (row.record.inputJson.front() == '"') {
            failed = row;
            return false;
        }
        return true;
    });
    ASSERT_TRUE(failed);
    view.showCall(*failed, std::nullopt);
    EXPECT_EQ(view.rendered().turnRoles, QStringList{QStringLiteral("input")});
    EXPECT_TRUE(view.browser()->toPlainText().contains(QStringLiteral("No output: the call ended as error.")));
    EXPECT_TRUE(view.headerText().contains(QString::fromStdString(failed->record.errorType)));
}

TEST(AuditDetail, SearchMatchesAreHighlightedInEverySection)
{
    SearchQueryError error;
    const auto query = parseSearchQuery("refund OR ship*", error);
    ASSERT_TRUE(query);
    const AuditRow row = stored("call-120");
    const CallHtml html = renderCallHtml(row.record, query, QPalette());
    EXPECT_GE(html.highlighted, 2); // "Refund" and "ship" in the documents
    EXPECT_TRUE(html.html.contains(QStringLiteral(">Refund</span>")));
    EXPECT_TRUE(html.html.contains(QStringLiteral(">ship</span>")));
    int count = 0;
    EXPECT_EQ(highlightedHtml("a <b> & Refund", query, count),
              QStringLiteral("a &lt;b&gt; &amp; <span style=\"background-color:#ffd84d; color:#000000;\">Refund</span>"));
    EXPECT_EQ(count, 1);
}

} // namespace
} // namespace vigil::test
