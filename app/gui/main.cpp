// continuo: the studio. Opens the MIDI file given on the command line, if any.

#include "SynthTransport.h"
#include "ui/MainWindow.h"
#ifdef CONTINUO_HAVE_MODEL
#include "model/DefaultModel.h"
#endif

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

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
    // Sound: the default SoundFont and audio device. Without either the studio still opens; the transport
    // says why and the Play button is disabled (Export WAV works whenever a SoundFont is there).
    auto transport = continuo::app::SynthTransport::createDefault();
    services.audition = std::make_shared<continuo::app::SynthAudition>(transport);
    services.transport = std::move(transport);
    continuo::ui::MainWindow window(std::move(services));
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    else
        window.offerRecovery();
    return QApplication::exec();
}
