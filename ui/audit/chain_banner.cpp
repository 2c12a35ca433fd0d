#include "audit/chain_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace vigil::ui {

ChainBanner::ChainBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("chainBanner"));
    // The same red in both themes: this banner must never blend in.
    setStyleSheet(QStringLiteral("#chainBanner { background: #b3261e; border: 1px solid #7f1d1d; border-radius: 3px; }"
                                 "#chainBanner QLabel { color: #ffffff; }"));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(22, 22));
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("chainBannerText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_label, 1);
    hide();
}

QString ChainBanner::describe(const ChainBreak &b)
{
    QString text = tr("The audit chain is broken at %1 (%2): %3")
                       .arg(QString::fromStdString(b.what), QString::fromUtf8(tamperKindName(b.kind)),
                            QString::fromStdString(b.message));
    if (!b.requestIds.empty()) {
        QStringList ids;
        for (const std::string &id : b.requestIds)
            ids << QString::fromStdString(id);
        text += QLatin1Char(' ') + tr("First affected call: %1.").arg(ids.first());
        if (ids.size() > 1)
            text += QLatin1Char(' ') + tr("Also affected: %1.").arg(ids.mid(1, 5).join(QStringLiteral(", ")) +
                                                                   (ids.size() > 6 ? QStringLiteral(", …") : QString()));
    }
    return text + QLatin1Char(' ') + tr("Records after this point cannot be trusted as unaltered.");
}

void ChainBanner::showReport(const VerifyReport &report)
{
    if (report.ok || !report.firstBreak) {
        m_label->clear();
        hide();
        return;
    }
    m_label->setText(QStringLiteral("<b>%1</b>").arg(describe(*report.firstBreak).toHtmlEscaped()));
    show();
}

QString ChainBanner::message() const
{
    return isHidden() ? QString() : m_label->text();
}

} // namespace vigil::ui
