// continuo: the studio. Opens the MIDI file given on the command line, if any.

#include "ScriptedSession.h"
#include "app/audio/StudioSoundSystem.h"
#include "app/audio/SynthTransport.h"
#include "app/models/ModelWorkflow.h"
#include "music/MidiFileNames.h"
#include "ui/MainWindow.h"
#include "ui/generate/GeneratePanel.h"
#include "ui/settings/SettingsStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStatusBar>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("continuo");
    QApplication::setApplicationDisplayName("Continuo");
    QApplication::setOrganizationDomain("continuo.app");
    QApplication::setApplicationVersion("0.1.0");
    // One id with packaging/'s .desktop file and icon (Wayland matches windows to it).
    QGuiApplication::setDesktopFileName("app.continuo.Continuo");
    QApplication::setWindowIcon(
        QIcon::fromTheme("app.continuo.Continuo", QIcon(":/icons/app.continuo.Continuo.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription("Continuo: sketch a melody, an LSTM continues it.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file",
                                 QString::fromStdString("A project or a MIDI file to open (" +
                                                        continuo::music::midiExtensionsText() + ")."),
                                 "[file]");
    parser.process(app);

    // Settings as stored (a value that cannot be used is replaced by its default, and said below).
    const continuo::ui::SettingsStore::Loaded stored = continuo::ui::SettingsStore::read();
    continuo::ui::StudioServices services;
    // The active model (Settings ▸ Model): only the file is read and checked here; LibTorch loads the weights
    // at the first Generate, on the engine thread. A missing or broken file falls back to the shipped default
    // and says so; with no usable model the composer is null and the Generate panel says why.
    const continuo::app::ActiveModel model =
        continuo::app::openActive(continuo::app::ModelChoice::of(stored.settings), -1);
    services.composer = model.composer;
    services.composerProblem = model.problem;
    // Sound as the user set it (Settings › Sound and MIDI; the defaults find a SoundFont and a device by
    // themselves). The SoundFont loads on a worker: the window appears at once, Play says "loading
    // SoundFont…" until it is ready. Without a SoundFont or device the studio still opens and says why.
    auto transport = continuo::app::SynthTransport::create(stored.settings.sound);
    services.audition = std::make_shared<continuo::app::SynthAudition>(transport);
    services.sound = std::make_shared<continuo::app::StudioSoundSystem>(transport);
    services.recorder = transport; // Record takes notes from the MIDI input the transport listens to
    services.transport = std::move(transport);
    continuo::ui::MainWindow window(std::move(services));
    // Settings ▸ Model / Compute, the Model menu and retraining, applied to the running studio.
    auto* workflow = new continuo::app::ModelWorkflow(&window);
    const auto say = [&window](const QString& text) {
        window.statusBar()->showMessage(text);
        window.generatePanel()->setMessage(text);
    };
    QObject::connect(workflow, &continuo::app::ModelWorkflow::message, &window, say);
    if (!model.note.empty()) say(QString::fromStdString(model.note));
    if (!stored.problems.isEmpty()) window.statusBar()->showMessage(stored.problems.join(' '));
    // Hidden test hook (tests/studio/tst_autosave_kill.cpp): null unless CONTINUO_TEST_SCRIPT is set.
    const auto script = continuo::app::ScriptedSession::fromEnvironment(&window);
    window.show();
    const bool opening = window.startSession(parser.positionalArguments().value(0));
    if (script) script->begin(opening);
    return QApplication::exec();
}
