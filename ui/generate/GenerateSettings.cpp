#include "ui/generate/GenerateSettings.h"

#include "music/Key.h"

#include <QCoreApplication>

namespace continuo::ui {

QString scaleId(model::Scale scale) {
    const std::string_view id = music::scaleId(scale);
    return QString::fromUtf8(id.data(), qsizetype(id.size()));
}

QString scaleName(model::Scale scale) {
    return QCoreApplication::translate("Scale", music::scaleDisplayName(scale));
}

model::Scale scaleFromId(const QString& id, model::Scale fallback) {
    return music::scaleFromId(id.toStdString()).value_or(fallback);
}

model::KeyLock detectKey(const std::vector<music::Note>& notes) {
    const music::ScaleFit fit = music::nameKey(notes);
    return {fit.tonic, fit.minor ? model::Scale::NaturalMinor : model::Scale::Major};
}

} // namespace continuo::ui
