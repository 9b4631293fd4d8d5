#pragma once
// The track list: pick the track the roll edits; name, instrument (GM program), mute, solo, colour; add and
// remove tracks. Every change is a TrackCommand on the document's undo stack.

#include "ui/document/Document.h"

#include <QWidget>

class QListWidget;
class QLineEdit;
class QComboBox;
class QCheckBox;
class QPushButton;

namespace continuo::ui {

class TrackListPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrackListPanel(Document* doc, QWidget* parent = nullptr);

private:
    void rebuild();
    void showCurrent();
    void pushProps(const TrackProps& props, const QString& text);

    Document* doc_;
    QListWidget* list_;
    QLineEdit* name_;
    QComboBox* program_;
    QCheckBox* mute_;
    QCheckBox* solo_;
    QPushButton* colour_;
    QPushButton* remove_;
    bool updating_ = false;
};

} // namespace continuo::ui
