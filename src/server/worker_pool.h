// WorkerPool: a fixed number of threads running tasks from one bounded FIFO queue. The HTTP server
// runs blocking handlers (fsynced writes, ingest, propagation) here so that they never hold up the
// io threads that serve fast reads.
//
// The queue is bounded on purpose: TrySubmit() refuses a task when `queue_limit` tasks are already
// waiting, and the caller answers 503 instead of letting a burst of writes grow memory without
// bound. Tasks must not throw (an escaping exception is swallowed so the worker keeps running).
//
// Thread-safety: every method may be called from any thread, except that Stop() (and the
// destructor) must not be called from a task: they join the workers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tidemark::server {

class WorkerPool {
 public:
  // Starts max(1, threads) workers.
  WorkerPool(int threads, size_t queue_limit);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` is dropped) when the queue is full or the pool is stopped.
  bool TrySubmit(std::function<void()> task);

  // Blocks until no task is queued or running, or until `deadline`; true when idle.
  bool WaitIdle(std::chrono::steady_clock::time_point deadline);

  // Refuses new tasks, drops the queued ones (destroying them on this thread), lets the running
  // ones finish and joins the workers. Idempotent.
  void Stop();

  size_t queued() const;   // waiting, not yet started
  size_t running() const;  // started, not yet finished

 private:
  void Loop();

  const size_t queue_limit_;
  // std::mutex rather than absl::Mutex: the tsan build cannot see Debian Abseil's synchronization.
  mutable std::mutex mu_;
  std::condition_variable work_cv_;          // a task was queued, or stopping
  std::condition_variable idle_cv_;          // a task finished
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  size_t running_ = 0;                       // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace tidemark::server
