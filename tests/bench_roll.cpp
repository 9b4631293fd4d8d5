// Roll benchmark (not a test): ms per full repaint with 20,000 notes visible, ms per mouse move while
// dragging 20,000 selected notes, and the longest GUI-thread stall while a generation runs on the engine
// thread. Run: QT_QPA_PLATFORM=offscreen ./bench_roll

#include "studio/MarkovComposer.h"
#include "ui/PianoRollView.h"
#include "ui/document/Document.h"
#include "ui/generate/Engine.h"
#include "ui/session/Session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <tuple>
#include <vector>

using namespace continuo;
using continuo::ui::RollGeometry;

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
    ui::Session session;
    ui::Document& doc = *session.document();
    doc.reset(song);
    ui::PianoRollView roll(&session);
    roll.resize(1400, 900);
    roll.show();
    // Zoom out so all 64 bars and the 48 semitones in use fit the notes area, then scroll so the highest
    // pitch (95) is on the top row: every one of the 20,000 notes is inside the viewport.
    const RollGeometry& g = roll.geometry();
    roll.zoomBy(1200.0 / (64 * 4 * g.pixelsPerQuarter), 700.0 / (48 * g.keyHeight),
                QPointF(g.keyboardWidth, g.rulerHeight));
    roll.horizontalScrollBar()->setValue(0);
    roll.verticalScrollBar()->setValue(int((127 - 95) * g.keyHeight));
    app.processEvents();
    std::size_t visible = 0;
    const QRectF area = g.notesArea();
    for (const auto& t : doc.tracks())
        for (const auto& [id, n] : t.notes)
            visible += area.contains(g.noteRect(n.start, n.duration, n.pitch));
    if (visible != doc.noteCount())
        std::fprintf(stderr, "warning: only %zu of %zu notes are inside the viewport\n", visible,
                     doc.noteCount());

    // Each frame is one synchronous full repaint of the viewport (paintEvent over the whole rect, into the
    // backing store); the median of many is reported so one scheduler hiccup on a shared box does not count.
    const auto medianRepaint = [&](int frames, const std::function<void(int)>& before) {
        std::vector<double> ms;
        for (int i = 0; i < frames + 3; ++i) {
            before(i);
            QElapsedTimer timer;
            timer.start();
            roll.viewport()->repaint();
            if (i >= 3) ms.push_back(timer.nsecsElapsed() / 1e6); // 3 warm-up frames
        }
        std::sort(ms.begin(), ms.end());
        return std::tuple{ms[ms.size() / 2], ms.front(), ms.back()};
    };
    const auto report = [&](const char* what, const std::function<void(int)>& before) {
        const auto [median, best, worst] = medianRepaint(100, before);
        std::printf("%s: median %.2f ms (min %.2f, max %.2f; 100 frames)\n", what, median, best, worst);
    };
    std::printf("full repaints of the %dx%d viewport with %zu of %zu notes visible (goal <= 8 ms):\n",
                roll.viewport()->width(), roll.viewport()->height(), visible, doc.noteCount());
    // Nothing changed since the last frame: grid and note layer come from their caches (an expose, the
    // playhead or rubber band passing over).
    report("  full repaint, layers cached", [](int) {});
    // A click selecting / deselecting one note before each frame: every note and stem is drawn again
    // (what any edit, undo or drag step costs).
    const ui::NoteId someNote = doc.track(doc.currentTrack())->notes.begin()->first;
    report("  full repaint after an edit (note layer redrawn)",
           [&](int i) { session.setSelection(i % 2 ? QSet<ui::NoteId>{} : QSet<ui::NoteId>{someNote}); });
    // Scrolling before each frame: the cached grid and note layer are moved and only the uncovered strips
    // are drawn (tst_piano_roll checks that the picture equals a full redraw).
    report("  full repaint after a 1 px scroll (caches moved, strip drawn)", [&](int i) {
        roll.verticalScrollBar()->setValue(roll.verticalScrollBar()->value() + (i % 2 ? 1 : -1));
    });
    report("  full repaint after a 40 px sideways scroll (a wheel step)", [&](int i) {
        roll.horizontalScrollBar()->setValue(roll.horizontalScrollBar()->value() + (i % 2 ? 40 : -40));
    });
    // A zoom step before each frame: grid and notes are both drawn again from scratch.
    report("  full repaint after a zoom step (grid and notes redrawn)", [&](int i) {
        const double f = i % 2 ? 1.02 : 1 / 1.02;
        roll.zoomBy(f, 1.0, QPointF(g.keyboardWidth, g.rulerHeight));
    });

    // Drag: 20,000 notes on the current track, all selected, dragged by one of them. Each mouse move is one
    // synchronous event (the gesture's step: one command merged into the gesture's undo step, the document
    // updated, the view told); the repaint that follows is measured apart.
    {
        music::Song one;
        one.tracks.resize(1);
        for (int i = 0; i < 20000; ++i)
            one.tracks[0].notes.push_back({std::int64_t(rng() % (64 * 1920)), 120,
                                           std::uint8_t(48 + rng() % 48), 90, 0, music::NoteOrigin::User});
        one.tracks[0].sortNotes();
        doc.reset(one);
        roll.horizontalScrollBar()->setValue(0);
        roll.verticalScrollBar()->setValue(int((127 - 95) * g.keyHeight));
        app.processEvents();
        session.selectAll();
        // The anchor: the note that starts first (drawn on top if another overlaps it is unlikely at
        // 20,000 notes in 64 bars; the press must hit the anchor or any selected note, both move all).
        const auto& notes = doc.track(doc.currentTrack())->notes;
        const auto first = std::min_element(notes.begin(), notes.end(), [](const auto& a, const auto& b) {
            return a.second.start < b.second.start;
        });
        const QRectF r = g.noteRect(first->second.start, first->second.duration, first->second.pitch);
        const QPoint press(int(r.left() + 1), int(r.center().y()));
        QWidget* vp = roll.viewport();
        const auto send = [&](QEvent::Type type, QPoint at, Qt::MouseButton button,
                              Qt::MouseButtons buttons) {
            QMouseEvent e(type, at, vp->mapToGlobal(at), button, buttons, Qt::NoModifier);
            QCoreApplication::sendEvent(vp, &e);
        };
        const int steps = session.undoStack()->count();
        send(QEvent::MouseButtonPress, press, Qt::LeftButton, Qt::LeftButton);
        std::vector<double> moveMs, paintMs;
        for (int i = 1; i <= 100; ++i) {
            // Right by 6 px per step (a new position each time), and up and down a few semitones.
            const QPoint to = press + QPoint(6 * i, int(g.keyHeight) * ((i % 7) - 3));
            QElapsedTimer timer;
            timer.start();
            send(QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
            moveMs.push_back(timer.nsecsElapsed() / 1e6);
            timer.restart();
            roll.viewport()->repaint();
            paintMs.push_back(timer.nsecsElapsed() / 1e6);
        }
        send(QEvent::MouseButtonRelease, press + QPoint(600, 0), Qt::LeftButton, Qt::NoButton);
        const bool oneStep = session.undoStack()->count() == steps + 1;
        std::sort(moveMs.begin(), moveMs.end());
        std::sort(paintMs.begin(), paintMs.end());
        std::printf("drag of %lld selected notes (goal <= 8 ms per mouse move):\n",
                    static_cast<long long>(session.selection().size()));
        std::printf("  mouse move (gesture step): median %.2f ms, slowest %.2f ms (100 moves)\n",
                    moveMs[moveMs.size() / 2], moveMs.back());
        std::printf("  repaint after each move (note layer redrawn): median %.2f ms, slowest %.2f ms\n",
                    paintMs[paintMs.size() / 2], paintMs.back());
        std::printf("  undo steps for the whole drag: %s\n", oneStep ? "1" : "NOT 1");
    }

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
