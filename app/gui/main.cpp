// continuo: the studio. Opens the MIDI file given on the command line, if any.

#include "ui/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>

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

    continuo::ui::MainWindow window;
    window.show();
    // No model or player is wired yet (engine and sound issues): the studio says so in the Generate panel.
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().first());
    else
        window.offerRecovery();
    return QApplication::exec();
}
