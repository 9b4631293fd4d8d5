// AmxProduct: the bf16 rounding (ties to even, NaN, infinities), the split v ≈ hi + lo, and — on a CPU with
// AMX-BF16 — the tile products against a double-precision reference for shapes that exercise every padding
// (rows and columns not multiples of 32), and each output bitwise the same whatever the batch and the split
// of row groups between calls (what makes variation 1 of a generation independent of how many were asked).
// Without AMX the kernel cases skip and say so; the rounding cases run everywhere.

#include "kernels/AmxProduct.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace continuo::model;

namespace {
struct Case {
    std::int64_t rows, cols;
    std::vector<float> w, x; ///< x: kMaxBatch rows
};
Case makeCase(std::int64_t rows, std::int64_t cols, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    Case c{rows, cols, std::vector<float>(std::size_t(rows * cols)),
           std::vector<float>(std::size_t(amx::kMaxBatch * cols))};
    for (float& v : c.w)
        v = u(rng);
    for (float& v : c.x)
        v = u(rng) * 3; // activations of either sign, some above 1
    return c;
}
/// out = 0.25 + x[0 … batch) · wᵀ, the row groups cut into `pieces` ranges run one after the other.
std::vector<float> product(const Case& c, const amx::PackedMatrix& w, std::int64_t batch, int pieces = 1) {
    amx::SplitInput x;
    x.set(c.x.data(), batch, c.cols, c.cols);
    std::vector<float> out(std::size_t(batch * c.rows), 0.25f);
    const std::int64_t g = w.groups();
    for (int i = 0; i < pieces; ++i)
        w.accumulate(x, out.data(), c.rows, g * i / pieces, g * (i + 1) / pieces);
    return out;
}
float bits(std::uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
} // namespace

class TestAmxProduct : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bf16Rounding() {
        QCOMPARE(amx::toBf16(1.0f), std::uint16_t(0x3f80));
        QCOMPARE(amx::toBf16(-2.0f), std::uint16_t(0xc000));
        // 1 + 2⁻⁸ lies halfway between 1 and 1 + 2⁻⁷: ties go to the even one (1); 1 + 3·2⁻⁸ rounds up to
        // the even 1 + 2⁻⁶; just above a half rounds up.
        QCOMPARE(amx::toBf16(bits(0x3f808000)), std::uint16_t(0x3f80));
        QCOMPARE(amx::toBf16(bits(0x3f818000)), std::uint16_t(0x3f82));
        QCOMPARE(amx::toBf16(bits(0x3f808001)), std::uint16_t(0x3f81));
        QCOMPARE(amx::toBf16(std::numeric_limits<float>::infinity()), std::uint16_t(0x7f80));
        QVERIFY(std::isnan(amx::fromBf16(amx::toBf16(std::numeric_limits<float>::quiet_NaN()))));
        QVERIFY(std::isnan(amx::fromBf16(amx::toBf16(bits(0x7f800001))))); // a NaN that would round to inf
        QCOMPARE(amx::fromBf16(0x4049), 3.140625f);
    }

    // hi + lo keeps about 16 significant bits: within 2⁻¹⁶ relative for numbers across the float range.
    void splitKeepsSixteenBits() {
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> mant(1.f, 2.f);
        std::uniform_int_distribution<int> expo(-60, 60);
        double worst = 0;
        for (int i = 0; i < 100000; ++i) {
            const float v = std::ldexp(mant(rng), expo(rng)) * (i % 2 ? -1.f : 1.f);
            const std::uint16_t hi = amx::toBf16(v), lo = amx::toBf16(v - amx::fromBf16(hi));
            worst = std::max(worst, std::abs((double(amx::fromBf16(hi)) + amx::fromBf16(lo) - v) / v));
        }
        QVERIFY2(worst <= std::ldexp(1.0, -16), qPrintable(QString::number(worst)));
    }

    void matchesReference_data() {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("cols");
        QTest::addColumn<qint64>("batch");
        for (qint64 batch : {1, 2, 3, 8, 16})
            for (auto [rows, cols] :
                 {std::pair<qint64, qint64>{2048, 1024}, {257, 100}, {5, 7}, {1, 32}, {33, 65}})
                QTest::addRow("%lldx%lld batch %lld", rows, cols, batch) << rows << cols << batch;
    }
    // Each output within 3·2⁻¹⁶ of Σ|w·x| of the exact sum: hi + lo is within 2⁻¹⁶ of w and of x, and the
    // dropped lo·lo is below 2⁻¹⁶ of w·x; float accumulation adds far less. A missing hi·lo or lo·hi term
    // would be off by 2⁻⁹. Measured: up to 6e-6 for a 7-long sum, about 1e-6 for 1,024-long ones.
    void matchesReference() {
        if (!amx::available()) QSKIP("no AMX-BF16 on this CPU (or the kernel refused the tile state)");
        QFETCH(qint64, rows);
        QFETCH(qint64, cols);
        QFETCH(qint64, batch);
        const Case c = makeCase(rows, cols, unsigned(rows * 31 + cols * 7 + batch));
        const amx::PackedMatrix w(c.w.data(), rows, cols, cols);
        QCOMPARE(w.groups(), (rows + 31) / 32);
        const std::vector<float> out = product(c, w, batch);
        double worst = 0;
        for (std::int64_t b = 0; b < batch; ++b)
            for (std::int64_t j = 0; j < rows; ++j) {
                double ref = 0.25, mag = 0;
                for (std::int64_t k = 0; k < cols; ++k) {
                    const double p = double(c.w[std::size_t(j * cols + k)]) * c.x[std::size_t(b * cols + k)];
                    ref += p;
                    mag += std::abs(p);
                }
                worst = std::max(worst, std::abs(out[std::size_t(b * rows + j)] - ref) / (mag + 0.25));
            }
        QVERIFY2(worst <= 3 * std::ldexp(1.0, -16), qPrintable(QString("relative error %1").arg(worst)));
        qInfo("largest error: %.2g of the sum of magnitudes", worst);
    }

    void everyOutputIndependentOfBatchAndSplit() {
        if (!amx::available()) QSKIP("no AMX-BF16 on this CPU (or the kernel refused the tile state)");
        const Case c = makeCase(2048, 1024, 5);
        const amx::PackedMatrix w(c.w.data(), c.rows, c.cols, c.cols);
        const std::vector<float> one = product(c, w, 1);
        for (std::int64_t batch : {2, 3, 8, 16})
            for (int pieces : {1, 2, 3, 7}) {
                const std::vector<float> many = product(c, w, batch, pieces);
                QVERIFY(std::memcmp(many.data(), one.data(), one.size() * sizeof(float)) == 0);
                if (pieces > 1) {
                    const std::vector<float> whole = product(c, w, batch, 1);
                    QVERIFY(std::memcmp(many.data(), whole.data(), whole.size() * sizeof(float)) == 0);
                }
            }
    }

    void refusesWhatItCannotDo() {
        amx::SplitInput x;
        std::vector<float> v(64, 1.f);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, x.set(v.data(), amx::kMaxBatch + 1, 4, 4));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, x.set(v.data(), 0, 4, 4));
        x.set(v.data(), 1, 64, 64);
        const amx::PackedMatrix w(v.data(), 2, 32, 32); // 32 columns; x has 64
        std::vector<float> out(2);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, w.accumulate(x, out.data(), 2, 0, w.groups()));
        qInfo("AMX here: %s", amx::available() ? "yes" : "no");
    }
};

QTEST_GUILESS_MAIN(TestAmxProduct)
#include "tst_amx_product.moc"
