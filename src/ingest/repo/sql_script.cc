// The SQL statement splitter; see sql_script.h.
#include "ingest/repo/sql_script.h"

#include <cctype>

#include "ingest/runs/str_util.h"

namespace tidemark::ingest {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// Length of a dollar-quote tag ("$$" or "$tag$") starting at `i`, 0 when there is none.
size_t DollarTagLength(std::string_view s, size_t i) {
  if (s[i] != '$' || (i > 0 && IsIdentChar(s[i - 1]))) return 0;
  size_t j = i + 1;
  if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) != 0) return 0;  // $1
  while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) != 0 || s[j] == '_')) {
    ++j;
  }
  return j < s.size() && s[j] == '$' ? j - i + 1 : 0;
}

class Splitter {
 public:
  Splitter(std::string_view sql, int first_line) : sql_(sql), line_(first_line) {}

  SplitSql Run() {
    size_t i = 0;
    while (i < sql_.size()) {
      const char c = sql_[i];
      if (c == '\n') {
        ++line_;
        ++i;
      } else if (c == '-' && Next(i) == '-') {
        while (i < sql_.size() && sql_[i] != '\n') ++i;
      } else if (c == '/' && Next(i) == '*') {
        i = SkipUntil(i + 2, "*/", "comment");
      } else if (c == ';') {
        Flush();
        ++i;
      } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++i;
      } else {
        Mark(i);
        if (c == '\'') {
          i = SkipQuoted(i, '\'', "string");
        } else if (c == '"') {
          i = SkipQuoted(i, '"', "quoted identifier");
        } else if (c == '`') {
          i = SkipQuoted(i, '`', "quoted identifier");
        } else if (size_t tag = DollarTagLength(sql_, i); tag > 0) {
          i = SkipUntil(i + tag, sql_.substr(i, tag), "dollar-quoted string");
        } else {
          ++i;
        }
        last_ = i;
        last_line_ = line_;
      }
    }
    Flush();
    return std::move(out_);
  }

 private:
  char Next(size_t i) const { return i + 1 < sql_.size() ? sql_[i + 1] : '\0'; }

  void Mark(size_t i) {
    if (start_ != std::string_view::npos) return;
    start_ = i;
    start_line_ = line_;
  }

  // Skips a quoted run starting at `i` (the opening quote); doubled quotes escape.
  size_t SkipQuoted(size_t i, char quote, const char* what) {
    const int opened = line_;
    for (size_t j = i + 1; j < sql_.size(); ++j) {
      if (sql_[j] == '\n') ++line_;
      if (sql_[j] != quote) continue;
      if (Next(j) == quote) {
        ++j;
        continue;
      }
      return j + 1;
    }
    Unterminated(what, opened);
    return sql_.size();
  }

  size_t SkipUntil(size_t i, std::string_view end, const char* what) {
    const int opened = line_;
    const size_t found = sql_.find(end, i);
    const size_t stop = found == std::string_view::npos ? sql_.size() : found + end.size();
    for (size_t j = i; j < stop; ++j) {
      if (sql_[j] == '\n') ++line_;
    }
    if (found == std::string_view::npos) Unterminated(what, opened);
    return stop;
  }

  void Unterminated(const char* what, int line) {
    if (out_.error.empty()) out_.error = Cat("unterminated ", what, " starting on line ", line);
  }

  void Flush() {
    if (start_ != std::string_view::npos) {
      out_.statements.push_back(
          {std::string(sql_.substr(start_, last_ - start_)), start_line_, last_line_});
    }
    start_ = std::string_view::npos;
  }

  std::string_view sql_;
  int line_;
  size_t start_ = std::string_view::npos;
  int start_line_ = 0;
  size_t last_ = 0;  // one past the last significant character
  int last_line_ = 0;
  SplitSql out_;
};

}  // namespace

SplitSql SplitSqlStatements(std::string_view sql, int first_line) {
  return Splitter(sql, first_line).Run();
}

}  // namespace tidemark::ingest
