#pragma once
// A bounded single-producer single-consumer queue without locks or allocation after construction: the
// only way data crosses into and out of the real-time threads (player, MIDI input callbacks).

#include <atomic>
#include <cstddef>
#include <memory>
#include <type_traits>

namespace continuo::playback {

template <class T> class SpscQueue {
    static_assert(std::is_trivially_copyable_v<T>, "values are copied on real-time threads");

public:
    /// Holds up to `capacity` values (rounded up to a power of two, at least 2). Allocates here only.
    explicit SpscQueue(std::size_t capacity) {
        std::size_t n = 2;
        while (n < capacity)
            n *= 2;
        mask_ = n - 1;
        slots_ = std::make_unique<T[]>(n);
    }
    SpscQueue(const SpscQueue&) = delete;
    SpscQueue& operator=(const SpscQueue&) = delete;

    /// Producer thread only. False (and nothing stored) when full. Wait-free.
    bool push(const T& value) noexcept {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        if (head - tail_.load(std::memory_order_acquire) > mask_) return false;
        slots_[head & mask_] = value;
        head_.store(head + 1, std::memory_order_release);
        return true;
    }

    /// Consumer thread only. Wait-free.
    bool pop(T& out) noexcept {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        if (tail == head_.load(std::memory_order_acquire)) return false;
        out = slots_[tail & mask_];
        tail_.store(tail + 1, std::memory_order_release);
        return true;
    }

    /// Either thread; a snapshot that may be stale by the time it returns.
    bool empty() const noexcept {
        return head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
    }

private:
    std::unique_ptr<T[]> slots_;
    std::size_t mask_ = 0;
    // Apart so the producer and the consumer do not share a cache line.
    alignas(64) std::atomic<std::size_t> head_{0};
    alignas(64) std::atomic<std::size_t> tail_{0};
};

} // namespace continuo::playback
