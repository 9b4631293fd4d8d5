#pragma once
// The roll area: for now a read-only view of the song's notes on a pitch × time grid.

#include "music/Song.h"

#include <QAbstractScrollArea>

#include <memory>

namespace continuo::ui {

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit PianoRollView(QWidget* parent = nullptr);

    /// Shows `song` (nullptr: an empty roll); scrolls to its lowest-pitched region of interest.
    void setSong(std::shared_ptr<const music::Song> song);
    const music::Song* song() const { return song_.get(); }

    static constexpr int kKeyHeight = 8;       ///< pixels per semitone
    static constexpr int kKeyboardWidth = 48;  ///< pixels of the key column at the left
    static constexpr double kPixelsPerQuarter = 40.0;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateScrollRanges();
    double tickToX(std::int64_t tick) const;
    int pitchToY(int pitch) const;

    std::shared_ptr<const music::Song> song_;
};

} // namespace continuo::ui
