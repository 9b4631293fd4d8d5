#pragma once
// The model side of the running studio, wired in one place: Settings ▸ Model and ▸ Compute (pages and
// applying them through ModelServices), retraining (one TrainingController for the studio's lifetime, so
// closing the dialog never stops a run; the RetrainDialog opened from Settings ▸ Model or the Model menu),
// and the dialog's "Make active" and "Try it".

#include "app/models/ModelServices.h"

#include <QObject>
#include <QPointer>

namespace continuo::ui {
class MainWindow;
namespace retrain {
class RetrainDialog;
class TrainingController;
} // namespace retrain
} // namespace continuo::ui

namespace continuo::app {

/// Thread contract: GUI thread. Construct after the MainWindow, destroy before it (parent it to the window).
class ModelWorkflow : public QObject {
    Q_OBJECT
public:
    explicit ModelWorkflow(ui::MainWindow* window);
    ~ModelWorkflow() override;

    ModelServices* models() { return &models_; }
    ui::retrain::TrainingController* training() const { return training_; }
    /// Opens the retraining dialog (or raises the one already open). Non-modal: the studio stays usable.
    ui::retrain::RetrainDialog* openRetrainDialog();
    /// Generates from the current sketch with `file` for that one job (a variation preview to Accept or
    /// discard as usual); the Engine's active model is never replaced, so nothing has to be restored.
    void tryModel(const QString& file);

Q_SIGNALS:
    /// A sentence for the status bar and the Generate panel.
    void message(const QString& text);

private:
    ui::MainWindow* window_;
    ModelServices models_;
    ui::retrain::TrainingController* training_ = nullptr;
    QPointer<ui::retrain::RetrainDialog> dialog_;
};

} // namespace continuo::app
