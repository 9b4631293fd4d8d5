#pragma once
// The studio as main() wires its model side (MainWindow + ModelWorkflow) on the shipped default model, with
// a way to draw a short melody: shared by the tests of Settings ▸ Model and of retraining's "Try it".

#include "app/models/ModelWorkflow.h"
#include "model/DefaultModel.h"
#include "ui/MainWindow.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"

#include <vector>

namespace continuo::test {

/// A loaded 2-core CI machine: generous, never a timing assertion.
inline constexpr int kStudioTimeoutMs = 60000;

struct StudioWithModels {
    ui::MainWindow window{ui::StudioServices{model::openDefaultComposer().composer, {}, {}, {}, {}}};
    app::ModelWorkflow* workflow = new app::ModelWorkflow(&window);
    /// Draws E D C D E E E (quarter notes) on the current track, one undo step.
    void sketch() {
        ui::Document* d = window.document();
        std::vector<music::Note> notes;
        const std::uint8_t melody[] = {64, 62, 60, 62, 64, 64, 64};
        for (int i = 0; i < 7; ++i)
            notes.push_back({i * 480, 480, melody[i], 90, 0});
        d->undoStack()->push(ui::addNotesCommand(d, d->currentTrack(), notes, "Draw"));
    }
};

} // namespace continuo::test
