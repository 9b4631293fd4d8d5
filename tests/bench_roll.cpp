// Roll benchmark (not a test): ms per full repaint with 20,000 notes visible, and the longest GUI-thread
// stall while a generation runs on the engine thread. Run: QT_QPA_PLATFORM=offscreen ./bench_roll

#include "studio/MarkovComposer.h"
#include "ui/PianoRollView.h"
#include "ui/document/Document.h"
#include "ui/generate/Engine.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <random>

using namespace continuo;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    music::Song song;
    song.tracks.resize(2);
    std::mt19937 rng(1);
    // 20,000 notes in 64 bars × 4 octaves: everything visible at the zoom below.
    for (int i = 0; i < 20000; ++i)
        song.tracks[std::size_t(i % 2)].notes.push_back(
            {std::int64_t(rng() % (64 * 1920)), 120, std::uint8_t(48 + rng() % 48), 90, 0,
             i % 5 == 0 ? music::NoteOrigin::Generated : music::NoteOrigin::User});
    for (auto& t : song.tracks)
        t.sortNotes();
    ui::Document doc;
    doc.reset(song);
    ui::PianoRollView roll(&doc);
    roll.resize(1400, 900);
    roll.show();
    // Zoom so 64 bars and 48 semitones fill the viewport.
    roll.zoomBy(1200.0 / (64 * 4 * roll.geometry().pixelsPerQuarter),
                700.0 / (48 * roll.geometry().keyHeight),
                QPointF(roll.geometry().keyboardWidth, roll.geometry().rulerHeight));
    roll.ensureVisible(0, 72);
    app.processEvents();
    std::size_t visible = 0;
    const QRectF area = roll.geometry().notesArea();
    for (const auto& t : doc.tracks())
        for (const auto& [id, n] : t.notes)
            visible += roll.geometry().noteRect(n.start, n.duration, n.pitch).intersects(area);
    const int frames = 50;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < frames; ++i)
        roll.viewport()->repaint();
    const double msPerFrame = timer.nsecsElapsed() / 1e6 / frames;
    std::printf("full repaint: %.2f ms (%zu of %zu notes visible, %dx%d viewport; goal <= 8 ms)\n",
                msPerFrame, visible, doc.noteCount(), roll.viewport()->width(), roll.viewport()->height());

    // Stall: a 1 ms timer on the GUI thread while the engine generates; the longest gap between ticks.
    auto composer = std::make_shared<test::MarkovComposer>();
    composer->stepDelayUs = 200;
    ui::Engine engine(composer);
    model::GenerateRequest request;
    request.song = doc.toSong();
    request.bars = 64;
    request.variations = 8;
    double worst = 0;
    QElapsedTimer gap;
    QTimer tick;
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        worst = std::max(worst, gap.nsecsElapsed() / 1e6);
        gap.restart();
    });
    bool done = false;
    QObject::connect(&engine, &ui::Engine::finished, [&] { done = true; });
    gap.start();
    tick.start();
    QElapsedTimer total;
    total.start();
    engine.generate(request);
    while (!done)
        app.processEvents(QEventLoop::WaitForMoreEvents);
    std::printf("generation: %.0f ms; longest GUI-thread stall: %.2f ms (goal <= 50 ms)\n",
                total.nsecsElapsed() / 1e6, worst);
    return 0;
}
