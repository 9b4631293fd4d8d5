// Not a test: opens the studio with its real sound system and the Settings dialog on a page, for looking at
// it (screenshots under Xvfb). Usage: show_settings [Sound|MIDI|Model|Compute] [seconds] [SOUNDFONT]
// (default: Sound, 30 s); with SOUNDFONT, the Sound page gets that file and its Test note is started.
// Uses test-mode settings, so the user's own settings are neither read nor written.

#include "app/audio/StudioSoundSystem.h"
#ifdef CONTINUO_SHOW_MODEL_PAGES
#include "app/models/ModelWorkflow.h"
#endif
#include "app/audio/SynthTransport.h"
#include "ui/MainWindow.h"
#include "ui/settings/SettingsController.h"
#include "ui/settings/SettingsDialog.h"
#include "ui/settings/SettingsStore.h"
#include "ui/settings/SoundPage.h"

#include <QApplication>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationDomain("continuo.app");
    QApplication::setApplicationName("continuo-show-settings");
    const QString page = argc > 1 ? QString(argv[1]) : QString("Sound");
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;

    using namespace continuo;
    auto transport = app::SynthTransport::create(ui::SettingsStore::read().settings.sound);
    ui::StudioServices services;
    services.transport = transport;
    services.audition = std::make_shared<app::SynthAudition>(transport);
    services.sound = std::make_shared<app::StudioSoundSystem>(transport);
    ui::MainWindow window(services);
#ifdef CONTINUO_SHOW_MODEL_PAGES
    new app::ModelWorkflow(&window); // the Model and Compute pages, as main() wires them
#endif
    window.show();
    const QString font = argc > 3 ? QString(argv[3]) : QString();
    QTimer::singleShot(300, &window, [&] {
        ui::SettingsDialog* d = window.settings()->openDialog();
        d->showPage(page);
        if (auto* sound = qobject_cast<ui::SoundPage*>(d->page(0)); sound && !font.isEmpty()) {
            sound->soundFontEdit()->setText(font);
            sound->playTestNote();
        }
    });
    QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    return QApplication::exec();
}
