// The settings dialog with the real Sound and MIDI pages on the real sound system (FluidSynth's drivers,
// the SoundFont lookup, the MIDI ports of a private JACK server): every control round-trips through
// QSettings (test mode) through the SettingsStore, Cancel changes nothing, Apply is enabled exactly when
// something was edited, the store announces exactly the fields that changed, once per OK/Apply, and a page
// with a problem keeps OK from saving.

#include "SettingsTestUtil.h"
#include "playback/PlaybackTestUtil.h"

#include "app/audio/StudioSoundSystem.h"
#include "ui/MainWindow.h"
#include "ui/settings/MidiPage.h"
#include "ui/settings/SettingsController.h"
#include "ui/settings/SettingsDialog.h"
#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsStore.h"
#include "ui/settings/SoundPage.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

#include <RtMidi.h>

using namespace continuo;
namespace keys = continuo::ui::settings;

namespace {
constexpr int kTimeoutMs = 20000;

struct Dialog {
    explicit Dialog(std::shared_ptr<ui::ISoundSystem> sound)
        : sound_page(new ui::SoundPage(sound))
        , midi_page(new ui::MidiPage(sound)) {
        d.addPage(sound_page);
        d.addPage(midi_page);
    }
    /// Shows the dialog (which loads) and waits for the MIDI page's port listing.
    bool open() {
        QSignalSpy listed(midi_page, &ui::MidiPage::portsListed);
        d.show();
        return midi_page->listing() ? listed.wait(kTimeoutMs) : true;
    }
    QPushButton* button(QDialogButtonBox::StandardButton b) const { return d.buttons()->button(b); }
    ui::SettingsDialog d;
    ui::SoundPage* sound_page;
    ui::MidiPage* midi_page;
};

bool selectData(QComboBox* box, const QString& data) {
    const int i = box->findData(data);
    if (i < 0) return false;
    box->setCurrentIndex(i);
    return true;
}

QString stored(const char* key) {
    return QSettings().value(key).toString();
}

/// The fields of the spy's `i`-th announcement.
ui::SettingsFields fieldsOf(const QSignalSpy& spy, int i) {
    return spy.at(i).first().value<ui::SettingsChange>().fields;
}

using F = ui::SettingsField;
} // namespace

class SettingsDialogTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<test::PrivateJack> jack_;
    std::shared_ptr<app::StudioSoundSystem> sound_;
    std::unique_ptr<test::RtReceiver> synthPort_; ///< an output the studio can play into
    std::unique_ptr<RtMidiOut> keyboard_;         ///< an input the studio can listen to

private Q_SLOTS:
    void initTestCase() {
        test::useTestSettings();
        try {
            jack_ = std::make_unique<test::PrivateJack>(dir_, "continuo-tst-settings-dialog");
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what()); // jackd2 is a test dependency (scripts/install-deps.sh)
        }
        sound_ = std::make_shared<app::StudioSoundSystem>();
        synthPort_ = std::make_unique<test::RtReceiver>("settings-synth");
        synthPort_->openVirtual("in");
        keyboard_ = std::make_unique<RtMidiOut>(RtMidi::UNIX_JACK, "settings-keyboard");
        keyboard_->openVirtualPort("out");
    }

    void cleanupTestCase() {
        keyboard_.reset();
        synthPort_.reset();
        jack_.reset();
    }

    void init() { QSettings().clear(); }

    void defaultsShownWhenNothingIsStored() {
        Dialog w(sound_);
        QVERIFY(w.open());
        QCOMPARE(w.sound_page->soundFontEdit()->text(), QString());
        QCOMPARE(w.sound_page->driverBox()->currentData().toString(), QString("auto"));
        QCOMPARE(w.sound_page->gainBox()->value(), 0.5);
        QCOMPARE(w.sound_page->gainSlider()->value(), 50);
        QCOMPARE(w.midi_page->outputBox()->currentIndex(), 0);
        QCOMPARE(w.midi_page->outputBox()->currentText(), QString("Built-in synth (FluidSynth)"));
        QCOMPARE(w.midi_page->inputBox()->currentText(), QString("None"));
        QVERIFY(!w.button(QDialogButtonBox::Apply)->isEnabled()); // loading is not editing
        // The drivers offered: automatic first, none last, FluidSynth's own between.
        QComboBox* drivers = w.sound_page->driverBox();
        QCOMPARE(drivers->itemData(0).toString(), QString("auto"));
        QCOMPARE(drivers->itemData(drivers->count() - 1).toString(), QString("none"));
        QVERIFY(drivers->findData("file") < 0);
        QVERIFY(drivers->findData("oss") < 0);
        // OK without edits changes nothing, so nothing is announced.
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        w.button(QDialogButtonBox::Ok)->click();
        QCOMPARE(changed.count(), 0);
        QVERIFY(!w.d.isVisible());
    }

    void everyControlRoundTrips() {
        const QString font = QString::fromStdString(test::testSoundFont().string());
        if (font.isEmpty()) QSKIP("no General MIDI SoundFont installed");
        const QString out = "settings-synth:in", in = "settings-keyboard:out";
        {
            Dialog w(sound_);
            QVERIFY(w.open());
            QVERIFY2(w.midi_page->outputBox()->findData(out) > 0, qPrintable(w.midi_page->status()->text()));
            QVERIFY(w.midi_page->inputBox()->findData(in) > 0);
            w.sound_page->soundFontEdit()->setText(font);
            QVERIFY(selectData(w.sound_page->driverBox(), "none"));
            w.sound_page->gainSlider()->setValue(125); // the slider drives the value box
            QCOMPARE(w.sound_page->gainBox()->value(), 1.25);
            QVERIFY(selectData(w.midi_page->outputBox(), out));
            QVERIFY(selectData(w.midi_page->inputBox(), in));
            QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
            w.button(QDialogButtonBox::Ok)->click();
            QCOMPARE(changed.count(), 1);
            QCOMPARE(fieldsOf(changed, 0), ui::sections::kSound | ui::sections::kMidi);
            const auto after = changed.first().first().value<ui::SettingsChange>().after.sound;
            QCOMPARE(after.gain, 1.25);
            QCOMPARE(after.midiInput, in.toStdString());
        }
        QCOMPARE(stored(keys::kSoundFont), font);
        QCOMPARE(stored(keys::kAudioDriver), QString("none"));
        QCOMPARE(QSettings().value(keys::kGain).toDouble(), 1.25);
        QCOMPARE(stored(keys::kMidiOutput), out);
        QCOMPARE(stored(keys::kMidiInput), in);

        Dialog again(sound_);
        QVERIFY(again.open());
        QCOMPARE(again.sound_page->soundFontEdit()->text(), font);
        QCOMPARE(again.sound_page->driverBox()->currentData().toString(), QString("none"));
        QCOMPARE(again.sound_page->gainBox()->value(), 1.25);
        QCOMPARE(again.sound_page->gainSlider()->value(), 125);
        QCOMPARE(again.midi_page->outputBox()->currentData().toString(), out);
        QCOMPARE(again.midi_page->inputBox()->currentData().toString(), in);
        QVERIFY(!again.button(QDialogButtonBox::Apply)->isEnabled());
    }

    // A port stored earlier that is not there now stays chosen (marked), instead of silently reverting.
    void absentPortIsKept() {
        QSettings().setValue(keys::kMidiOutput, "unplugged-synth:in");
        Dialog w(sound_);
        QVERIFY(w.open());
        QCOMPARE(w.midi_page->outputBox()->currentData().toString(), QString("unplugged-synth:in"));
        QVERIFY(w.midi_page->outputBox()->currentText().contains("not connected"));
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        w.button(QDialogButtonBox::Ok)->click();
        QCOMPARE(changed.count(), 0);
        QCOMPARE(stored(keys::kMidiOutput), QString("unplugged-synth:in"));
    }

    void cancelChangesNothing() {
        QSettings().setValue(keys::kGain, 0.8);
        Dialog w(sound_);
        QVERIFY(w.open());
        QCOMPARE(w.sound_page->gainBox()->value(), 0.8);
        w.sound_page->gainBox()->setValue(1.9);
        QVERIFY(selectData(w.sound_page->driverBox(), "none"));
        QVERIFY(selectData(w.midi_page->outputBox(), "settings-synth:in"));
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        w.button(QDialogButtonBox::Cancel)->click();
        QVERIFY(!w.d.isVisible());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(QSettings().value(keys::kGain).toDouble(), 0.8);
        QVERIFY(!QSettings().contains(keys::kAudioDriver));
        QVERIFY(!QSettings().contains(keys::kMidiOutput));
        // Reopened, the dialog shows what is stored, not what the controls held.
        w.d.show();
        QCOMPARE(w.sound_page->gainBox()->value(), 0.8);
        QCOMPARE(w.sound_page->driverBox()->currentData().toString(), QString("auto"));
        QCOMPARE(w.midi_page->outputBox()->currentIndex(), 0);
    }

    void applyFollowsEdits() {
        Dialog w(sound_);
        QVERIFY(w.open());
        QPushButton* apply = w.button(QDialogButtonBox::Apply);
        QVERIFY(!apply->isEnabled());
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        w.sound_page->gainBox()->setValue(0.75);
        QVERIFY(apply->isEnabled());
        apply->click();
        QVERIFY(!apply->isEnabled());
        QVERIFY(w.d.isVisible()); // Apply keeps the dialog open
        QCOMPARE(changed.count(), 1);
        QCOMPARE(fieldsOf(changed, 0), ui::SettingsFields(F::Gain));
        QCOMPARE(QSettings().value(keys::kGain).toDouble(), 0.75);

        // An edit that comes back to the saved value enables Apply, but changes no key.
        QVERIFY(selectData(w.midi_page->inputBox(), "settings-keyboard:out"));
        QVERIFY(selectData(w.midi_page->inputBox(), QString()));
        QVERIFY(apply->isEnabled());
        apply->click();
        QCOMPARE(changed.count(), 1);
        QVERIFY(!apply->isEnabled());

        // Only the key that changed.
        QVERIFY(selectData(w.sound_page->driverBox(), "none"));
        w.button(QDialogButtonBox::Ok)->click();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(fieldsOf(changed, 1), ui::SettingsFields(F::AudioDriver));
        QCOMPARE(QSettings().value(keys::kGain).toDouble(), 0.75);
    }

    // A page with a problem (a file that is not a SoundFont) keeps OK and Apply from saving and says why.
    void problemPageBlocksSaving() {
        const QString fake = dir_.filePath("notes.sf2");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("These are my notes, not a SoundFont.\n");
        f.close();
        Dialog w(sound_);
        QVERIFY(w.open());
        w.sound_page->gainBox()->setValue(1.5);
        w.sound_page->soundFontEdit()->setText(fake);
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        w.button(QDialogButtonBox::Ok)->click();
        QVERIFY(w.d.isVisible());
        QCOMPARE(changed.count(), 0);
        QVERIFY(!QSettings().contains(keys::kGain));
        QVERIFY(!w.d.problemLabel()->isHidden());
        QVERIFY2(w.d.problemLabel()->text().startsWith("Sound: "), qPrintable(w.d.problemLabel()->text()));
        QVERIFY2(w.d.problemLabel()->text().contains("notes.sf2"), qPrintable(w.d.problemLabel()->text()));
        QCOMPARE(w.d.currentPage(), w.sound_page);
        w.sound_page->soundFontEdit()->clear(); // Use default
        QVERIFY(w.d.problemLabel()->isHidden());
        w.button(QDialogButtonBox::Ok)->click();
        QVERIFY(!w.d.isVisible());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(fieldsOf(changed, 0), ui::SettingsFields(F::Gain));
    }

    // Settings… in the studio: Preferences (Ctrl+, here) opens the dialog with its pages; a change of the
    // sound fields is announced by the store and reaches the sound system (through apply).
    void studioActionOpensDialog() {
        ui::StudioServices services;
        services.sound = sound_;
        ui::MainWindow w(services);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ui::SettingsController* c = w.settings();
        QVERIFY(!c->action()->shortcuts().isEmpty());
        QVERIFY(w.findChildren<QAction*>().contains(c->action()));
        c->action()->trigger();
        ui::SettingsDialog* d = c->dialog();
        QVERIFY(d);
        QVERIFY(d->isVisible());
        QCOMPARE(d->pageCount(), 2);
        QCOMPARE(d->page(0)->title(), QString("Sound"));
        QCOMPARE(d->page(1)->title(), QString("MIDI"));
        auto* midi = static_cast<ui::MidiPage*>(d->page(1));
        QSignalSpy listed(midi, &ui::MidiPage::portsListed);
        if (midi->listing()) QVERIFY(listed.wait(kTimeoutMs)); // its JACK client is gone before the server
        QVERIFY(d->showPage("MIDI"));
        QCOMPARE(d->currentPage()->title(), QString("MIDI"));
        QCOMPARE(c->openDialog(), d); // one at a time
        QSignalSpy changed(&ui::SettingsStore::studio(), &ui::SettingsStore::changed);
        auto* page = static_cast<ui::SoundPage*>(d->page(0));
        page->gainBox()->setValue(0.6);
        d->buttons()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(fieldsOf(changed, 0), ui::SettingsFields(F::Gain));
        QVERIFY(!d->isVisible());
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QVERIFY(!c->dialog()); // deleted itself when closed
    }
};

QTEST_MAIN(SettingsDialogTest)
#include "tst_settings_dialog.moc"
