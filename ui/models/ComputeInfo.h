#pragma once
// What the machine can compute on, as the Compute settings page needs it. The answer about CUDA comes from
// LibTorch, which the UI never links and which must not be asked on the GUI thread: app/ asks it on the
// engine thread and hands the answer in with setCudaDevices().

#include <QObject>
#include <QThread>

namespace continuo::ui {

/// Thread contract: GUI thread only (app/ posts the answer back to it).
class ComputeInfo : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    /// CUDA GPUs LibTorch can use; −1 while not known yet.
    int cudaDevices() const { return cudaDevices_; }
    void setCudaDevices(int count) {
        if (count == cudaDevices_) return;
        cudaDevices_ = count;
        Q_EMIT cudaDevicesChanged(count);
    }
    /// Cores the CPU threads setting may use (≥ 1).
    static int cpuCores() { return qMax(1, QThread::idealThreadCount()); }

Q_SIGNALS:
    void cudaDevicesChanged(int count);

private:
    int cudaDevices_ = -1;
};

} // namespace continuo::ui
