// StepKernels: the decoding step's matrix products are right against a double-precision reference for shapes
// that exercise every block and tail, and each output bitwise the same whatever the batch and the split
// of rows between threads (what makes variation 1 of a generation independent of how many were asked).

#include "model/StepKernels.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
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
/// out = bias + x · wᵀ through the kernel, the rows cut into `pieces` ranges run one after the other.
using Kernel = void (*)(const RowProduct&, std::int64_t, std::int64_t);
std::vector<float> product(const Case& c, std::int64_t batch, int pieces, Kernel kernel = &accumulateRows) {
    std::vector<float> out(std::size_t(batch * c.rows), 0.25f);
    RowProduct p{c.w.data(), c.rows, c.cols, c.cols, c.x.data(), batch, c.cols, out.data(), c.rows};
    for (int i = 0; i < pieces; ++i)
        kernel(p, c.rows * i / pieces, c.rows * (i + 1) / pieces);
    return out;
}
} // namespace

class TestStepKernels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data() {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("cols");
        QTest::addColumn<qint64>("batch");
        QTest::addColumn<bool>("portable");
        for (bool portable : {false, true})
            for (qint64 batch : {1, 2, 3, 5, 7, 8, 11, 16})
                for (auto [rows, cols] :
                     {std::pair<qint64, qint64>{2048, 1024}, {257, 100}, {5, 7}, {1, 16}, {13, 33}})
                    QTest::addRow("%s %lldx%lld batch %lld", portable ? "portable" : "dispatched", rows, cols,
                                  batch)
                        << rows << cols << batch << portable;
    }
    void matchesReference() {
        QFETCH(qint64, rows);
        QFETCH(qint64, cols);
        QFETCH(qint64, batch);
        QFETCH(bool, portable);
        const Case c = makeCase(rows, cols, batch, unsigned(rows * 31 + cols * 7 + batch));
        const std::vector<float> out =
            product(c, batch, 1, portable ? &accumulateRowsPortable : &accumulateRows);
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
    void everyOutputIndependentOfBatchAndSplit_data() {
        QTest::addColumn<bool>("portable");
        QTest::newRow("dispatched") << false;
        QTest::newRow("portable") << true;
    }
    void everyOutputIndependentOfBatchAndSplit() {
        QFETCH(bool, portable);
        const Kernel kernel = portable ? &accumulateRowsPortable : &accumulateRows;
        const Case c = makeCase(2048, 1024, 11, 5);
        const std::vector<float> one = product(c, 1, 1, kernel);
        for (std::int64_t batch : {2, 3, 8, 11})
            for (int pieces : {1, 2, 3, 7}) {
                const std::vector<float> many = product(c, batch, pieces, kernel);
                // Row 0 of every batch is row 0 alone, bit for bit; and the whole batch equals itself
                // unsplit.
                QVERIFY(std::memcmp(many.data(), one.data(), one.size() * sizeof(float)) == 0);
                if (pieces > 1) {
                    const std::vector<float> whole = product(c, batch, 1, kernel);
                    QVERIFY(std::memcmp(many.data(), whole.data(), whole.size() * sizeof(float)) == 0);
                }
            }
    }
    // The cell against double-precision math: c and h within 1e-6 absolute over the whole range gates take
    // (saturated ones included), odd unit counts for the masked tail; the portable path likewise.
    void lstmCellMatchesReference() {
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
            for (bool portable : {false, true}) {
                std::vector<float> c = c0, h(static_cast<std::size_t>(units));
                (portable ? lstmCellRowPortable : lstmCellRow)(gates.data(), c.data(), h.data(), units);
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
                QVERIFY2(worst < 1e-6, qPrintable(QString("%1 units%2: off by %3")
                                                      .arg(units)
                                                      .arg(portable ? " (portable)" : "")
                                                      .arg(worst)));
            }
        }
    }

    void reportsItsPath() {
        const QString name = rowKernelName();
        QVERIFY(name == "avx512" || name == "portable");
        qInfo("row kernel: %s", qPrintable(name));
    }
};

QTEST_GUILESS_MAIN(TestStepKernels)
#include "tst_step_kernels.moc"
