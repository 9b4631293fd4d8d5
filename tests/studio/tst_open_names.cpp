// The studio offers and takes every MIDI file name core/music knows (issue 20, item 4): the Open dialog's
// filter and the drop target kept their own lists, and both missed .midi.gz, which the corpus scan and
// the CLI read.

#include "music/MidiFileNames.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QMimeData>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace continuo;

class TestOpenNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void openDialogOffersEveryMidiName() {
        ui::MainWindow w;
        w.show();
        QAction* open = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->text() == "&Open…") open = a;
        QVERIFY(open);
        QStringList filters;
        QTimer poll;
        // The dialog runs its own event loop: read its filters from inside it, then close it.
        connect(&poll, &QTimer::timeout, this, [&] {
            if (auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
                filters = dialog->nameFilters();
                dialog->reject();
            }
        });
        poll.start(10);
        open->trigger();
        poll.stop();
        QVERIFY(!filters.isEmpty());
        const QString first = filters.front();
        QVERIFY2(first.contains("*.continuo"), qPrintable(first));
        for (std::string_view ext : music::kMidiFileExtensions) {
            const QString e = QString::fromUtf8(ext.data(), qsizetype(ext.size()));
            QVERIFY2(first.contains(QRegularExpression("[( ]\\*" + QRegularExpression::escape(e) + "[ )]")),
                     qPrintable(e + " missing from " + first));
        }
        QVERIFY2(first.contains("*.MID "), qPrintable(first));
    }

    void dropTakesEveryMidiName_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("taken");
        for (std::string_view ext : music::kMidiFileExtensions) {
            const QString e = QString::fromUtf8(ext.data(), qsizetype(ext.size()));
            QTest::newRow(qPrintable(e)) << "song" + e << true;
            QTest::newRow(qPrintable(e.toUpper())) << "SONG" + e.toUpper() << true;
        }
        QTest::newRow("project") << "song.continuo" << true;
        QTest::newRow("text") << "notes.txt" << false;
        QTest::newRow("gzip of something else") << "notes.txt.gz" << false;
    }
    void dropTakesEveryMidiName() {
        QFETCH(QString, name);
        QFETCH(bool, taken);
        ui::MainWindow w;
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile("/tmp/somewhere/" + name)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(&w, &enter);
        QCOMPARE(enter.isAccepted(), taken);
    }
};

QTEST_MAIN(TestOpenNames)
#include "tst_open_names.moc"
