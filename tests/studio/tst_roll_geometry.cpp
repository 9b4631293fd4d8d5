// RollGeometry: tick ↔ x, pitch ↔ y, snapping and zoom anchoring, without any widget.

#include "ui/roll/NoteIndex.h"
#include "ui/roll/RollGeometry.h"

#include <QTest>

#include <random>

using continuo::ui::RollGeometry;
using continuo::ui::SnapGrid;

class TestRollGeometry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tickRoundTrip_data() {
        QTest::addColumn<double>("ppx");
        QTest::addColumn<double>("scrollX");
        QTest::addColumn<qint64>("tick");
        QTest::newRow("origin") << 48.0 << 0.0 << qint64(0);
        QTest::newRow("one bar") << 48.0 << 0.0 << qint64(1920);
        QTest::newRow("scrolled") << 48.0 << 300.0 << qint64(4800);
        QTest::newRow("zoomed in") << 400.0 << 1000.0 << qint64(1234);
        QTest::newRow("zoomed out") << 4.0 << 0.0 << qint64(96000);
    }
    void tickRoundTrip() {
        QFETCH(double, ppx);
        QFETCH(double, scrollX);
        QFETCH(qint64, tick);
        RollGeometry g;
        g.pixelsPerQuarter = ppx;
        g.scrollX = scrollX;
        const double x = g.tickToX(tick);
        // The tick under the note's left pixel is the note's tick (within one pixel's worth of ticks).
        const qint64 back = g.xToTick(x + 0.01);
        QVERIFY2(std::abs(back - tick) <= qint64(g.ppq / ppx) + 1, qPrintable(QString::number(back)));
    }
    void layout() {
        RollGeometry g;
        g.width = 1000;
        g.height = 600;
        QCOMPARE(g.tickToX(0), double(g.keyboardWidth));
        QCOMPARE(g.tickToX(480), g.keyboardWidth + 48.0);
        QCOMPARE(g.pitchToY(127), double(g.rulerHeight));
        QCOMPARE(g.pitchToY(60), g.rulerHeight + 67 * 10.0);
        QCOMPARE(g.notesArea(), QRectF(56, 24, 944, 600 - 24 - 64));
        QCOMPARE(g.velocityArea().top(), 600.0 - 64);
        QCOMPARE(g.xToTick(0), qint64(0)); // left of the notes clamps to 0
    }
    void pitchRows_data() {
        QTest::addColumn<double>("keyHeight");
        QTest::addColumn<double>("scrollY");
        QTest::addColumn<int>("pitch");
        for (double kh : {3.0, 10.0, 17.5})
            for (int p : {0, 21, 60, 61, 108, 127})
                QTest::addRow("kh%g p%d", kh, p) << kh << 100.0 * kh / 10 << p;
    }
    void pitchRows() {
        QFETCH(double, keyHeight);
        QFETCH(double, scrollY);
        QFETCH(int, pitch);
        RollGeometry g;
        g.keyHeight = keyHeight;
        g.scrollY = scrollY;
        const double top = g.pitchToY(pitch);
        QCOMPARE(g.yToPitch(top + 0.5), pitch);
        QCOMPARE(g.yToPitch(top + keyHeight - 0.5), pitch);
        if (pitch > 0) QCOMPARE(g.yToPitch(top + keyHeight + 0.5), pitch - 1);
        const QRectF r = g.noteRect(960, 480, pitch);
        QCOMPARE(r.top(), top);
        QCOMPARE(r.height(), keyHeight);
        QCOMPARE(r.width(), 48.0);
    }
    void snap_data() {
        QTest::addColumn<int>("division");
        QTest::addColumn<bool>("triplet");
        QTest::addColumn<qint64>("step");
        QTest::newRow("1/1") << 1 << false << qint64(1920);
        QTest::newRow("1/4") << 4 << false << qint64(480);
        QTest::newRow("1/16") << 16 << false << qint64(120);
        QTest::newRow("1/32") << 32 << false << qint64(60);
        QTest::newRow("1/8T") << 8 << true << qint64(160);
        QTest::newRow("1/16T") << 16 << true << qint64(80);
    }
    void snap() {
        QFETCH(int, division);
        QFETCH(bool, triplet);
        QFETCH(qint64, step);
        SnapGrid grid{division, triplet, true};
        QCOMPARE(grid.ticks(480), step);
        QCOMPARE(RollGeometry::snapFloor(step * 3 + step / 2 + 1, grid, 480), step * 3);
        QCOMPARE(RollGeometry::snapRound(step * 3 + step / 2 + 1, grid, 480), step * 4);
        grid.enabled = false;
        QCOMPARE(RollGeometry::snapRound(step * 3 + 7, grid, 480), step * 3 + 7);
    }
    void zoomKeepsAnchor() {
        RollGeometry g;
        g.scrollX = 200;
        const double anchor = 400;
        const qint64 before = g.xToTick(anchor);
        g.zoomX(2.0, anchor);
        QCOMPARE(g.pixelsPerQuarter, 96.0);
        QVERIFY(std::abs(g.xToTick(anchor) - before) <= 5);
        const int pitchBefore = g.yToPitch(300);
        g.zoomY(1.5, 300);
        QCOMPARE(g.yToPitch(300), pitchBefore);
        g.zoomX(1e6, 0);
        QCOMPARE(g.pixelsPerQuarter, RollGeometry::kMaxPixelsPerQuarter);
    }
    // The start-sorted index finds exactly the notes a brute-force scan finds (plus ones it may include
    // that ended earlier, which painting filters), in start order with ids in order among equal starts.
    void noteIndexMatchesScan() {
        std::map<continuo::ui::NoteId, continuo::music::Note> notes;
        std::mt19937 rng(7);
        for (continuo::ui::NoteId id = 1; id <= 2000; ++id)
            notes[id] = {std::int64_t(rng() % 20000), std::int64_t(1 + rng() % (id % 100 == 0 ? 3000 : 200)),
                         std::uint8_t(rng() % 128)};
        const continuo::ui::NoteIndex index(notes);
        QCOMPARE(index.size(), notes.size());
        for (std::size_t i = 1; i < index.entries().size(); ++i) {
            const auto &a = index.entries()[i - 1], &b = index.entries()[i];
            QVERIFY(a.start < b.start || (a.start == b.start && a.id < b.id));
        }
        for (int trial = 0; trial < 200; ++trial) {
            const std::int64_t from = rng() % 21000, to = from + rng() % 3000;
            QSet<continuo::ui::NoteId> expected, found;
            for (const auto& [id, n] : notes)
                if (n.end() > from && n.start < to) expected.insert(id);
            for (const auto& e : index.overlapping(from, to)) {
                QVERIFY(e.start < to);
                if (e.end > from) found.insert(e.id);
            }
            QCOMPARE(found, expected);
        }
        QVERIFY(continuo::ui::NoteIndex().overlapping(0, 100).empty());
    }
};

QTEST_APPLESS_MAIN(TestRollGeometry)
#include "tst_roll_geometry.moc"
