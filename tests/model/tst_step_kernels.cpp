// StepKernels: on every path this CPU can run (AVX-512, AVX2, portable), the decoding step's matrix products
// are right against a double-precision reference for shapes that exercise every block and tail, and each
// output bitwise the same whatever the batch and the split of rows between threads (what makes variation 1
// of a generation independent of how many were asked); the LSTM cell likewise against double math.

#include "kernels/StepKernelChoice.h"
#include "kernels/StepKernels.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <vector>

using namespace continuo::model;

namespace {
struct Case {
    std::int64_t rows, cols, batch;
    std::vector<float> w, x;
};
Case makeCase(std::int64_t rows, std::int64_t cols, std::int64_t batch, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    Case c{rows, cols, batch, std::vector<float>(std::size_t(rows * cols)),
           std::vector<float>(std::size_t(batch * cols))};
    for (float& v : c.w)
        v = u(rng);
    for (float& v : c.x)
        v = u(rng);
    return c;
}
/// out = bias + x · wᵀ on `path`, the row groups cut into `pieces` ranges run one after the other. The
/// output rows are `c.rows` apart (no padding), with a guard value after the last one.
std::vector<float> product(const Case& c, std::int64_t batch, int pieces, StepPath path) {
    const StepMatrix m(path, c.w.data(), c.rows, c.cols, c.cols);
    std::vector<float> out(std::size_t(batch * c.rows + 1), 0.25f);
    out.back() = -7.f;
    ProductIo io{c.x.data(), batch, c.cols, out.data(), c.rows};
    for (int i = 0; i < pieces; ++i)
        m.accumulate(io, m.groups() * i / pieces, m.groups() * (i + 1) / pieces);
    if (out.back() != -7.f) throw std::logic_error("a product wrote past its outputs");
    out.pop_back();
    return out;
}
/// One data row per path this CPU runs (the column "path" holds the StepPath as an int).
void addPathRows() {
    QTest::addColumn<int>("path");
    for (StepPath path : availablePaths())
        QTest::newRow(pathName(path)) << int(path);
}
} // namespace

class TestStepKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data() {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("cols");
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<int>("path");
        for (StepPath path : availablePaths())
            for (qint64 batch : {1, 2, 3, 4, 5, 7, 8, 11, 16})
                for (auto [rows, cols] :
                     {std::pair<qint64, qint64>{2048, 1024}, {257, 100}, {5, 7}, {1, 16}, {13, 33}, {25, 9}})
                    QTest::addRow("%s %lldx%lld batch %lld", pathName(path), rows, cols, batch)
                        << rows << cols << batch << int(path);
    }
    void matchesReference() {
        QFETCH(qint64, rows);
        QFETCH(qint64, cols);
        QFETCH(qint64, batch);
        QFETCH(int, path);
        const Case c = makeCase(rows, cols, batch, unsigned(rows * 31 + cols * 7 + batch));
        const std::vector<float> out = product(c, batch, 1, StepPath(path));
        QCOMPARE(qint64(out.size()), rows * batch);
        for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t j = 0; j < rows; ++j) {
                double ref = 0.25, mag = 0;
                for (std::int64_t k = 0; k < cols; ++k) {
                    ref += double(c.w[std::size_t(j * cols + k)]) * c.x[std::size_t(b * cols + k)];
                    mag += std::abs(double(c.w[std::size_t(j * cols + k)]) * c.x[std::size_t(b * cols + k)]);
                }
                const double got = out[std::size_t(b * rows + j)];
                // float accumulation: a few ulps of the sum of magnitudes
                QVERIFY2(std::abs(got - ref) <= 1e-6 * (mag + 1) * 8,
                         qPrintable(QString("(%1, %2): %3 vs %4").arg(b).arg(j).arg(got).arg(ref)));
            }
    }
    void everyOutputIndependentOfBatchAndSplit_data() { addPathRows(); }
    void everyOutputIndependentOfBatchAndSplit() {
        QFETCH(int, path);
        const Case c = makeCase(2048, 1024, 11, 5);
        const std::vector<float> one = product(c, 1, 1, StepPath(path));
        for (std::int64_t batch : {2, 3, 4, 5, 8, 11})
            for (int pieces : {1, 2, 3, 7}) {
                const std::vector<float> many = product(c, batch, pieces, StepPath(path));
                // Row 0 of every batch is row 0 alone, bit for bit; and the whole batch equals itself
                // unsplit.
                QVERIFY(std::memcmp(many.data(), one.data(), one.size() * sizeof(float)) == 0);
                if (pieces > 1) {
                    const std::vector<float> whole = product(c, batch, 1, StepPath(path));
                    QVERIFY(std::memcmp(many.data(), whole.data(), whole.size() * sizeof(float)) == 0);
                }
            }
    }
    // The cell against double-precision math: c and h within 1e-6 absolute over the whole range gates take
    // (saturated ones included), odd unit counts for the masked tails.
    void lstmCellMatchesReference_data() { addPathRows(); }
    void lstmCellMatchesReference() {
        QFETCH(int, path);
        for (std::int64_t units : {1, 15, 16, 17, 512, 1000}) {
            std::mt19937 rng{static_cast<unsigned>(units)};
            std::uniform_real_distribution<float> u(-12.f, 12.f);
            std::vector<float> gates(static_cast<std::size_t>(4 * units)),
                c0(static_cast<std::size_t>(units));
            for (float& v : gates)
                v = u(rng);
            for (float& v : c0)
                v = u(rng) / 4;
            gates[0] = 95.f; // past exp's clamp on both sides
            gates[std::size_t(units)] = -95.f;
            {
                std::vector<float> c = c0, h(static_cast<std::size_t>(units));
                lstmCellRowOn(StepPath(path), gates.data(), c.data(), h.data(), units);
                double worst = 0;
                for (std::int64_t j = 0; j < units; ++j) {
                    const auto sig = [](double x) { return 1 / (1 + std::exp(-x)); };
                    const double gi = sig(gates[std::size_t(j)]), gf = sig(gates[std::size_t(units + j)]),
                                 gg = std::tanh(double(gates[std::size_t(2 * units + j)])),
                                 go = sig(gates[std::size_t(3 * units + j)]);
                    const double cj = gf * c0[std::size_t(j)] + gi * gg, hj = go * std::tanh(cj);
                    worst =
                        std::max({worst, std::abs(cj - c[std::size_t(j)]), std::abs(hj - h[std::size_t(j)])});
                }
                QVERIFY2(worst < 1e-6, qPrintable(QString("%1 units: off by %2").arg(units).arg(worst)));
            }
        }
    }

    // The path the engine runs is timed, not assumed: every candidate is timed on the product's shape, the
    // fastest is chosen, the answer is remembered in the cache file and read back from it, a damaged cache
    // line is timed again, and CONTINUO_STEP_PATH overrides. The portable path is timed too here so the
    // timing runs on any CPU (on one with a single vector path there is otherwise nothing to choose).
    void stepPathIsChosenByTiming() {
        QTemporaryDir dir;
        const std::filesystem::path cache = dir.filePath("kernels/step-kernels.txt").toStdString();
        const PathChoice timed = chooseStepPath(96, 40, cache, true);
        QCOMPARE(timed.timings.size(), availablePaths().size());
        QVERIFY(!timed.fromCache);
        QCOMPARE(timed.path, timed.timings.front().path);
        for (std::size_t i = 1; i < timed.timings.size(); ++i)
            QVERIFY(timed.timings[i - 1].milliseconds <= timed.timings[i].milliseconds);
        for (const PathTiming& t : timed.timings)
            QVERIFY(t.milliseconds > 0 && pathAvailable(t.path));
        QVERIFY2(QString::fromStdString(timed.why).startsWith(QString(pathName(timed.path)) + ": "),
                 timed.why.c_str());
        qInfo("%s", timed.why.c_str());
        QVERIFY(std::filesystem::exists(cache));
        // Another shape in the same file, then the first one again: read back, same answer.
        const PathChoice other = chooseStepPath(64, 24, cache, true);
        QVERIFY(!other.fromCache);
        std::string text;
        {
            std::ifstream in(cache);
            text.assign(std::istreambuf_iterator<char>(in), {});
        }
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 2L);
        // A new process finds the file: simulated by a file the memo has not seen (a copy).
        const std::filesystem::path copy = dir.filePath("copy.txt").toStdString();
        std::filesystem::copy_file(cache, copy);
        const PathChoice again = chooseStepPath(96, 40, copy, true);
        QVERIFY(again.fromCache);
        QCOMPARE(again.path, timed.path);
        QVERIFY(QString::fromStdString(again.why).contains("timed earlier on this machine"));
        // A damaged cache is not trusted: timed again and rewritten.
        const std::filesystem::path damaged = dir.filePath("damaged.txt").toStdString();
        {
            std::ofstream out(damaged);
            for (const auto& line : QString::fromStdString(text).split('\n', Qt::SkipEmptyParts))
                out << line.section('\t', 0, 0).toStdString() << "\tfast-path 1 2\n";
        }
        const PathChoice retimed = chooseStepPath(96, 40, damaged, true);
        QVERIFY(!retimed.fromCache);
        QCOMPARE(retimed.timings.size(), availablePaths().size());
        // The environment wins over the timing.
        ::setenv("CONTINUO_STEP_PATH", "portable", 1);
        const PathChoice forced = chooseStepPath(96, 40, cache, true);
        ::unsetenv("CONTINUO_STEP_PATH");
        QCOMPARE(forced.path, StepPath::Portable);
        QVERIFY(QString::fromStdString(forced.why).contains("CONTINUO_STEP_PATH"));
    }

    // The fastest path is what the report names; a path this CPU lacks is refused, never run (it would
    // fault on an illegal instruction); a bad shape or a range past the end is handled.
    void dispatchTakesTheFastestPath() {
        const std::vector<StepPath> paths = availablePaths();
        QVERIFY(!paths.empty());
        QCOMPARE(paths.back(), StepPath::Portable);
        QCOMPARE(QString(rowKernelName()), QString(pathName(paths.front())));
        qInfo("step kernel: %s", rowKernelName());
        const Case c = makeCase(257, 100, 3, 9);
        for (StepPath path : {StepPath::Avx512, StepPath::Avx2Fma})
            if (!pathAvailable(path)) QVERIFY_THROWS_EXCEPTION(std::invalid_argument, product(c, 1, 1, path));
        // A bad shape is refused before anything is allocated or read.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepMatrix(paths.front(), c.w.data(), 0, 4, 4));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepMatrix(paths.front(), c.w.data(), 4, 8, 4));
        // Groups past the end are clipped; an empty range writes nothing.
        const StepMatrix m(paths.front(), c.w.data(), c.rows, c.cols, c.cols);
        std::vector<float> out(std::size_t(3 * c.rows), 0.25f);
        const ProductIo io{c.x.data(), 3, c.cols, out.data(), c.rows};
        m.accumulate(io, m.groups(), m.groups() + 5);
        QVERIFY(std::all_of(out.begin(), out.end(), [](float v) { return v == 0.25f; }));
        m.accumulate(io, 0, m.groups() + 5);
        const std::vector<float> direct = product(c, 3, 1, paths.front());
        QVERIFY(std::memcmp(out.data(), direct.data(), direct.size() * sizeof(float)) == 0);
    }
};

QTEST_GUILESS_MAIN(TestStepKernels)
#include "tst_step_kernels.moc"
