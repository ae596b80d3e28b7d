// The one logging function: a line with time and level to stderr, dropped below the process-wide
// threshold. Small on purpose (Debian's Abseil has no absl/log); the server's access log writes
// through it, and so does every other diagnostic in src/.
//
// Thread-safety: all functions may be called from any thread; a line is written whole (one
// fwrite under a mutex), so lines from concurrent requests never interleave.
#pragma once

#include <string_view>

namespace tidemark::common {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Lines below `level` are dropped. Default kInfo.
void SetMinLogLevel(LogLevel level);
LogLevel MinLogLevel();

// "2024-05-01T12:00:00.123Z INFO <message>\n" on stderr when `level` passes the threshold.
// `message` should be a single line.
void Log(LogLevel level, std::string_view message);

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view LogLevelName(LogLevel level);

}  // namespace tidemark::common
