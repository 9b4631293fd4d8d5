// Settings ▸ Model and ▸ Compute: the pages round-trip through the SettingsStore (QSettings test mode), the
// Model page lists, imports and removes real model files, Engine::setComposer swaps while idle and while a
// job runs, and switching the active model in the settings really makes the Engine generate with that model.

#include "ModelsTestUtil.h"
#include "app/models/ModelServices.h"
#include "model/LstmComposer.h"
#include "studio/MarkovComposer.h"
#include "ui/generate/Engine.h"
#include "ui/models/ComputeInfo.h"
#include "ui/models/ComputePage.h"
#include "ui/models/ModelPage.h"
#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsStore.h"

#include <QComboBox>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace continuo;
namespace fs = std::filesystem;
namespace keys = ui::settings;

namespace {

/// A test Composer whose notes carry its tag as velocity, so a result shows which Composer made it.
class TaggedComposer : public test::MarkovComposer {
public:
    TaggedComposer(std::string name, std::uint8_t tag, std::shared_ptr<std::atomic<QThread*>> releasedOn = {})
        : name_(std::move(name))
        , tag_(tag)
        , releasedOn_(std::move(releasedOn)) {}
    ~TaggedComposer() override {
        if (releasedOn_) releasedOn_->store(QThread::currentThread());
    }
    model::ModelDescription describe() const override { return {name_, "", "tagged"}; }
    model::GenerateResult generate(const model::GenerateRequest& r, const model::ProgressFn& progress,
                                   const std::atomic<bool>& cancel) override {
        model::GenerateResult result = MarkovComposer::generate(r, progress, cancel);
        for (auto& v : result.variations)
            for (auto& n : v)
                n.velocity = tag_;
        return result;
    }

private:
    std::string name_;
    std::uint8_t tag_;
    std::shared_ptr<std::atomic<QThread*>> releasedOn_;
};

model::GenerateRequest request(std::uint64_t seed, int bars) {
    model::GenerateRequest rq;
    music::Track t;
    t.name = "lead";
    for (int i = 0; i < 16; ++i)
        t.notes.push_back({i * 240LL, 240, std::uint8_t(60 + (i * 2) % 12), 90});
    rq.song.tracks.push_back(t);
    rq.bars = bars;
    rq.randomSeed = seed;
    rq.topP = 1.0;
    return rq;
}

/// Velocities of every generated note (one value when a single Composer made them all).
std::set<int> tags(const model::GenerateResult& r) {
    std::set<int> s;
    for (const auto& v : r.variations)
        for (const auto& n : v)
            s.insert(n.velocity);
    return s;
}

/// Runs `rq` through the Engine and returns its result (fails the test on an error).
model::GenerateResult generateThrough(ui::Engine& engine, const model::GenerateRequest& rq, bool* ok) {
    QSignalSpy done(&engine, &ui::Engine::finished);
    QSignalSpy failed(&engine, &ui::Engine::failed);
    engine.generate(rq);
    *ok = done.wait(60000) || !done.isEmpty();
    if (!failed.isEmpty()) qWarning("engine failed: %s", qPrintable(failed.first().first().toString()));
    return *ok ? done.first().first().value<model::GenerateResult>() : model::GenerateResult{};
}

/// What the settings dialog does on OK: the page's fields over the stored settings, saved by the store.
void saveThroughStore(const ui::SettingsPage& page) {
    ui::StudioSettings s = ui::SettingsStore::studio().current();
    page.save(s);
    ui::SettingsStore::studio().save(s);
}

ui::StudioSettings stored() {
    return ui::SettingsStore::studio().current();
}

QString q(const fs::path& p) {
    return QString::fromStdString(p.string());
}

} // namespace

class TestModelSettings : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path root_, shipped_, trained_, corrupt_;
    QString users_;

    void clearUsers() {
        fs::remove_all(users_.toStdString());
        fs::create_directories(users_.toStdString());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QSettings().fileName().contains(".qttest"), qPrintable(QSettings().fileName()));
        QSettings().clear();
        root_ = tmp_.path().toStdString();
        fs::create_directories(root_ / "shipped");
        shipped_ = root_ / "shipped" / model::kDefaultModelFileName;
        model::test::trainTinyModel(root_ / "corpus", shipped_, 2, 1);
        trained_ = root_ / "melodies.cmodel";
        model::test::trainTinyModel(root_ / "corpus", trained_, 1, 2);
        corrupt_ = root_ / "damaged.cmodel";
        QVERIFY(model::test::writeCorruptCopy(trained_, corrupt_));
        // The studio's default lookup finds our tiny model, never a real installation.
        qputenv(model::kDefaultModelEnv, QByteArray::fromStdString(shipped_.string()));
        users_ = keys::userModelsDir();
        QVERIFY2(users_.contains(".qttest"), qPrintable(users_));
    }

    void init() {
        QSettings().clear();
        clearUsers();
    }

    // --- Compute page ---------------------------------------------------------------------------------

    void computePageRoundTrip() {
        ui::ComputeInfo info;
        info.setCudaDevices(0);
        ui::ComputePage page(&info);
        QCOMPARE(page.title(), QStringLiteral("Compute"));
        page.load(stored());
        QCOMPARE(page.deviceBox()->count(), 2); // no GPU: CUDA is not offered
        QCOMPARE(page.deviceBox()->currentData().toString(), QStringLiteral("auto"));
        QCOMPARE(page.threadsBox()->value(), 0);
        QCOMPARE(page.threadsBox()->maximum(), ui::ComputeInfo::cpuCores());
        QSignalSpy edited(&page, &ui::SettingsPage::edited);
        page.deviceBox()->setCurrentIndex(page.deviceBox()->findData("cpu"));
        page.threadsBox()->setValue(1);
        QCOMPARE(edited.count(), 2);
        saveThroughStore(page);
        QCOMPARE(QSettings().value(keys::kComputeDevice).toString(), QStringLiteral("cpu"));
        QCOMPARE(QSettings().value(keys::kCpuThreads).toInt(), 1);
        ui::ComputePage again(&info);
        again.load(stored());
        QCOMPARE(again.deviceBox()->currentData().toString(), QStringLiteral("cpu"));
        QCOMPARE(again.threadsBox()->value(), 1);
    }

    void cudaIsListedOnceTheAnswerSaysSo() {
        ui::ComputeInfo info; // not known yet
        ui::ComputePage page(&info);
        page.load(stored());
        QCOMPARE(page.deviceBox()->findData("cuda"), -1);
        info.setCudaDevices(2);
        QVERIFY(page.deviceBox()->findData("cuda") >= 0);
        page.deviceBox()->setCurrentIndex(page.deviceBox()->findData("cuda"));
        saveThroughStore(page);
        QCOMPARE(QSettings().value(keys::kComputeDevice).toString(), QStringLiteral("cuda"));
        // On a machine without a GPU the stored choice is shown as such, not silently changed.
        ui::ComputeInfo none;
        none.setCudaDevices(0);
        ui::ComputePage other(&none);
        other.load(stored());
        QCOMPARE(other.deviceBox()->currentData().toString(), QStringLiteral("cuda"));
        QVERIFY(other.deviceBox()->currentText().contains("none found"));
    }

    // --- Model page -----------------------------------------------------------------------------------

    void modelPageListsAndRoundTrips() {
        const fs::path mine = fs::path(users_.toStdString()) / "melodies.cmodel";
        fs::copy_file(trained_, mine);
        fs::copy_file(corrupt_, fs::path(users_.toStdString()) / "damaged.cmodel");
        QSettings().setValue(keys::kActiveModel, q(mine));
        ui::ModelPage page(users_, q(shipped_));
        QCOMPARE(page.title(), QStringLiteral("Model"));
        QSignalSpy listed(&page, &ui::ModelPage::listed);
        page.load(stored());
        QVERIFY(listed.wait(20000));
        QTRY_VERIFY(listed.count() >= 1 && page.list()->count() == 3);
        QCOMPARE(page.chosen(), q(mine));
        QVERIFY(page.entries()[0].builtIn);
        QCOMPARE(page.list()->currentRow(), 2); // sorted: damaged, melodies
        QVERIFY(page.list()->item(2)->text().contains("(active)"));
        QVERIFY(page.cardText().contains("Validation&nbsp;loss"));
        QVERIFY(page.cardText().contains("nats/token"));
        QVERIFY(page.cardText().contains(q(root_ / "corpus")));
        // The broken file is shown with its problem, and selecting it does not make it active.
        QVERIFY(page.list()->item(1)->text().contains("cannot be used"));
        QVERIFY(!page.list()->item(1)->toolTip().isEmpty());
        page.list()->setCurrentRow(1);
        QVERIFY(page.cardText().contains("cannot be used"));
        QVERIFY(page.cardText().contains("checksum"));
        QCOMPARE(page.chosen(), q(mine));
        // Choosing the shipped default stores "".
        QSignalSpy edited(&page, &ui::SettingsPage::edited);
        page.list()->setCurrentRow(0);
        QCOMPARE(page.chosen(), QString());
        QCOMPARE(edited.count(), 1);
        saveThroughStore(page);
        QVERIFY(QSettings().contains(keys::kActiveModel));
        QCOMPARE(QSettings().value(keys::kActiveModel).toString(), QString());
        QVERIFY(page.list()->item(0)->text().contains("(active)"));
        QSignalSpy retrain(&page, &ui::ModelPage::retrainRequested);
        const auto buttons = page.findChildren<QPushButton*>();
        for (QPushButton* b : buttons)
            if (b->text().contains("Retrain")) b->click();
        QCOMPARE(retrain.count(), 1);
    }

    void modelPageImportsAndRemoves() {
        ui::ModelPage page(users_, q(shipped_));
        QSignalSpy listed(&page, &ui::ModelPage::listed);
        QSignalSpy imported(&page, &ui::ModelPage::importFinished);
        page.load(stored());
        QTRY_VERIFY(listed.count() >= 1 && page.list()->count() == 1);

        const QByteArray corruptBefore = model::test::readBytes(corrupt_);
        page.importFile(q(corrupt_));
        QVERIFY(imported.wait(20000));
        QCOMPARE(imported.first().at(0).toBool(), false);
        QVERIFY2(page.message().contains("Not imported") && page.message().contains("corrupt"),
                 qPrintable(page.message()));
        QCOMPARE(model::test::readBytes(corrupt_), corruptBefore);
        QVERIFY(fs::is_empty(users_.toStdString()));

        listed.clear();
        page.importFile(q(trained_));
        QVERIFY(imported.wait(20000));
        QCOMPARE(imported.last().at(0).toBool(), true);
        const QString copy = users_ + "/melodies.cmodel";
        QTRY_VERIFY(listed.count() >= 1 && page.list()->count() == 2);
        QCOMPARE(page.chosen(), copy); // the import is selected
        saveThroughStore(page);
        QCOMPARE(QSettings().value(keys::kActiveModel).toString(), copy);

        // The shipped model cannot be removed; removing the active one falls back to the default.
        QVERIFY(!page.removeFile(q(shipped_)));
        QVERIFY(page.message().contains("cannot be removed"));
        QVERIFY(fs::exists(shipped_));
        listed.clear();
        QVERIFY(page.removeFile(copy));
        QVERIFY(!QFileInfo::exists(copy));
        QCOMPARE(page.chosen(), QString());
        QTRY_VERIFY(listed.count() >= 1 && page.list()->count() == 1);
        saveThroughStore(page);
        QCOMPARE(QSettings().value(keys::kActiveModel).toString(), QString());
    }

    // --- Engine::setComposer --------------------------------------------------------------------------

    void setComposerWhileIdle() {
        auto released = std::make_shared<std::atomic<QThread*>>(nullptr);
        ui::Engine engine(std::make_shared<TaggedComposer>("first", 11, released));
        QCOMPARE(QString::fromStdString(engine.description().name), QStringLiteral("first"));
        bool ok = false;
        QCOMPARE(tags(generateThrough(engine, request(1, 2), &ok)), std::set<int>{11});
        QVERIFY(ok);
        QSignalSpy changed(&engine, &ui::Engine::modelChanged);
        engine.setComposer(std::make_shared<TaggedComposer>("second", 22));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(QString::fromStdString(engine.description().name), QStringLiteral("second"));
        QCOMPARE(tags(generateThrough(engine, request(1, 2), &ok)), std::set<int>{22});
        QVERIFY(ok);
        // The old Composer was released on the engine thread, which used it.
        QVERIFY(released->load() != nullptr);
        QVERIFY(released->load() != QThread::currentThread());

        engine.setComposer(nullptr);
        QVERIFY(!engine.hasModel());
        QSignalSpy failed(&engine, &ui::Engine::failed);
        engine.generate(request(1, 2));
        QCOMPARE(failed.count(), 1);
        engine.setComposer(std::make_shared<TaggedComposer>("third", 33));
        QVERIFY(engine.hasModel());
        QCOMPARE(tags(generateThrough(engine, request(1, 2), &ok)), std::set<int>{33});
    }

    void setComposerWhileAJobRuns_data() {
        QTest::addColumn<bool>("cancelIt");
        QTest::newRow("job finishes") << false;
        QTest::newRow("job cancelled") << true;
    }
    void setComposerWhileAJobRuns() {
        QFETCH(bool, cancelIt);
        auto slow = std::make_shared<TaggedComposer>("slow", 11);
        slow->stepDelayUs = 2000;
        ui::Engine engine(slow);
        slow.reset();
        QSignalSpy progress(&engine, &ui::Engine::progress);
        QSignalSpy done(&engine, &ui::Engine::finished);
        engine.generate(request(3, 16));
        QVERIFY(progress.wait(20000)); // the job runs on the engine thread now
        engine.setComposer(std::make_shared<TaggedComposer>("fast", 22));
        QCOMPARE(QString::fromStdString(engine.description().name), QStringLiteral("fast"));
        QVERIFY(engine.isBusy());
        if (cancelIt) engine.cancel();
        QVERIFY(done.wait(60000));
        const auto first = done.first().at(0).value<model::GenerateResult>();
        QCOMPARE(done.first().at(1).toBool(), cancelIt);
        if (!cancelIt) { // the running job ended on the Composer it started with
            QCOMPARE(first.variations.size(), std::size_t(1));
            QCOMPARE(tags(first), std::set<int>{11});
        }
        bool ok = false;
        QCOMPARE(tags(generateThrough(engine, request(3, 1), &ok)), std::set<int>{22});
        QVERIFY(ok);
    }

    // --- the active model applied to the running studio ----------------------------------------------

    void switchingTheActiveModelGeneratesWithIt() {
        const fs::path mine = fs::path(users_.toStdString()) / "melodies.cmodel";
        fs::copy_file(trained_, mine);
        QSettings().setValue(keys::kComputeDevice, "cpu");
        const app::ActiveModel start = app::openActive(app::ModelChoice::of(stored()), -1);
        QVERIFY2(start.composer, start.problem.c_str());
        QCOMPARE(start.note, std::string());
        QCOMPARE(fs::path(start.composer->describe().path), shipped_);
        ui::Engine engine(start.composer);
        app::ModelServices services(&engine);
        QTRY_VERIFY_WITH_TIMEOUT(services.computeInfo()->cudaDevices() >= 0, 30000);
        // The pages the settings dialog gets: the studio's folders and the engine thread's CUDA answer.
        std::unique_ptr<ui::ComputePage> compute(services.createComputePage(nullptr));
        compute->load(stored());
        QCOMPARE(compute->deviceBox()->findData("cuda") >= 0, services.computeInfo()->cudaDevices() > 0);
        std::unique_ptr<ui::ModelPage> page(services.createModelPage(nullptr));
        QSignalSpy listed(page.get(), &ui::ModelPage::listed);
        page->load(stored());
        QTRY_VERIFY(listed.count() >= 1 && page->list()->count() == 2);
        QCOMPARE(page->entries()[0].path, shipped_);
        QCOMPARE(page->entries()[1].path, mine);

        // Saved through the store (as the dialog's OK does), which the services listen to.
        QSignalSpy applied(&services, &app::ModelServices::applied);
        QSignalSpy messages(&services, &app::ModelServices::message);
        ui::SettingsStore::studio().setActiveModel(q(mine));
        QVERIFY(applied.wait(20000));
        QVERIFY(messages.isEmpty());
        QCOMPARE(fs::path(engine.description().path), mine);
        QCOMPARE(engine.description().name, std::string("melodies.cmodel"));

        const model::GenerateRequest rq = request(5, 2);
        bool ok = false;
        const model::GenerateResult viaEngine = generateThrough(engine, rq, &ok);
        QVERIFY(ok);
        QVERIFY(!viaEngine.variations.at(0).empty());
        // The same request on the user's model, loaded directly, gives the same notes; the default's differ.
        std::atomic<bool> noCancel{false};
        model::LstmComposer direct(mine, "cpu");
        QCOMPARE(direct.generate(rq, {}, noCancel).variations, viaEngine.variations);
        model::LstmComposer shipped(shipped_, "cpu");
        QVERIFY(shipped.generate(rq, {}, noCancel).variations != viaEngine.variations);
    }

    void aMissingOrBrokenActiveModelFallsBackToTheDefault() {
        for (const fs::path& bad : {root_ / "gone.cmodel", corrupt_}) {
            app::ModelChoice choice;
            choice.file = q(bad);
            choice.device = "cpu";
            const app::ActiveModel m = app::openActive(choice, 0);
            QVERIFY2(m.composer, m.problem.c_str());
            QCOMPARE(fs::path(m.composer->describe().path), shipped_);
            QVERIFY2(m.note.find(bad.string()) != std::string::npos, m.note.c_str());
            QVERIFY2(m.note.find("shipped default model is used instead") != std::string::npos,
                     m.note.c_str());
        }
        app::ModelChoice cuda;
        cuda.device = "cuda";
        const app::ActiveModel m = app::openActive(cuda, 0);
        QCOMPARE(m.device, std::string("cpu"));
        QVERIFY2(m.note.find("CUDA") != std::string::npos, m.note.c_str());
        QCOMPARE(app::openActive(cuda, 1).device, std::string("cuda"));
    }
};

QTEST_MAIN(TestModelSettings)
#include "tst_model_settings.moc"
