#pragma once
// The Generate workflow: turns the panel's settings and the document into a request, runs it on the
// Engine, previews each variation in the roll, and accepts one as a single undoable command.

#include "ui/document/Document.h"
#include "ui/generate/Engine.h"
#include "ui/generate/GenerateSettings.h"

#include <QObject>

#include <memory>

namespace continuo::ui {

class GeneratePanel;
class ITransport;
class PianoRollView;

/// Thread contract: GUI thread only; the Engine does the work on its own thread.
class GenerateController : public QObject {
    Q_OBJECT
public:
    /// `transport` may be null (no sound: Listen is disabled). None of the pointers is owned.
    GenerateController(Document* doc, PianoRollView* roll, GeneratePanel* panel, Engine* engine,
                       ITransport* transport, QObject* parent = nullptr);

    /// Builds the request for the current settings; throws std::runtime_error with a sentence to show
    /// when the settings cannot apply (e.g. "regenerate" with nothing selected).
    model::GenerateRequest buildRequest(const GenerateSettings& settings) const;

    /// Generates from the current settings; with `composer`, on it for this job alone (retraining's "Try
    /// it"), else on the Engine's model. A request that cannot be built changes nothing.
    void generate(std::shared_ptr<model::Composer> composer = nullptr);
    void cancel() { engine_->cancel(); }
    void showVariation(int index);
    void accept();
    void discard();
    void audition();
    void detectKey();

    int variationCount() const { return int(result_.variations.size()); }
    int currentVariation() const { return current_; }

Q_SIGNALS:
    /// GUI thread: results arrived (count may be 0) or the job failed / was cancelled.
    void resultsReady(int count);
    void generationFailed(const QString& message);
    /// GUI thread: a variation was accepted into the document.
    void accepted();

private:
    void onFinished(const model::GenerateResult& result, bool cancelled);

    Document* doc_;
    PianoRollView* roll_;
    GeneratePanel* panel_;
    Engine* engine_;
    ITransport* transport_;
    model::GenerateResult result_;
    model::GenerateRequest request_; ///< the request the results answer (its track and range)
    TrackId track_ = 0;
    int current_ = 0;
};

} // namespace continuo::ui
