#include "playback/MidiRecorder.h"

#include "playback/PlaybackError.h"

#include <algorithm>
#include <cmath>

namespace continuo::playback {

MidiRecorder::MidiRecorder(const music::Song& song, const RecordingOptions& options)
    : tempo_(song)
    , options_(options) {
    if (options.startTick < 0)
        throw PlaybackError(ErrorKind::InvalidArgument, "recording start tick must be ≥ 0");
    if (options.countInBars < 0 || options.countInBars > 8) {
        throw PlaybackError(ErrorKind::InvalidArgument, "count-in must be 0–8 bars");
    }
    if (options.channel > 15) throw PlaybackError(ErrorKind::InvalidArgument, "channel must be 0–15");
    startSongSeconds_ = tempo_.secondsAt(options.startTick);
    // The count-in runs at the tempo and meter in force at the start, as a metronome would click it.
    const music::TimeSignature sig = song.timeSignatureAt(options.startTick);
    const double secondsPerTick = tempo_.secondsAt(options.startTick + 1) - startSongSeconds_;
    const double ticksPerBeat = double(song.ppq) * 4 / std::max<int>(1, sig.denominator);
    countIn_ = options.countInBars * sig.numerator * ticksPerBeat * secondsPerTick;
    lastBeat_ = options.countInBars > 0 ? ticksPerBeat * secondsPerTick : 0;
    heldSince_.fill(-1);
}

void MidiRecorder::start(double steadySeconds) {
    t0_ = steadySeconds;
    heldSince_.fill(-1);
    notes_.clear();
}

double MidiRecorder::tickAt(double seconds) const {
    return tempo_.tickAt(startSongSeconds_ + (seconds - recordStartSeconds()));
}

std::int64_t MidiRecorder::toTick(double seconds) const {
    return std::max<std::int64_t>(options_.startTick, std::llround(tickAt(seconds)));
}

void MidiRecorder::close(int key, double seconds) {
    const double since = heldSince_[std::size_t(key)];
    if (since < 0) return;
    heldSince_[std::size_t(key)] = -1;
    music::Note n;
    n.pitch = std::uint8_t(key);
    n.velocity = std::max<std::uint8_t>(1, heldVelocity_[std::size_t(key)]);
    n.channel = options_.channel;
    n.origin = music::NoteOrigin::User;
    n.start = toTick(since);
    n.duration = std::max<std::int64_t>(1, toTick(seconds) - n.start);
    notes_.push_back(n);
}

void MidiRecorder::feed(const TimedMidiMessage& m) {
    const MidiMessage& msg = m.message;
    if (msg.size < 3) return;
    const int key = msg.bytes[1];
    if (msg.isNoteOn()) {
        double at = m.seconds;
        if (at < recordStartSeconds()) {
            if (at < recordStartSeconds() - lastBeat_ - 1e-9) return; // mid count-in: not meant
            at = recordStartSeconds();
        }
        close(key, at); // a re-strike without note-off ends the previous note
        heldSince_[std::size_t(key)] = at;
        heldVelocity_[std::size_t(key)] = msg.bytes[2];
    } else if (msg.isNoteOff()) {
        close(key, std::max(m.seconds, recordStartSeconds()));
    }
}

void MidiRecorder::feedFrom(MidiIn& input) {
    TimedMidiMessage m;
    while (input.poll(m))
        feed(m);
}

std::vector<music::Note> MidiRecorder::finish(double steadySeconds) {
    for (int key = 0; key < 128; ++key)
        close(key, steadySeconds);
    std::vector<music::Note> out = notes_;
    std::sort(out.begin(), out.end(), music::noteLess);
    return out;
}

void MidiRecorder::mergeInto(music::Track& track, const std::vector<music::Note>& notes) {
    track.notes.insert(track.notes.end(), notes.begin(), notes.end());
    track.sortNotes();
}

} // namespace continuo::playback
