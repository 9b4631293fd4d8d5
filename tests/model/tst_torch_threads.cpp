// model::setTorchThreads' contract (model/LstmModel.h, issue 20): the count is per thread. It was documented
// as process-wide in one header and per thread in two others; this pins down what LibTorch does.

#include "model/LstmModel.h"

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace continuo;

class TestTorchThreads : public QObject {
    Q_OBJECT

    /// torchThreads() on a new thread.
    static int onNewThread() {
        int n = -1;
        std::thread([&] { n = model::torchThreads(); }).join();
        return n;
    }

private Q_SLOTS:
    void theCountBelongsToTheThreadThatSetIt() {
        model::setTorchThreads(1);
        QCOMPARE(model::torchThreads(), 1);
        QCOMPARE(onNewThread(), 1); // a new thread takes the value stored last

        // A thread that has used LibTorch's threads keeps its count when another thread sets a new one.
        std::atomic<int> before{-1};
        int after = -1;
        bool set = false;
        std::mutex m;
        std::condition_variable cv;
        std::thread worker([&] {
            before = model::torchThreads();
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return set; });
            after = model::torchThreads();
        });
        while (before < 0)
            std::this_thread::yield();
        model::setTorchThreads(2);
        {
            std::lock_guard lock(m);
            set = true;
        }
        cv.notify_one();
        worker.join();
        QCOMPARE(before.load(), 1);
        QCOMPARE(after, 1);                 // not process-wide
        QCOMPARE(model::torchThreads(), 2); // the calling thread's own
        QCOMPARE(onNewThread(), 2);         // and the stored value for threads still to start
        model::setTorchThreads(1);
    }
};

QTEST_GUILESS_MAIN(TestTorchThreads)
#include "tst_torch_threads.moc"
