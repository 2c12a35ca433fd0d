#pragma once

#include "store/chain_verifier.h"

#include <QFrame>

class QLabel;

namespace vigil::ui {

// The red banner across the top of the Audit page while the store's hash
// chain does not hold: where it first breaks, the kind of damage and the
// calls affected. Hidden while the chain holds (or was not checked yet).
class ChainBanner final : public QFrame
{
    Q_OBJECT

public:
    explicit ChainBanner(QWidget *parent = nullptr);

    void showReport(const VerifyReport &report); // hides itself when the chain holds
    QString message() const;                     // empty while hidden

    static QString describe(const ChainBreak &chainBreak);

private:
    QLabel *m_label = nullptr;
};

} // namespace vigil::ui
