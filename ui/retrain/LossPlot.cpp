#include "ui/retrain/LossPlot.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace continuo::ui::retrain {
namespace {

/// A "nice" tick step (1, 2 or 5 × 10^k) giving about `ticks` intervals over `span`.
double niceStep(double span, int ticks) {
    const double raw = span / std::max(1, ticks);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

const QColor kTrainColor(0x2f, 0x6f, 0xd6);
const QColor kValidationColor(0xe0, 0x6c, 0x1f);

} // namespace

LossPlot::LossPlot(QWidget* parent)
    : QWidget(parent) {
    setAccessibleName(tr("Loss per epoch"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LossPlot::setLosses(const QVector<double>& train, const QVector<double>& validation) {
    train_ = train;
    validation_ = validation;
    validation_.resize(train_.size(), -1);
    update();
}

void LossPlot::addEpoch(double trainLoss, double validationLoss) {
    train_.push_back(trainLoss);
    validation_.push_back(validationLoss);
    update();
}

void LossPlot::clear() {
    train_.clear();
    validation_.clear();
    update();
}

void LossPlot::setPlannedEpochs(int epochs) {
    plannedEpochs_ = std::max(0, epochs);
    update();
}

void LossPlot::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QFontMetrics fm = p.fontMetrics();
    const int left = fm.horizontalAdvance("00.00") + 22, right = 12, top = fm.height() + 14,
              bottom = 2 * fm.height() + 12;
    const QRect area(left, top, std::max(10, width() - left - right), std::max(10, height() - top - bottom));
    const QColor ink = palette().color(QPalette::Text);
    QColor grid = ink;
    grid.setAlpha(40);

    // Ranges: y over every finite loss (padded), x over the epochs run or planned.
    double lo = INFINITY, hi = -INFINITY;
    for (const QVector<double>* v : {&train_, &validation_})
        for (double d : *v)
            if (d >= 0 && std::isfinite(d)) {
                lo = std::min(lo, d);
                hi = std::max(hi, d);
            }
    if (!std::isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (hi - lo < 1e-3) {
        lo -= 0.05;
        hi += 0.05;
    }
    const double pad = (hi - lo) * 0.08;
    lo = std::max(0.0, lo - pad);
    hi += pad;
    const double step = niceStep(hi - lo, 4);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    const int epochs = std::max({plannedEpochs_, int(train_.size()), 2});
    auto xOf = [&](int epoch) { return area.left() + double(epoch - 1) / double(epochs - 1) * area.width(); };
    auto yOf = [&](double loss) { return area.bottom() - (loss - lo) / (hi - lo) * area.height(); };

    // Grid, ticks and labels.
    p.setPen(grid);
    const int digits = step < 0.1 ? 2 : 1;
    for (double y = lo; y <= hi + step / 2; y += step) {
        const int py = int(std::lround(yOf(y)));
        p.setPen(grid);
        p.drawLine(area.left(), py, area.right(), py);
        p.setPen(ink);
        p.drawText(QRect(0, py - fm.height() / 2, left - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(y, 'f', digits));
    }
    const int xStep = std::max(1, int(niceStep(epochs - 1, std::max(1, area.width() / 50))));
    QVector<int> xTicks{1};
    for (int e = xStep; e <= epochs; e += xStep)
        if (e > 1) xTicks.push_back(e);
    for (int e : xTicks) {
        const int px = int(std::lround(xOf(e)));
        p.setPen(grid);
        p.drawLine(px, area.top(), px, area.bottom());
        p.setPen(ink);
        p.drawText(QRect(px - 20, area.bottom() + 4, 40, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(e));
    }
    p.setPen(QPen(ink, 1));
    p.drawLine(area.bottomLeft(), area.bottomRight());
    p.drawLine(area.bottomLeft(), area.topLeft());
    p.drawText(QRect(area.left(), height() - fm.height() - 4, area.width(), fm.height()), Qt::AlignHCenter,
               tr("epoch"));
    p.drawText(QRect(4, 4, 300, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, tr("loss (nats per token)"));

    // The two series: lines through the points that exist, a dot on each.
    auto series = [&](const QVector<double>& v, const QColor& color) {
        QPainterPath path;
        bool started = false;
        p.setPen(QPen(color, 2));
        p.setBrush(color);
        for (int i = 0; i < v.size(); ++i) {
            if (v[i] < 0 || !std::isfinite(v[i])) continue;
            const QPointF pt(xOf(i + 1), yOf(v[i]));
            if (started)
                path.lineTo(pt);
            else
                path.moveTo(pt);
            started = true;
            p.drawEllipse(pt, 3, 3);
        }
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    };
    series(train_, kTrainColor);
    series(validation_, kValidationColor);

    // Legend, top right inside the plot.
    const QString labels[2] = {tr("training"), tr("validation")};
    const QColor colors[2] = {kTrainColor, kValidationColor};
    int x = area.right() - 8;
    for (int i = 1; i >= 0; --i) {
        const int w = fm.horizontalAdvance(labels[i]);
        x -= w;
        p.setPen(ink);
        p.drawText(QRect(x, 4, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
        x -= 22;
        p.setPen(QPen(colors[i], 3));
        p.drawLine(x, 4 + fm.height() / 2, x + 16, 4 + fm.height() / 2);
        x -= 14;
    }
    if (train_.isEmpty()) {
        p.setPen(ink);
        p.drawText(area, Qt::AlignCenter, tr("The losses appear here after each epoch."));
    }
}

} // namespace continuo::ui::retrain
