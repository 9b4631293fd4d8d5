#pragma once
// The Generate workflow: turns the session's Generate settings and document into a request, runs it on the
// Engine, shows each variation as the session's Generate preview, and accepts one as a single undoable
// command. It talks to the Session and the Engine only, never to a widget: the Generate panel is bound to
// it (GeneratePanel::attach) and tests drive it without one.

#include "ui/generate/Engine.h"
#include "ui/generate/GenerateSettings.h"
#include "ui/session/Session.h"

#include <QObject>

#include <memory>

namespace continuo::ui {

class ITransport;

/// Thread contract: GUI thread only; the Engine does the work on its own thread. Every signal is emitted on
/// the GUI thread.
class GenerateController : public QObject {
    Q_OBJECT
public:
    /// `transport` may be null (no sound: Listen does nothing). None of the pointers is owned.
    GenerateController(Session* session, Engine* engine, ITransport* transport, QObject* parent = nullptr);

    /// Builds the request for `settings`; throws std::runtime_error with a sentence to show when the
    /// settings cannot apply (e.g. "regenerate" with nothing selected).
    model::GenerateRequest buildRequest(const GenerateSettings& settings) const;

    /// Generates with the session's Generate settings; with `composer`, on it for this job alone
    /// (retraining's "Try it"), else on the Engine's model. A request that cannot be built changes nothing.
    void generate(std::shared_ptr<model::Composer> composer = nullptr);
    void cancel() { engine_->cancel(); }
    void showVariation(int index);
    void accept();
    void discard();
    /// Plays the song with the current variation in place, from a bar before it.
    void audition();
    /// Sets the session's key lock to the key the current track's notes are in.
    void detectKey();

    int variationCount() const { return int(result_.variations.size()); }
    int currentVariation() const { return current_; }
    bool busy() const { return busy_; }
    /// The model the next generate() uses (the Engine's).
    bool hasModel() const { return engine_->hasModel(); }
    QString modelName() const { return QString::fromStdString(engine_->description().name); }
    QString modelSummary() const { return QString::fromStdString(engine_->description().summary); }

Q_SIGNALS:
    /// Results arrived (count may be 0) or the job failed / was cancelled.
    void resultsReady(int count);
    void generationFailed(const QString& message);
    /// A variation was accepted into the document.
    void accepted();
    /// A job started or ended.
    void busyChanged(bool busy);
    /// Of the running job: fraction done 0–1 and what it does now.
    void progress(double fraction, const QString& stage);
    /// A sentence for the user ("Generating…", why nothing happened, what to do next).
    void message(const QString& text);
    /// `count` variations with `index` (0-based) shown; 0: none.
    void variationsChanged(int count, int index, const QString& summary);
    /// The Engine's model changed (hasModel(), modelName()).
    void modelChanged();

private:
    void onFinished(const model::GenerateResult& result, bool cancelled);
    void setBusy(bool busy);

    Session* session_;
    Document* doc_;
    Engine* engine_;
    ITransport* transport_;
    model::GenerateResult result_;
    model::GenerateRequest request_; ///< the request the results answer (its track and range)
    TrackId track_ = 0;
    int current_ = 0;
    bool busy_ = false;
};

} // namespace continuo::ui
