#pragma once

#include "charts/chart_marker.h"
#include "pages/page.h"
#include "prompts/prompt_jobs.h"
#include "query/latest_query.h"

#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QTableView;

namespace vigil::ui {

class NoticeLabel;
class PromptListModel;
class PromptMarkers;
class PromptSwitchDialog;
class PromptWorker;
class SideBySideView;
class VersionHistoryModel;

// The prompts of the configured repository, each with its active version;
// the selected prompt's versions with their live figures over the chosen
// range; a side-by-side diff of two versions (or of one against the active
// one); and activate / roll back behind a confirm dialog that shows the diff
// and asks why. Git and the store are only ever read on the prompts worker.
class PromptsPage final : public Page
{
    Q_OBJECT

public:
    explicit PromptsPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~PromptsPage() override;

    QString pageId() const override { return QStringLiteral("prompts"); }
    QString title() const override { return tr("Prompts"); }
    QIcon icon() const override;
    bool isLoading() const override;

    // --repo: wins over everything else until the window closes.
    void setRepositoryOverride(const QString &path);
    // --config: read instead of ./vigil.toml for [prompts].
    void setConfigFile(const QString &path);
    // Prompts > Choose prompts repository… / deploy folder…: remembered for this store.
    void useRepository(const QString &path);
    void useDeployFolder(const QString &path);
    void chooseRepository();  // a folder dialog
    void chooseDeployFolder();
    // The page's menu ("Prompts"), for the main window's menu bar.
    QMenu *menu() const { return m_menu; }
    PromptMarkers *markers() const { return m_markers; }

    void selectPrompt(const QString &name);
    QString selectedPrompt() const;
    // Rows of the history table to select (by full SHA); the diff follows.
    void selectVersions(const QStringList &shas);
    // Shows the text of one version (Enter on a version).
    void showVersionText(const QString &sha);
    // Plans the switch on the worker, then opens the confirm dialog (or shows why not).
    void requestActivate(const QString &name, const QString &spec);
    void requestRollback(const QString &name);
    // Checks the repository for new commits and the store for switches made elsewhere.
    void pollRepository();

    // What is shown, for tests and screenshots.
    const PromptListModel &promptModel() const { return *m_promptModel; }
    const VersionHistoryModel &historyModel() const { return *m_historyModel; }
    QTableView *promptTable() const { return m_promptTable; }
    QTableView *versionTable() const { return m_versionTable; }
    SideBySideView *diffView() const { return m_diffView; }
    const DiffSnapshot *diff() const { return m_diff.get(); }
    QString diffTitle() const;
    QString noticeText() const;
    bool noticeIsError() const;
    QString activeLine() const;
    QString locationLine() const;
    // The before/after panel of the latest activation (empty when none).
    QString impactText() const;
    static constexpr int kImpactMinutes = 15;
    PromptSwitchDialog *switchDialog() const;
    QPushButton *activateButton() const { return m_activateButton; }
    QPushButton *rollbackButton() const { return m_rollbackButton; }
    QLineEdit *versionEdit() const { return m_versionEdit; }
    QAction *rollbackAction() const { return m_rollbackAction; }

    static constexpr int kPollMs = 5000;

Q_SIGNALS:
    void switchDialogShown(vigil::ui::PromptSwitchDialog *dialog);
    void switched(const QString &name, const QString &sha);
    void switchFailed(const QString &message);
    void markersChanged(const QList<vigil::ui::ChartMarker> &markers);

protected:
    void refresh() override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildActions();
    void reconfigure();
    void loadList(bool reloadHistory);
    void applyList(std::shared_ptr<const PromptListSnapshot> snapshot, bool reloadHistory);
    void loadHistory();
    void applyHistory(std::shared_ptr<const HistorySnapshot> snapshot);
    void loadImpact(const HistorySnapshot &history);
    void onPromptSelected();
    void onVersionsSelected();
    void loadDiff(const std::string &oldSha, const std::string &newSha);
    void openDialog(const SwitchPlan &plan);
    QString figuresFor(const SwitchPlan &plan) const;
    void runSwitch(const SwitchPlan &plan, const QString &reason);
    void updateHeader();
    void updateActions();
    void failSwitch(const QString &message);
    void clearPrompts();
    bool refuseWhenReadOnly();

    PromptWorker *m_worker = nullptr;
    PromptMarkers *m_markers = nullptr;
    PromptListModel *m_promptModel = nullptr;
    VersionHistoryModel *m_historyModel = nullptr;

    QLabel *m_location = nullptr;
    QPushButton *m_chooseRepoButton = nullptr;
    NoticeLabel *m_notice = nullptr;
    QSplitter *m_vertical = nullptr;
    QTableView *m_promptTable = nullptr;
    QLabel *m_activeLine = nullptr;
    QLabel *m_impact = nullptr; // before/after the latest activation
    QTableView *m_versionTable = nullptr;
    QLineEdit *m_versionEdit = nullptr;
    QPushButton *m_activateButton = nullptr;
    QPushButton *m_rollbackButton = nullptr;
    QLabel *m_diffTitle = nullptr;
    SideBySideView *m_diffView = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_chooseRepoAction = nullptr;
    QAction *m_chooseDeployAction = nullptr;
    QAction *m_rollbackAction = nullptr;
    QAction *m_activateAction = nullptr;
    QPointer<PromptSwitchDialog> m_dialog;

    LatestQuery m_listQuery;
    LatestQuery m_historyQuery;
    LatestQuery m_diffQuery;
    LatestQuery m_planQuery;
    LatestQuery m_switchQuery;
    LatestQuery m_impactQuery;
    std::shared_ptr<const DiffSnapshot> m_diff;
    std::string m_diffActiveSha; // the active version when the diff's labels were written
    bool m_selectActiveNext = false;
    std::string m_selected;        // the prompt shown
    std::string m_wantedSelection; // asked for before the list arrived
    QString m_repoOverride;
    QString m_configFile = QStringLiteral("vigil.toml");
    bool m_repositoryUnreadable = false;
    QTimer m_pollTimer;
};

} // namespace vigil::ui
