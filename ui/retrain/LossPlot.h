#pragma once
// A small line chart of training and validation loss per epoch, painted with QPainter (no chart library):
// axes with labels and ticks, one point per finished epoch, a legend. It updates as epochs are added.
//
// Thread contract: a widget — GUI thread only.

#include <QVector>
#include <QWidget>

namespace continuo::ui::retrain {

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    /// Replaces every point (losses in nats per token; a validation value < 0 means none for that epoch).
    void setLosses(const QVector<double>& train, const QVector<double>& validation);
    /// Appends one epoch's point and repaints.
    void addEpoch(double trainLoss, double validationLoss);
    void clear();
    /// The x axis spans at least this many epochs (the run's planned count), so the plot does not rescale
    /// after every epoch.
    void setPlannedEpochs(int epochs);

    int pointCount() const { return int(train_.size()); }
    const QVector<double>& trainLosses() const { return train_; }
    const QVector<double>& validationLosses() const { return validation_; }

    QSize sizeHint() const override { return {480, 240}; }
    QSize minimumSizeHint() const override { return {240, 140}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<double> train_, validation_;
    int plannedEpochs_ = 0;
};

} // namespace continuo::ui::retrain
