// Unit tests of WorkerPool: tasks run off the calling thread, the queue bound is enforced, Stop()
// drops what is queued and lets what runs finish.
#include "server/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>

namespace tidemark::server {
namespace {

using Clock = std::chrono::steady_clock;

TEST(WorkerPoolTest, RunsTasksOffTheCallingThread) {
  WorkerPool pool(2, 16);
  std::atomic<int> ran{0};
  std::atomic<bool> on_caller{false};
  const auto caller = std::this_thread::get_id();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&] {
      if (std::this_thread::get_id() == caller) on_caller = true;
      ++ran;
    }));
  }
  EXPECT_TRUE(pool.WaitIdle(Clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(ran.load(), 10);
  EXPECT_FALSE(on_caller.load());
}

TEST(WorkerPoolTest, RefusesTasksBeyondTheQueueLimit) {
  WorkerPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool.TrySubmit([&started, gate] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the only worker is busy; the queue is empty
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_EQ(pool.running(), 1u);
  EXPECT_FALSE(pool.WaitIdle(Clock::now() + std::chrono::milliseconds(20)));
  release.set_value();
  EXPECT_TRUE(pool.WaitIdle(Clock::now() + std::chrono::seconds(10)));
  EXPECT_TRUE(pool.TrySubmit([] {}));
}

TEST(WorkerPoolTest, StopFinishesRunningTaskAndDropsQueued) {
  WorkerPool pool(1, 8);
  std::promise<void> started;
  std::atomic<bool> finished{false};
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    finished = true;
  }));
  started.get_future().wait();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> weak = token;
  std::atomic<bool> dropped_ran{false};
  ASSERT_TRUE(pool.TrySubmit([token, &dropped_ran] { dropped_ran = true; }));
  token.reset();
  pool.Stop();
  EXPECT_TRUE(finished.load());
  EXPECT_FALSE(dropped_ran.load());
  EXPECT_TRUE(weak.expired());  // the dropped task's captures are released
  EXPECT_FALSE(pool.TrySubmit([] {}));
  pool.Stop();  // idempotent
}

}  // namespace
}  // namespace tidemark::server
