// The settings as a typed value (ui::StudioSettings) and the store that keeps them in QSettings (test mode):
// defaults when nothing is stored, a save → read round trip of every field, exactly the changed fields
// announced once per save (nothing for a save that changes nothing), a settings file as the earlier
// versions wrote it still loads, and values that cannot be used (gain 99, device "gpu", threads "many")
// are replaced with a sentence saying so, and rewritten on the next save.

#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsStore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QThread>
#include <QtTest>

using namespace continuo;
namespace keys = continuo::ui::settings;
using F = ui::SettingsField;

namespace {
/// Every field away from its default.
ui::StudioSettings everyFieldSet() {
    ui::StudioSettings s;
    s.sound.soundFont = "/music/fonts/Grand Piano.sf2";
    s.sound.audioDriver = "jack";
    s.sound.gain = 1.25;
    s.sound.midiOutput = "Qsynth:in";
    s.sound.midiInput = "Keystation 49:out";
    s.model.activeModel = "/home/me/models/reels.cmodel";
    s.compute.device = "cpu";
    s.compute.threads = 1;
    s.retrain.pendingRun = R"({"setup":{"name":"reels"},"epochsDone":2})";
    s.retrain.lastFolder = "/home/me/midi/reels";
    return s;
}

ui::SettingsFields fieldsOf(const QSignalSpy& spy, int i) {
    return spy.at(i).first().value<ui::SettingsChange>().fields;
}
} // namespace

class SettingsStoreTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationDomain("continuo.app");
        QCoreApplication::setApplicationName("continuo-settings-store-test");
        QVERIFY2(QSettings().fileName().contains("/.qttest/"), qPrintable(QSettings().fileName()));
    }

    void init() {
        QSettings s;
        s.clear();
        s.sync();
    }

    void defaultsWhenNothingIsStored() {
        const ui::SettingsStore::Loaded r = ui::SettingsStore::read();
        QVERIFY(r.problems.isEmpty());
        QVERIFY(!r.replaced);
        QVERIFY(r.settings == ui::StudioSettings{});
        QCOMPARE(r.settings.sound.audioDriver, std::string("auto"));
        QCOMPARE(r.settings.sound.gain, 0.5);
        QCOMPARE(r.settings.compute.device, QString("auto"));
        QCOMPARE(r.settings.compute.threads, 0);
        QVERIFY(r.settings.model.activeModel.isEmpty());
        // Saving the defaults over nothing stored changes nothing, writes nothing, announces nothing.
        ui::SettingsStore store;
        QSignalSpy changed(&store, &ui::SettingsStore::changed);
        QVERIFY(!store.save(ui::StudioSettings{}).fields);
        QCOMPARE(changed.count(), 0);
        QVERIFY(QSettings().allKeys().isEmpty());
    }

    void everyFieldRoundTripsUnderItsKey() {
        ui::SettingsStore store;
        const ui::StudioSettings s = everyFieldSet();
        QStringList problems{"stale"};
        store.save(s, &problems);
        QVERIFY(problems.isEmpty());
        QVERIFY(store.current() == s);
        // On disk: the keys earlier versions used, so a downgrade reads them too.
        const QSettings q;
        QCOMPARE(q.value(keys::kSoundFont).toString(), QString("/music/fonts/Grand Piano.sf2"));
        QCOMPARE(q.value(keys::kAudioDriver).toString(), QString("jack"));
        QCOMPARE(q.value(keys::kGain).toDouble(), 1.25);
        QCOMPARE(q.value(keys::kMidiOutput).toString(), QString("Qsynth:in"));
        QCOMPARE(q.value(keys::kMidiInput).toString(), QString("Keystation 49:out"));
        QCOMPARE(q.value(keys::kActiveModel).toString(), s.model.activeModel);
        QCOMPARE(q.value(keys::kComputeDevice).toString(), QString("cpu"));
        QCOMPARE(q.value(keys::kCpuThreads).toInt(), 1);
        QCOMPARE(q.value(keys::kPendingTraining).toString(), s.retrain.pendingRun);
        QCOMPARE(q.value(keys::kLastTrainingFolder).toString(), s.retrain.lastFolder);
        // No pending run is no key, as the training controller always left it.
        store.setPendingRun({});
        QVERIFY(!QSettings().contains(keys::kPendingTraining));
        QVERIFY(store.current().retrain.pendingRun.isEmpty());
    }

    // Each field alone: exactly that field is announced, once, with the values before and after.
    void aChangeAnnouncesExactlyItsFields_data() {
        QTest::addColumn<int>("field");
        for (std::uint32_t bit = 1; bit <= std::uint32_t(F::LastTrainingFolder); bit <<= 1)
            QTest::addRow("field %u", bit) << int(bit);
    }
    void aChangeAnnouncesExactlyItsFields() {
        QFETCH(int, field);
        const F f = F(std::uint32_t(field));
        const ui::StudioSettings all = everyFieldSet();
        ui::StudioSettings next;
        switch (f) {
        case F::SoundFont:
            next.sound.soundFont = all.sound.soundFont;
            break;
        case F::AudioDriver:
            next.sound.audioDriver = all.sound.audioDriver;
            break;
        case F::Gain:
            next.sound.gain = all.sound.gain;
            break;
        case F::MidiOutput:
            next.sound.midiOutput = all.sound.midiOutput;
            break;
        case F::MidiInput:
            next.sound.midiInput = all.sound.midiInput;
            break;
        case F::ActiveModel:
            next.model = all.model;
            break;
        case F::ComputeDevice:
            next.compute.device = all.compute.device;
            break;
        case F::CpuThreads:
            next.compute.threads = all.compute.threads;
            break;
        case F::PendingRun:
            next.retrain.pendingRun = all.retrain.pendingRun;
            break;
        case F::LastTrainingFolder:
            next.retrain.lastFolder = all.retrain.lastFolder;
            break;
        }
        ui::SettingsStore store;
        QSignalSpy changed(&store, &ui::SettingsStore::changed);
        const ui::SettingsChange c = store.save(next);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(fieldsOf(changed, 0), ui::SettingsFields(f));
        QCOMPARE(c.fields, ui::SettingsFields(f));
        const auto announced = changed.first().first().value<ui::SettingsChange>();
        QVERIFY(announced.before == ui::StudioSettings{});
        QVERIFY(announced.after == next);
        // Only that key was written.
        QCOMPARE(QSettings().allKeys().size(), 1);
        // Saved again unchanged: nothing.
        store.save(next);
        QCOMPARE(changed.count(), 1);
    }

    void severalFieldsAreOneAnnouncement() {
        ui::SettingsStore store;
        store.save(everyFieldSet());
        QSignalSpy changed(&store, &ui::SettingsStore::changed);
        ui::StudioSettings next = store.current();
        next.sound.gain = 0.75;
        next.sound.midiInput.clear();
        next.compute.device = "cuda";
        store.save(next);
        QCOMPARE(changed.count(), 1);
        const auto c = changed.first().first().value<ui::SettingsChange>();
        QCOMPARE(c.fields, F::Gain | F::MidiInput | F::ComputeDevice);
        QVERIFY(c.touches(ui::sections::kSound));
        QVERIFY(c.touches(ui::sections::kMidi));
        QVERIFY(c.touches(ui::sections::kCompute));
        QVERIFY(!c.touches(ui::sections::kModel | ui::sections::kRetrain));
        QCOMPARE(c.before.sound.gain, 1.25);
        QCOMPARE(c.after.sound.gain, 0.75);
        // The one-field savers announce their field.
        store.setActiveModel({});
        store.setLastTrainingFolder("/elsewhere");
        QCOMPARE(changed.count(), 3);
        QCOMPARE(fieldsOf(changed, 1), ui::SettingsFields(F::ActiveModel));
        QCOMPARE(fieldsOf(changed, 2), ui::SettingsFields(F::LastTrainingFolder));
    }

    // The settings file as the studio wrote it before this store existed (QSettings' native format on
    // Linux is an INI file: numbers are text, every page's keys written on OK).
    void theEarlierFileStillLoads() {
        const QString path = QSettings().fileName();
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[compute]\n"
                "device=cpu\n"
                "threads=1\n"
                "\n"
                "[midi]\n"
                "input=Keystation 49:out\n"
                "output=\n"
                "\n"
                "[model]\n"
                "active=/home/me/models/reels.cmodel\n"
                "\n"
                "[retrain]\n"
                "lastFolder=/home/me/midi/reels\n"
                "pending=\"{\\\"epochsDone\\\":2}\"\n"
                "\n"
                "[sound]\n"
                "audioDriver=alsa\n"
                "gain=0.8\n"
                "soundFont=\n");
        f.close();
        QSettings().sync(); // drop QSettings' cache of the file
        const ui::SettingsStore::Loaded r = ui::SettingsStore::read();
        QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.join(' ')));
        QCOMPARE(r.settings.compute.device, QString("cpu"));
        QCOMPARE(r.settings.compute.threads, 1);
        QCOMPARE(r.settings.sound.midiInput, std::string("Keystation 49:out"));
        QCOMPARE(r.settings.sound.midiOutput, std::string());
        QCOMPARE(r.settings.model.activeModel, QString("/home/me/models/reels.cmodel"));
        QCOMPARE(r.settings.retrain.lastFolder, QString("/home/me/midi/reels"));
        QCOMPARE(r.settings.retrain.pendingRun, QString(R"({"epochsDone":2})"));
        QCOMPARE(r.settings.sound.audioDriver, std::string("alsa"));
        QCOMPARE(r.settings.sound.gain, 0.8);
        QCOMPARE(r.settings.sound.soundFont, std::string());
    }

    void unusableValuesAreReplacedAndSaid_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("said");
        QTest::newRow("gain 99") << keys::kGain << QVariant(99.0) << int(F::Gain)
                                 << "gain 99 is outside 0–10";
        QTest::newRow("gain -1") << keys::kGain << QVariant(-1.0) << int(F::Gain)
                                 << "gain -1 is outside 0–10";
        QTest::newRow("gain text") << keys::kGain << QVariant("loud") << int(F::Gain)
                                   << "gain \"loud\" is not a number";
        QTest::newRow("device gpu") << keys::kComputeDevice << QVariant("gpu") << int(F::ComputeDevice)
                                    << "device \"gpu\" is not auto, cpu or cuda";
        QTest::newRow("threads -4") << keys::kCpuThreads << QVariant(-4) << int(F::CpuThreads)
                                    << "-4 CPU threads is not a thread count";
        QTest::newRow("threads 100000") << keys::kCpuThreads << QVariant(100000) << int(F::CpuThreads)
                                        << "100000 CPU threads is more than the";
        QTest::newRow("threads text") << keys::kCpuThreads << QVariant("many") << int(F::CpuThreads)
                                      << "thread count \"many\" is not a number";
    }
    void unusableValuesAreReplacedAndSaid() {
        QFETCH(QString, key);
        QFETCH(QVariant, value);
        QFETCH(int, field);
        QFETCH(QString, said);
        QSettings().setValue(key, value);
        const ui::SettingsStore::Loaded r = ui::SettingsStore::read();
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems.front().contains(said), qPrintable(r.problems.front()));
        QCOMPARE(r.replaced, ui::SettingsFields(F(std::uint32_t(field))));
        const ui::StudioSettings defaults;
        const int cores = std::max(1, QThread::idealThreadCount());
        QCOMPARE(r.settings.sound.gain, defaults.sound.gain);
        QCOMPARE(r.settings.compute.device, defaults.compute.device);
        const bool tooMany = F(std::uint32_t(field)) == F::CpuThreads && value.toInt() > cores;
        QCOMPARE(r.settings.compute.threads, tooMany ? cores : 0);
        // The next save writes the replacement, so the complaint is not repeated at every start.
        ui::SettingsStore store;
        store.save(r.settings);
        QVERIFY(ui::SettingsStore::read().problems.isEmpty());
        // A bad value handed to save() is replaced the same way, and said.
        ui::StudioSettings bad;
        bad.sound.gain = 99;
        bad.compute.device = "GPU";
        QStringList problems;
        store.save(bad, &problems);
        QCOMPARE(problems.size(), 2);
        QCOMPARE(store.current().sound.gain, 0.5);
        QCOMPARE(store.current().compute.device, QString("auto"));
    }

    // A device's letter case and an empty driver are put right without a word.
    void harmlessSpellingsAreNormalisedSilently() {
        QSettings().setValue(keys::kComputeDevice, " CUDA ");
        QSettings().setValue(keys::kAudioDriver, "");
        const ui::SettingsStore::Loaded r = ui::SettingsStore::read();
        QVERIFY(r.problems.isEmpty());
        QCOMPARE(r.settings.compute.device, QString("cuda"));
        QCOMPARE(r.settings.sound.audioDriver, std::string("auto"));
    }
};

QTEST_MAIN(SettingsStoreTest)
#include "tst_settings_store.moc"
