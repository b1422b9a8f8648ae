#include "rbl/engine/evaluation_pool.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rbl::engine {

namespace {

using Clock = std::chrono::steady_clock;

// Subjects per chunk: enough to make handing a chunk over cheap beside evaluating it, few enough
// to keep memory small (a chunk holds its subjects' records).
constexpr std::size_t k_chunk_subjects = 256;

double seconds(Clock::duration duration) {
    return std::chrono::duration<double>(duration).count();
}

struct Chunk {
    std::vector<SubjectCase> cases;
    std::vector<SubjectOutcome> outcomes;
    bool done = false;
    std::exception_ptr failure;
};

// Workers taking chunks from a queue; the reading thread waits for each chunk in order.
class Workers {
public:
    Workers(int count, const std::function<SubjectAdjudication()>& make) {
        for (int i = 0; i < count; ++i) {
            m_threads.emplace_back([this, make] { work(make()); });
        }
    }
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;
    ~Workers() {
        {
            const std::lock_guard lock(m_mutex);
            m_closing = true;
        }
        m_queued.notify_all();
        for (std::thread& thread : m_threads) {
            thread.join();
        }
    }

    void submit(Chunk& chunk) {
        {
            const std::lock_guard lock(m_mutex);
            m_queue.push_back(&chunk);
        }
        m_queued.notify_one();
    }

    void wait(Chunk& chunk) {
        std::unique_lock lock(m_mutex);
        m_finished.wait(lock, [&] { return chunk.done; });
    }

private:
    void work(SubjectAdjudication adjudication) {
        for (;;) {
            Chunk* chunk = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_queued.wait(lock, [&] { return m_closing || !m_queue.empty(); });
                if (m_queue.empty()) {
                    return;  // closing
                }
                chunk = m_queue.front();
                m_queue.pop_front();
            }
            try {
                chunk->outcomes.resize(chunk->cases.size());
                for (std::size_t i = 0; i < chunk->cases.size(); ++i) {
                    adjudication.run(chunk->cases[i], chunk->outcomes[i]);
                }
            } catch (...) {
                chunk->failure = std::current_exception();
            }
            {
                const std::lock_guard lock(m_mutex);
                chunk->done = true;
            }
            m_finished.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_queued;
    std::condition_variable m_finished;
    std::deque<Chunk*> m_queue;
    bool m_closing = false;
    std::vector<std::thread> m_threads;
};

PoolTimes evaluate_here(const std::function<SubjectAdjudication()>& make,
                        const std::function<bool(SubjectCase&)>& read,
                        const std::function<void(const SubjectCase&, SubjectOutcome&)>& take) {
    PoolTimes times;
    SubjectAdjudication adjudication = make();
    SubjectCase subject;
    SubjectOutcome outcome;
    for (;;) {
        const auto read_start = Clock::now();
        const bool more = read(subject);
        const auto evaluate_start = Clock::now();
        times.reading += seconds(evaluate_start - read_start);
        if (!more) {
            break;
        }
        adjudication.run(subject, outcome);
        take(subject, outcome);
        times.evaluating += seconds(Clock::now() - evaluate_start);
    }
    return times;
}

}  // namespace

PoolTimes evaluate_all(int jobs, const std::function<SubjectAdjudication()>& make,
                       const std::function<bool(SubjectCase&)>& read,
                       const std::function<void(const SubjectCase&, SubjectOutcome&)>& take) {
    if (jobs <= 1) {
        return evaluate_here(make, read, take);
    }
    PoolTimes times;
    std::deque<std::unique_ptr<Chunk>> in_flight;
    // Declared after in_flight: destroyed (the workers stopped) before the chunks they use.
    Workers workers(jobs, make);
    const auto take_oldest = [&] {
        const auto wait_start = Clock::now();
        Chunk& chunk = *in_flight.front();
        workers.wait(chunk);
        if (chunk.failure) {
            std::rethrow_exception(chunk.failure);
        }
        for (std::size_t i = 0; i < chunk.cases.size(); ++i) {
            take(chunk.cases[i], chunk.outcomes[i]);
        }
        in_flight.pop_front();
        times.evaluating += seconds(Clock::now() - wait_start);
    };
    const std::size_t most_in_flight = 2 * static_cast<std::size_t>(jobs);
    for (bool more = true; more;) {
        const auto read_start = Clock::now();
        auto chunk = std::make_unique<Chunk>();
        chunk->cases.resize(k_chunk_subjects);
        std::size_t count = 0;
        while (count < k_chunk_subjects && (more = read(chunk->cases[count]))) {
            ++count;
        }
        chunk->cases.resize(count);
        times.reading += seconds(Clock::now() - read_start);
        if (count > 0) {
            workers.submit(*chunk);
            in_flight.push_back(std::move(chunk));
        }
        while (in_flight.size() >= most_in_flight || (!more && !in_flight.empty())) {
            take_oldest();
        }
    }
    return times;
}

}  // namespace rbl::engine
