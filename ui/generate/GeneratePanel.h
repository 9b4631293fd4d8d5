#pragma once
// The Generate dock's contents: settings, Generate / Cancel with progress, and the variations to flip
// through, audition, accept or discard. A view only: GenerateController does the work, the Session holds
// the settings; attach() binds the panel to both.

#include "ui/generate/GenerateSettings.h"

#include <QWidget>

class QComboBox;
class QSlider;
class QSpinBox;
class QDoubleSpinBox;
class QCheckBox;
class QPushButton;
class QProgressBar;
class QLabel;
class QGroupBox;

namespace continuo::ui {

class GenerateController;
class Session;

class GeneratePanel : public QWidget {
    Q_OBJECT
public:
    explicit GeneratePanel(QWidget* parent = nullptr);

    /// Binds the panel: its buttons call `controller`, its controls edit `session`'s Generate settings (and
    /// show them when they change elsewhere, e.g. a project opened), and it shows the controller's state.
    /// Both must outlive the panel.
    void attach(GenerateController* controller, Session* session);

    GenerateSettings settings() const;
    void setSettings(const GenerateSettings& s);

    /// Shows which model generates (its name; the details as tooltip), or that none is installed (Generate
    /// stays disabled then). May be called while busy (the model was switched in Settings).
    void setModel(bool available, const QString& name, const QString& details);
    void setBusy(bool busy);
    void setProgress(double fraction, const QString& stage);
    /// Shows `count` variations with `index` (0-based) current; 0 hides the results box.
    void setVariations(int count, int index, const QString& summary);
    void setMessage(const QString& text);
    void setKey(int tonic, model::Scale scale);
    void setAuditionAvailable(bool available, const QString& why);

    QPushButton* generateButton() const { return generate_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* acceptButton() const { return accept_; }
    QPushButton* discardButton() const { return discard_; }

Q_SIGNALS: // all on the GUI thread
    void generateRequested();
    void cancelRequested();
    void detectKeyRequested();
    void previousVariation();
    void nextVariation();
    void auditionRequested();
    void acceptRequested();
    void discardRequested();
    void settingsChanged();

private:
    QComboBox* where_;
    QSpinBox* bars_;
    QDoubleSpinBox* temperature_;
    QDoubleSpinBox* topP_;
    QDoubleSpinBox* pitchTopP_;
    QComboBox* texture_;
    QSlider* structure_;
    QSpinBox* variations_;
    QSpinBox* seed_;
    QCheckBox* keyLock_;
    QComboBox* tonic_;
    QComboBox* scale_;
    QLabel* model_;
    QPushButton* generate_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* message_;
    QGroupBox* results_;
    QLabel* which_;
    QPushButton* audition_;
    QPushButton* accept_;
    QPushButton* discard_;
    QPushButton* prev_;
    QPushButton* next_;
    bool modelAvailable_ = false;
    bool busy_ = false;
    bool showingSession_ = false; ///< controls are being set from the session: do not write back
};

} // namespace continuo::ui
