#pragma once

#include "store/quarantine_reader.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace vigil::ui {

class QuarantineModel;

struct QuarantineQuery
{
    QStringList sources;           // empty: every source
    QString reason;                // empty: every reason
    std::optional<qint64> sinceMs; // received at or after
    int limit = 1000;
};

// What one read of the quarantine returned (on a worker, own connection).
struct QuarantinePage
{
    std::vector<QuarantinedLine> lines; // newest first, at most limit
    std::map<std::string, std::int64_t> byReason;
    std::int64_t total = 0;
    QString error;
};
QuarantinePage readQuarantine(const QString &storePath, const QuarantineQuery &query);

// The quarantined lines of a store or of one ingest: where each came from,
// why it was refused, and the raw line.
class QuarantineDialog final : public QDialog
{
    Q_OBJECT

public:
    QuarantineDialog(QString storePath, QuarantineQuery query, QWidget *parent = nullptr);

    QuarantineModel *model() const { return m_model; }
    bool isLoading() const { return m_watcher.isRunning(); }
    QString statusText() const;

Q_SIGNALS:
    void loaded();

private:
    void load();
    void showPage();
    void showSelected();

    QString m_storePath;
    QuarantineQuery m_query;
    QuarantineModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_reason = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QFutureWatcher<QuarantinePage> m_watcher;
    bool m_reloadAfter = false;
};

} // namespace vigil::ui
