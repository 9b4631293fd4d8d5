// Not a test: shows the retraining dialog on a real folder so a person (or a screenshot under Xvfb) can look
// at it. Saves the dialog's own grabs of the scan, a run in progress and the done state into OUT_DIR.
//     retrain_shots MUSIC_DIR OUT_DIR [EPOCHS]
// It uses test-mode standard paths (never the user's settings or models) and the tiny preset.

#include "app/training/TrainingBackend.h"
#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/TrainingController.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>

#include <cstdio>

using namespace continuo::ui::retrain;

int main(int argc, char** argv) {
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName("continuo-retrain-shots");
    if (argc < 3) {
        std::fprintf(stderr, "usage: retrain_shots MUSIC_DIR OUT_DIR [EPOCHS]\n");
        return 2;
    }
    const QString music = argv[1], out = argv[2];
    const int epochs = argc > 3 ? std::atoi(argv[3]) : 8;
    QSettings().remove("retrain/pending");
    QTemporaryDir cache;
    TrainingController controller(
        std::make_shared<continuo::app::TrainingBackend>(cache.path().toStdString()));
    RetrainDialog dialog(&controller, {});
    auto* preset = dialog.findChild<QComboBox*>("presetCombo");
    preset->setCurrentIndex(preset->findData("tiny"));
    dialog.findChild<QSpinBox*>("epochsSpin")->setValue(epochs);
    dialog.findChild<QToolButton*>("advancedToggle")->setChecked(true);
    dialog.findChild<QSpinBox*>("transposeLowSpin")->setValue(0);
    dialog.findChild<QSpinBox*>("transposeHighSpin")->setValue(0);
    dialog.show();
    auto save = [&](const char* name) { dialog.grab().save(QDir(out).filePath(name)); };
    QObject::connect(&controller, &TrainingController::estimated, &dialog, [&] {
        dialog.findChild<QToolButton*>("showSkipped")->setChecked(true);
        QTimer::singleShot(300, &dialog, [&] {
            save("retrain-scan.png");
            dialog.findChild<QToolButton*>("showSkipped")->setChecked(false);
            dialog.findChild<QToolButton*>("advancedToggle")->setChecked(false);
            controller.start(dialog.currentSetup());
        });
    });
    QObject::connect(&controller, &TrainingController::epochFinished, &dialog, [&](int epoch) {
        if (epoch == epochs / 2) QTimer::singleShot(200, &dialog, [&] { save("retrain-running.png"); });
    });
    QObject::connect(&controller, &TrainingController::trainingFinished, &dialog, [&] {
        QTimer::singleShot(300, &dialog, [&] {
            save("retrain-done.png");
            QTimer::singleShot(qEnvironmentVariableIntValue("RETRAIN_SHOTS_LINGER") * 1000, &app,
                               &QApplication::quit);
        });
    });
    QObject::connect(&controller, &TrainingController::scanFinished, &dialog, [&](const ScanReport& r) {
        if (r.filesUsable > 0) return;
        QTimer::singleShot(300, &dialog, [&] {
            save("retrain-nothing-usable.png");
            app.quit();
        });
    });
    QObject::connect(&controller, &TrainingController::failed, &dialog, [&](int, const QString& m) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(m));
        save("retrain-failed.png");
    });
    dialog.setFolder(music);
    return app.exec();
}
