#pragma once
// Settings page "Model": the shipped default and the user's models (trained in the studio or imported),
// the selected one's model card, Import…, Remove and "Retrain on a folder…". The selected model becomes
// the active one on OK/Apply (StudioSettings::model; "" = the shipped default). Listing and importing read
// whole files (checksums), so they run on Qt's thread pool; the page updates when they are done.

#include "modelfile/ModelLibrary.h"
#include "ui/settings/SettingsPage.h"

#include <QFutureWatcher>

#include <vector>

class QLabel;
class QListWidget;
class QPushButton;

namespace continuo::ui {

/// Thread contract: GUI thread only (the file work runs on the pool and reports back queued).
class ModelPage : public SettingsPage {
    Q_OBJECT
public:
    /// `userDir`: the user's models folder (settings::userModelsDir(), created on import); `defaultModel`:
    /// the shipped model file, "" when none is installed (model::findDefaultModel()).
    ModelPage(const QString& userDir, const QString& defaultModel, QWidget* parent = nullptr);
    ~ModelPage() override;

    QString title() const override { return tr("Model"); }
    void load(const StudioSettings& settings) override;
    void save(StudioSettings& settings) const override;

    /// Re-reads the models folder (e.g. after a retraining saved a model); listed() follows.
    void refresh();
    /// Checks `file` and copies it into the models folder; importFinished() follows. The copy is selected.
    void importFile(const QString& file);
    /// Deletes the user model `file` without asking (the Remove button asks first). Refuses the shipped
    /// model with a message. Removing the model selected as active selects the shipped default.
    bool removeFile(const QString& file);

    /// The model that OK/Apply makes active: its file, "" for the shipped default.
    QString chosen() const { return chosen_; }
    /// Selects the row of `file` ("" = the shipped default); false when it is not listed.
    bool select(const QString& file);
    const std::vector<model::ModelEntry>& entries() const { return entries_; }
    QListWidget* list() const { return list_; }
    /// The card or the problem of the selected model, as shown.
    QString cardText() const;
    /// The last message (import, remove), as shown under the buttons.
    QString message() const;

Q_SIGNALS:
    /// The user asked to train a new model on a folder of MIDI files (the studio opens its retrain dialog).
    void retrainRequested();
    /// The list was (re)read and is shown.
    void listed();
    /// An import ended: `ok` and the one-sentence message shown.
    void importFinished(bool ok, const QString& message);

private:
    struct ImportOutcome {
        bool ok = false;
        QString text; ///< the new file, or the one-sentence reason it was refused
    };
    void showList(std::vector<model::ModelEntry> entries);
    void relabel() const;
    void onSelection();
    void askRemove();
    void askImport();
    void setMessage(const QString& text, bool error);
    QString keyOf(const model::ModelEntry& e) const; ///< "" for the built-in, else the path

    QString userDir_;
    QString defaultModel_;
    QString chosen_;          ///< what save() stores
    mutable QString active_;  ///< what the settings hold (marked in the list)
    QString selectAfterList_; ///< an imported file to select once listed
    std::vector<model::ModelEntry> entries_;
    QListWidget* list_;
    QLabel* card_;
    QLabel* message_;
    QPushButton* import_;
    QPushButton* remove_;
    QPushButton* retrain_;
    QFutureWatcher<std::vector<model::ModelEntry>> listing_;
    QFutureWatcher<ImportOutcome> importing_;
    bool relist_ = false; ///< refresh() was called while a listing ran
};

} // namespace continuo::ui
