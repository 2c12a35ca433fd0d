// GoogleTest main for the GUI tests: a QApplication on the offscreen
// platform, with settings and data folders in a temporary place so no test
// reads or writes the user's own. (It replaces test_main.cpp of
// vigil_test_support: the linker takes this main and leaves that one.)
#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // also when CTest lists the tests
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", QByteArray(home.path().toLocal8Bit() + "/config"));
    qputenv("XDG_DATA_HOME", QByteArray(home.path().toLocal8Bit() + "/data"));
    qunsetenv("VIGIL_DB");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vigil-gui-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
