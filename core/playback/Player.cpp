#include "playback/Player.h"

#include "playback/SpscQueue.h"
#include "playback/Timeline.h"

#include <pthread.h>
#include <sys/prctl.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <chrono>
#include <cmath>

namespace continuo::playback {

namespace {

using SteadyClock = std::chrono::steady_clock;

// How often the playhead is refreshed while nothing else wakes the thread.
constexpr double kPlayheadInterval = 0.010;
constexpr std::size_t kQueueSize = 256;
// How far back a cancelled note-off may have been due and still not delivered by the sink.
constexpr double kReleaseGrace = 1.0;

} // namespace

struct Player::Command {
    enum Type : std::uint8_t { SetTimeline, Play, Stop, Seek, SetLoop, Quit } type = Play;
    std::int64_t a = 0;
    std::int64_t b = 0;
    Timeline* timeline = nullptr;
};

// Everything the player thread owns. Nothing here is touched by another thread.
struct Player::State {
    MidiSink& sink;
    Timeline* timeline = nullptr;
    bool playing = false;
    double positionTick = 0; ///< where play() starts, while stopped
    std::size_t next = 0;    ///< next event to hand to the sink

    // Song time ↔ sink clock: clock = anchorClock + (song − anchorSong). The previous anchor stays for
    // the playhead while sound from before a loop wrap is still playing out of the lookahead.
    double anchorClock = 0, anchorSong = 0;
    double prevAnchorClock = 0, prevAnchorSong = 0;

    std::optional<LoopRange> loop;
    bool loopArmed = false; ///< the playhead was before the loop end, so the loop holds it
    double loopStartSec = 0, loopEndSec = 0;

    // Keys whose note-on went out and whose note-off has not; and when each key's last note-off is due
    // (a scheduled note-off dropped by cancelPending() must be replaced, or the note would hang).
    std::array<std::bitset<128>, 16> sounding{};
    std::array<std::array<double, 128>, 16> releaseDue{};
    std::bitset<16> channelsUsed;

    explicit State(MidiSink& s)
        : sink(s) {
        for (auto& ch : releaseDue)
            ch.fill(-1.0);
    }

    double songSecondsAt(double clock) const {
        double s;
        if (clock >= anchorClock) {
            s = anchorSong + (clock - anchorClock);
        } else if (clock >= prevAnchorClock) {
            s = prevAnchorSong + (clock - prevAnchorClock);
        } else {
            s = prevAnchorSong;
        }
        return timeline ? std::min(s, timeline->endSeconds) : s;
    }

    void updateLoop() {
        if (!timeline || !loop) {
            loopArmed = false;
            return;
        }
        loopStartSec = timeline->tempo.secondsAt(loop->startTick);
        loopEndSec = timeline->tempo.secondsAt(loop->endTick);
    }

    void emit(const MidiMessage& m, double when) {
        const int ch = m.channel();
        if (m.isNoteOn()) {
            sounding[ch].set(m.bytes[1]);
            channelsUsed.set(ch);
        } else if (m.isNoteOff()) {
            if (!sounding[ch].test(m.bytes[1])) return; // its note-on was before a seek or loop start
            sounding[ch].reset(m.bytes[1]);
            releaseDue[ch][m.bytes[1]] = when;
        }
        sink.sendAt(m, when);
    }

    enum class Release {
        LoopWrap, ///< the loop jumps back: sounding notes end at the loop end, the schedule stays
        End,      ///< the song ended by itself: everything was scheduled as meant, only make sure
        Cut,      ///< stop, seek, song change, exit: drop what the sink holds and silence everything
    };

    // Nothing may keep sounding after any of these.
    void releaseAll(double when, Release how) {
        const bool cut = how == Release::Cut;
        const double now = sink.clockSeconds();
        if (cut) sink.cancelPending();
        for (int ch = 0; ch < 16; ++ch) {
            for (int key = 0; key < 128; ++key) {
                // A note-off handed over recently may still sit in the sink's queue (a JACK cycle running
                // late), and cancelPending() just dropped it: send it again. A second note-off is harmless.
                const bool dropped = cut && releaseDue[ch][key] > now - kReleaseGrace;
                if (sounding[ch].test(key) || dropped) {
                    sink.sendAt(MidiMessage::noteOff(ch, key), when);
                    releaseDue[ch][key] = cut ? -1.0 : when;
                }
            }
            sounding[ch].reset();
        }
        if (how == Release::LoopWrap) return;
        // Some devices ignore note-offs after a lost message; the controllers make sure.
        for (int ch = 0; ch < 16; ++ch) {
            if (!channelsUsed.test(ch)) continue;
            sink.sendAt(MidiMessage::controlChange(ch, kSustainPedal, 0), when);
            sink.sendAt(MidiMessage::controlChange(ch, kAllNotesOff, 0), when);
        }
    }

    void start(double now) {
        const double delay = sink.startDelaySeconds();
        for (const MidiMessage& m : timeline->setup) {
            sink.sendAt(m, now);
            channelsUsed.set(m.channel());
        }
        anchorClock = prevAnchorClock = now + delay;
        anchorSong = prevAnchorSong = timeline->tempo.secondsAtTick(positionTick);
        next = timeline->firstEventAt(anchorSong);
        // firstEventAt compares seconds; an event exactly at the start tick must not be skipped by rounding.
        while (next > 0 && timeline->events[next - 1].tick >= std::int64_t(std::ceil(positionTick)))
            --next;
        updateLoop();
        loopArmed = loop && anchorSong < loopEndSec;
        playing = true;
    }

    void halt(double now) {
        positionTick = timeline ? timeline->tempo.tickAt(songSecondsAt(now)) : positionTick;
        releaseAll(now, Release::Cut);
        playing = false;
    }

    // Hands the sink every event due before `horizon`. Returns the clock time the thread must next act
    // at: the next event's time minus the lookahead, or the end of the song once every event is out.
    double schedule(double now, double horizon, bool& ended) {
        const Timeline& tl = *timeline;
        while (true) {
            const bool more = next < tl.events.size();
            const double songT = more ? tl.events[next].seconds : tl.endSeconds;
            if (loopArmed && songT >= loopEndSec) {
                const double wrapClock = anchorClock + (loopEndSec - anchorSong);
                if (wrapClock > horizon) return wrapClock - (horizon - now);
                releaseAll(wrapClock, Release::LoopWrap);
                prevAnchorClock = anchorClock;
                prevAnchorSong = anchorSong;
                anchorClock = wrapClock;
                anchorSong = loopStartSec;
                next = tl.firstEventAt(loopStartSec);
                while (next > 0 && tl.events[next - 1].tick >= loop->startTick)
                    --next;
                continue;
            }
            const double clock = anchorClock + (songT - anchorSong);
            if (!more) {
                if (now >= clock) ended = true;
                return clock;
            }
            if (clock > horizon) return clock - (horizon - now);
            emit(tl.events[next].message, clock);
            ++next;
        }
    }
};

Player::Player(MidiSink& sink)
    : sink_(sink)
    , commands_(std::make_unique<SpscQueue<Command>>(kQueueSize))
    , retired_(std::make_unique<SpscQueue<Timeline*>>(2 * kQueueSize)) {
    thread_ = std::thread([this] { run(); });
}

Player::~Player() {
    Command quit;
    quit.type = Command::Quit;
    post(quit);
    thread_.join();
    collectRetired();
}

void Player::post(const Command& c) {
    collectRetired();
    // The queue only fills if the player thread is starved for 256 commands; wait for it then.
    while (!commands_->push(c))
        std::this_thread::yield();
    ++posted_;
    wake_.release();
}

void Player::collectRetired() {
    Timeline* t = nullptr;
    while (retired_->pop(t))
        delete t;
}

void Player::setSong(const music::Song& song) {
    Command c;
    c.type = Command::SetTimeline;
    c.timeline = new Timeline(song);
    post(c);
}

void Player::play() {
    post({Command::Play, 0, 0, nullptr});
}
void Player::stop() {
    post({Command::Stop, 0, 0, nullptr});
}
void Player::seek(std::int64_t tick) {
    post({Command::Seek, std::max<std::int64_t>(0, tick), 0, nullptr});
}

void Player::setLoop(std::optional<LoopRange> loop) {
    if (loop && (loop->startTick < 0 || loop->endTick <= loop->startTick)) loop.reset();
    post({Command::SetLoop, loop ? loop->startTick : -1, loop ? loop->endTick : -1, nullptr});
}

void Player::run() {
    // Timer slack makes the kernel wake sleepers up to 50 µs late by default; the player wants its
    // moment. Real-time priority is taken when the system grants it (rtprio limits), silently otherwise.
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    pthread_setname_np(pthread_self(), "continuo-player");
    sched_param param{};
    param.sched_priority = 10;
    pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);

    State s(sink_);
    bool quit = false;
    auto publish = [&](double tick, double seconds) {
        positionTick_.store(std::int64_t(std::floor(tick + 1e-9)), std::memory_order_release);
        positionSeconds_.store(seconds, std::memory_order_release);
    };

    while (!quit) {
        Command c;
        while (commands_->pop(c)) {
            const double now = sink_.clockSeconds();
            switch (c.type) {
            case Command::SetTimeline: {
                const bool was = s.playing;
                if (was) s.halt(now);
                if (s.timeline && !retired_->push(s.timeline)) delete s.timeline; // cannot happen: sized 2×
                s.timeline = c.timeline;
                s.updateLoop();
                if (was) s.start(now);
                break;
            }
            case Command::Play:
                if (s.timeline && !s.playing) {
                    if (s.positionTick >= double(s.timeline->endTick))
                        s.positionTick = s.loop ? double(s.loop->startTick) : 0;
                    s.start(now);
                }
                break;
            case Command::Stop:
                if (s.playing) s.halt(now);
                break;
            case Command::Seek: {
                const bool was = s.playing;
                if (was) s.halt(now);
                s.positionTick = double(c.a);
                publish(s.positionTick, s.timeline ? s.timeline->tempo.secondsAt(c.a) : 0.0);
                if (was) s.start(now);
                break;
            }
            case Command::SetLoop:
                if (c.a < 0) {
                    s.loop.reset();
                } else {
                    s.loop = LoopRange{c.a, c.b};
                }
                s.updateLoop();
                s.loopArmed = s.loop && s.playing && s.songSecondsAt(now) < s.loopEndSec;
                break;
            case Command::Quit:
                quit = true;
                break;
            }
            playing_.store(s.playing, std::memory_order_release);
            taken_.fetch_add(1, std::memory_order_acq_rel);
        }
        if (quit) break;

        double wait = 0.1; // idle: commands wake the thread anyway
        if (s.playing) {
            const double now = sink_.clockSeconds();
            bool ended = false;
            const double actAt = s.schedule(now, now + sink_.lookaheadSeconds(), ended);
            const double songNow = s.songSecondsAt(now);
            publish(s.timeline->tempo.tickAt(songNow), songNow);
            if (ended) {
                s.releaseAll(now, State::Release::End);
                s.playing = false;
                s.positionTick = double(s.timeline->endTick);
                publish(s.positionTick, s.timeline->endSeconds);
                playing_.store(false, std::memory_order_release);
                ended_.fetch_add(1, std::memory_order_acq_rel);
            } else {
                wait = std::clamp(actAt - now, 0.0, kPlayheadInterval);
            }
        }
        if (wait > 0) {
            const auto deadline = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                                           std::chrono::duration<double>(wait));
            (void)wake_.try_acquire_until(deadline);
        }
    }
    if (s.playing) s.halt(sink_.clockSeconds());
    playing_.store(false, std::memory_order_release);
    if (s.timeline && !retired_->push(s.timeline)) delete s.timeline;
}

} // namespace continuo::playback
