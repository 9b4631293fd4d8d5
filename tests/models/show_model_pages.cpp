// Not a test: shows the Model and Compute settings pages side by side, to look at them (screenshots).
// Usage: show_model_pages USER_MODELS_DIR [CUDA_GPUS [ROW_TO_SELECT]]   (the shipped default is looked up as
// the studio does)

#include "modelfile/DefaultModelLookup.h"
#include "ui/models/ComputeInfo.h"
#include "ui/models/ComputePage.h"
#include "ui/models/ModelPage.h"
#include "ui/settings/StudioSettings.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QListWidget>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) return 2;
    const QString users = QString::fromLocal8Bit(argv[1]);
    continuo::ui::ComputeInfo info;
    info.setCudaDevices(argc > 2 ? std::atoi(argv[2]) : 0);
    const continuo::ui::StudioSettings settings; // the defaults: nothing of the user's is shown
    QWidget window;
    auto* layout = new QHBoxLayout(&window);
    auto* model = new continuo::ui::ModelPage(
        users, QString::fromStdString(continuo::model::findDefaultModel().string()), &window);
    auto* compute = new continuo::ui::ComputePage(&info, &window);
    model->load(settings);
    if (argc > 3) {
        const int row = std::atoi(argv[3]);
        QObject::connect(model, &continuo::ui::ModelPage::listed, model,
                         [model, row] { model->list()->setCurrentRow(row); });
    }
    compute->load(settings);
    layout->addWidget(model, 3);
    layout->addWidget(compute, 1);
    window.resize(1400, 560);
    window.setWindowTitle("Settings pages: Model, Compute");
    window.show();
    return QApplication::exec();
}
