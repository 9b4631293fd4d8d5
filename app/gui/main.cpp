// continuo: the studio. Opens the MIDI file given on the command line, if any.

#include "StudioSoundSystem.h"
#include "SynthTransport.h"
#include "ui/MainWindow.h"
#ifdef CONTINUO_HAVE_MODEL
#include "model/DefaultModel.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("continuo");
    QApplication::setApplicationDisplayName("Continuo");
    QApplication::setOrganizationDomain("continuo.app");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription("Continuo: sketch a melody, an LSTM continues it.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "A MIDI file to open (.mid, .midi, .kar, .rmi, .mid.gz).", "[file]");
    parser.process(app);

    continuo::ui::StudioServices services;
#ifdef CONTINUO_HAVE_MODEL
    // Only the file is read and checked here; LibTorch loads the weights at the first Generate, on the
    // engine thread. A missing or broken model leaves composer null and the panel says why.
    const continuo::model::DefaultComposer model = continuo::model::openDefaultComposer();
    services.composer = model.composer;
    services.composerProblem = model.problem;
#else
    services.composerProblem =
        "This build of Continuo has no LSTM engine (LibTorch was not found at build time).";
#endif
    // Sound as the user set it (Settings › Sound and MIDI; the defaults find a SoundFont and a device by
    // themselves). The SoundFont loads on a worker: the window appears at once, Play says "loading
    // SoundFont…" until it is ready. Without a SoundFont or device the studio still opens and says why.
    auto transport = continuo::app::SynthTransport::create(continuo::ui::readSoundSettings(QSettings()));
    services.audition = std::make_shared<continuo::app::SynthAudition>(transport);
    services.sound = std::make_shared<continuo::app::StudioSoundSystem>(transport);
    services.transport = std::move(transport);
    continuo::ui::MainWindow window(std::move(services));
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    else
        window.offerRecovery();
    return QApplication::exec();
}
