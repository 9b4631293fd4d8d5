// TrainingSetup ⇄ JSON, for the pending-run record (settings::kPendingTraining).

#include "ui/retrain/ITrainingBackend.h"

namespace continuo::ui::retrain {

QJsonObject TrainingSetup::toJson() const {
    return {{"folder", folder},
            {"name", name},
            {"preset", preset},
            {"baseModel", baseModel},
            {"epochs", epochs},
            {"window", window},
            {"learningRate", learningRate},
            {"transposeLow", transposeLow},
            {"transposeHigh", transposeHigh},
            {"validationShare", validationShare},
            {"policy", policy},
            {"device", device},
            {"threads", threads},
            {"maxStepsPerEpoch", maxStepsPerEpoch}};
}

TrainingSetup TrainingSetup::fromJson(const QJsonObject& j) {
    TrainingSetup s;
    s.folder = j.value("folder").toString(s.folder);
    s.name = j.value("name").toString(s.name);
    s.preset = j.value("preset").toString(s.preset);
    s.baseModel = j.value("baseModel").toString(s.baseModel);
    s.epochs = j.value("epochs").toInt(s.epochs);
    s.window = j.value("window").toInt(s.window);
    s.learningRate = j.value("learningRate").toDouble(s.learningRate);
    s.transposeLow = j.value("transposeLow").toInt(s.transposeLow);
    s.transposeHigh = j.value("transposeHigh").toInt(s.transposeHigh);
    s.validationShare = j.value("validationShare").toDouble(s.validationShare);
    s.policy = j.value("policy").toString(s.policy);
    s.device = j.value("device").toString(s.device);
    s.threads = j.value("threads").toInt(s.threads);
    s.maxStepsPerEpoch = qint64(j.value("maxStepsPerEpoch").toDouble(double(s.maxStepsPerEpoch)));
    return s;
}

} // namespace continuo::ui::retrain
