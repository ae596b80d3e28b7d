// Small helpers shared by the benchmarks: a stopwatch, latency samples with percentiles, resident
// memory from /proc, a scratch directory and fixed-width table printing. Header-only; benchmarks
// are single binaries and do not share a library. Not thread-safe: one LatencySamples per thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::bench {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double Micros() const { return Seconds() * 1e6; }
  void Reset() { start_ = std::chrono::steady_clock::now(); }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Latency samples in microseconds.
class LatencySamples {
 public:
  void Add(double micros) { samples_.push_back(micros); }
  size_t count() const { return samples_.size(); }
  // Nearest-rank percentile, q in [0, 100]; 0 when empty.
  double Percentile(double q) {
    if (samples_.empty()) return 0;
    if (!sorted_) {
      std::sort(samples_.begin(), samples_.end());
      sorted_ = true;
    }
    size_t rank = static_cast<size_t>(q / 100.0 * static_cast<double>(samples_.size()));
    return samples_[std::min(rank, samples_.size() - 1)];
  }
  double Mean() const {
    double sum = 0;
    for (double s : samples_) sum += s;
    return samples_.empty() ? 0 : sum / static_cast<double>(samples_.size());
  }

 private:
  std::vector<double> samples_;
  bool sorted_ = false;
};

// Resident set size of this process in KiB (VmRSS), 0 when /proc is unavailable.
inline int64_t VmRssKib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

// A fresh directory under $TMPDIR, removed with everything in it when the object dies.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("tidemark-" + tag + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// "12.3 µs" style formatting with a unit picked from the magnitude.
inline std::string FormatMicros(double micros) {
  char buf[32];
  if (micros < 1000) {
    std::snprintf(buf, sizeof buf, "%.1f us", micros);
  } else if (micros < 1e6) {
    std::snprintf(buf, sizeof buf, "%.2f ms", micros / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f s", micros / 1e6);
  }
  return buf;
}

inline std::string FormatCount(double n) {
  char buf[32];
  if (n >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", n / 1e6);
  } else if (n >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", n);
  }
  return buf;
}

// Prints rows of cells with every column padded to its widest cell; the first row is the header.
inline void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t i = 0; i < rows[r].size(); ++i) {
      std::string cell = rows[r][i];
      if (i > 0) line += "  ";
      // Left-align the first column, right-align the figures.
      if (i == 0) {
        line += cell + std::string(width[i] - cell.size(), ' ');
      } else {
        line += std::string(width[i] - cell.size(), ' ') + cell;
      }
    }
    std::printf("%s\n", line.c_str());
    if (r == 0) {
      size_t total = 0;
      for (size_t w : width) total += w + 2;
      std::printf("%s\n", std::string(total - 2, '-').c_str());
    }
  }
  std::fflush(stdout);
}

// Reads a CSV file written by lineage_gen (header line skipped; fields may be double-quoted but
// never contain quotes) and calls `row` with the fields of each line. False when unreadable.
inline bool ReadCsv(const std::string& path,
                    const std::function<void(const std::vector<std::string_view>&)>& row) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::vector<std::string_view> fields;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    fields.clear();
    size_t i = 0;
    while (i <= line.size()) {
      if (i < line.size() && line[i] == '"') {
        size_t end = line.find('"', i + 1);
        fields.emplace_back(line.data() + i + 1, end - i - 1);
        i = end + 2;
      } else {
        size_t end = line.find(',', i);
        if (end == std::string::npos) end = line.size();
        fields.emplace_back(line.data() + i, end - i);
        i = end + 1;
      }
    }
    row(fields);
  }
  return true;
}

}  // namespace tidemark::bench
