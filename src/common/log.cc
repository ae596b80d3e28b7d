// The one logging function; see log.h.
#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "common/time.h"

namespace tidemark::common {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex write_mu;

}  // namespace

void SetMinLogLevel(LogLevel level) {
  min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel MinLogLevel() { return static_cast<LogLevel>(min_level.load(std::memory_order_relaxed)); }

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < min_level.load(std::memory_order_relaxed)) return;
  std::string line = FormatRfc3339(absl::ToUnixMicros(absl::Now()));
  line += ' ';
  line += LogLevelName(level);
  line += ' ';
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> lock(write_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace tidemark::common
