// SQL tokenizer (see tokenizer.h): one pass over the bytes, no backtracking beyond one lookahead.
#include "sql/tokenizer.h"

#include <array>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tidemark::sql {
namespace {

// Character classes by table: the tokenizer asks for every byte.
enum CharClass : uint8_t { kSpace = 1, kWordStart = 2, kWordChar = 4, kDigit = 8 };

constexpr std::array<uint8_t, 256> MakeCharClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    uint8_t k = 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') k |= kSpace;
    if (alpha || c == '_' || c >= 0x80) k |= kWordStart;
    if (alpha || digit || c == '_' || c == '$' || c >= 0x80) k |= kWordChar;
    if (digit) k |= kDigit;
    classes[c] = k;
  }
  return classes;
}

constexpr std::array<uint8_t, 256> kCharClasses = MakeCharClasses();

bool IsWordStart(unsigned char c) { return kCharClasses[c] & kWordStart; }
bool IsWordChar(unsigned char c) { return kCharClasses[c] & kWordChar; }
bool IsSpace(unsigned char c) { return kCharClasses[c] & kSpace; }
bool IsDigit(unsigned char c) { return kCharClasses[c] & kDigit; }

}  // namespace

// Not in the anonymous namespace: TokenList names it as a friend.
class Lexer {
 public:
  Lexer(absl::string_view sql, Dialect dialect, const TokenizerLimits& limits)
      : sql_(sql), dialect_(dialect), limits_(limits) {}

  absl::StatusOr<TokenList> Run() {
    if (sql_.size() > limits_.max_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("SQL text is ", sql_.size(), " bytes; the limit is ", limits_.max_bytes));
    }
    tokens_.tokens_.reserve(sql_.size() / 2 + 8);  // dense SQL has a token every 2-3 bytes
    while (true) {
      SkipSpaceAndComments();
      if (!error_.ok()) return error_;
      if (pos_ >= sql_.size()) break;
      if (tokens_.tokens_.size() >= limits_.max_tokens) {
        return absl::InvalidArgumentError(
            absl::StrCat("SQL text has more than ", limits_.max_tokens, " tokens"));
      }
      Next();
      if (!error_.ok()) return error_;
    }
    Token end;
    end.offset = static_cast<uint32_t>(sql_.size());
    tokens_.tokens_.push_back(end);
    return std::move(tokens_);
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
  }

  void Fail(size_t at, absl::string_view what) {
    error_ = absl::InvalidArgumentError(absl::StrCat(what, " at ", DescribeOffset(sql_, at)));
  }

  void SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (IsSpace(static_cast<unsigned char>(c))) {
        ++pos_;
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (c == '#' && HashComment(dialect_)) {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (c == '/' && Peek(1) == '*') {
        const size_t start = pos_;
        const size_t end = sql_.find("*/", pos_ + 2);
        if (end == absl::string_view::npos) {
          Fail(start, "unterminated /* comment");
          return;
        }
        pos_ = end + 2;
      } else {
        return;
      }
    }
  }

  // The buffer behind upper-cased words and unescaped strings (see TokenList::buffer_).
  char* Buffer() {
    // Not value-initialised: every byte is written before a view covers it.
    if (!tokens_.buffer_) tokens_.buffer_.reset(new char[2 * sql_.size()]);
    return tokens_.buffer_.get();
  }

  // A token spelled as is in the SQL text at [start, start + size).
  void Push(TokenType type, size_t start, size_t size) {
    PushText(type, start, sql_.substr(start, size));
  }

  void PushText(TokenType type, size_t start, absl::string_view text) {
    Token t;
    t.type = type;
    t.offset = static_cast<uint32_t>(start);
    t.text = text;
    if (type == TokenType::kWord) {
      t.upper = text;
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] >= 'a' && text[i] <= 'z') {
          char* upper = Buffer() + start;
          for (size_t j = 0; j < text.size(); ++j) upper[j] = absl::ascii_toupper(text[j]);
          t.upper = absl::string_view(upper, text.size());
          break;
        }
      }
    }
    tokens_.tokens_.push_back(t);
  }

  // A quoted run closed by `close`; a doubled `close` stands for itself. The value is a view into
  // the SQL text unless it has escapes; then it is unescaped into the second half of the buffer.
  void Quoted(TokenType type, char close, bool backslash, size_t skip_open = 1) {
    const size_t start = pos_;
    pos_ += skip_open;
    const size_t body = pos_;
    char* value = nullptr;  // set at the first escape
    size_t size = 0;
    auto append = [&](char c) {
      if (value) value[size] = c;
      ++size;
    };
    auto escape = [&] {
      if (value) return;
      value = Buffer() + sql_.size() + body;
      std::memcpy(value, sql_.data() + body, size);
    };
    while (true) {
      if (pos_ >= sql_.size()) {
        Fail(start, type == TokenType::kString ? "unterminated string literal"
                                               : "unterminated quoted identifier");
        return;
      }
      const char c = sql_[pos_];
      if (backslash && c == '\\' && pos_ + 1 < sql_.size()) {
        escape();
        append(sql_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == close) {
        if (Peek(1) == close) {
          escape();
          append(close);
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      append(c);
      ++pos_;
    }
    PushText(type, start, value ? absl::string_view(value, size) : sql_.substr(body, size));
  }

  void TripleQuoted(char q) {
    const size_t start = pos_;
    const std::string delim(3, q);
    const size_t end = sql_.find(delim, pos_ + 3);
    if (end == absl::string_view::npos) {
      Fail(start, "unterminated string literal");
      return;
    }
    PushText(TokenType::kString, start, sql_.substr(pos_ + 3, end - pos_ - 3));
    pos_ = end + 3;
  }

  // $$...$$ or $tag$...$tag$; returns false when this `$` does not open one.
  bool DollarQuoted() {
    size_t i = pos_ + 1;
    while (i < sql_.size() && (std::isalnum(static_cast<unsigned char>(sql_[i])) || sql_[i] == '_'))
      ++i;
    if (i >= sql_.size() || sql_[i] != '$') return false;
    if (i > pos_ + 1 && IsDigit(static_cast<unsigned char>(sql_[pos_ + 1]))) return false;
    const absl::string_view delim = sql_.substr(pos_, i - pos_ + 1);
    const size_t end = sql_.find(delim, i + 1);
    if (end == absl::string_view::npos) {
      Fail(pos_, "unterminated dollar-quoted string");
      return true;
    }
    PushText(TokenType::kString, pos_, sql_.substr(i + 1, end - i - 1));
    pos_ = end + delim.size();
    return true;
  }

  void Number() {
    const size_t start = pos_;
    while (IsDigit(static_cast<unsigned char>(Peek()))) ++pos_;
    if (Peek() == '.' && Peek(1) != '.') {
      ++pos_;
      while (IsDigit(static_cast<unsigned char>(Peek()))) ++pos_;
    }
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(static_cast<unsigned char>(Peek(1))) ||
         ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(static_cast<unsigned char>(Peek(2)))))) {
      pos_ += 2;
      while (IsDigit(static_cast<unsigned char>(Peek()))) ++pos_;
    }
    // 1d, 10L, 2.5BD style suffixes (Hive/Spark) and 0x1F.
    while (IsWordChar(static_cast<unsigned char>(Peek()))) ++pos_;
    Push(TokenType::kNumber, start, pos_ - start);
  }

  void Word() {
    const size_t start = pos_;
    while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
    Push(TokenType::kWord, start, pos_ - start);
  }

  void Next() {
    const char c = sql_[pos_];
    const unsigned char uc = static_cast<unsigned char>(c);
    const char n1 = Peek(1);
    // String prefixes: E'..', N'..', X'..', B'..', R'..' (and r"..." in BigQuery).
    if ((n1 == '\'' || (n1 == '"' && !DoubleQuoteIsIdentifier(dialect_))) &&
        (c == 'E' || c == 'e' || c == 'N' || c == 'n' || c == 'X' || c == 'x' || c == 'B' ||
         c == 'b' || c == 'R' || c == 'r')) {
      const bool raw = c == 'R' || c == 'r';
      ++pos_;
      Quoted(TokenType::kString, n1, !raw && BackslashEscapes(dialect_));
      return;
    }
    if (IsWordStart(uc)) return Word();
    if (IsDigit(uc) || (c == '.' && IsDigit(static_cast<unsigned char>(n1)))) {
      return Number();
    }
    switch (c) {
      case '\'':
        if (dialect_ == Dialect::kBigQuery && n1 == '\'' && Peek(2) == '\'') return TripleQuoted(c);
        return Quoted(TokenType::kString, '\'', BackslashEscapes(dialect_));
      case '"':
        if (DoubleQuoteIsIdentifier(dialect_)) return Quoted(TokenType::kQuotedIdent, '"', false);
        if (dialect_ == Dialect::kBigQuery && n1 == '"' && Peek(2) == '"') return TripleQuoted(c);
        return Quoted(TokenType::kString, '"', BackslashEscapes(dialect_));
      case '`':
        return Quoted(TokenType::kQuotedIdent, '`', false);
      case '[':
        if (BracketIsIdentifier(dialect_)) return Quoted(TokenType::kQuotedIdent, ']', false);
        break;
      case '#':
        // T-SQL / Redshift temporary tables: #name, ##name.
        if (IsWordStart(static_cast<unsigned char>(n1)) || n1 == '#') {
          const size_t start = pos_;
          pos_ += n1 == '#' ? 2 : 1;
          while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
          Push(TokenType::kWord, start, pos_ - start);
          return;
        }
        break;
      case '$':
        if (DollarQuoted()) return;
        // $1 (positional), $name (Snowflake session variable, T-SQL's OUTPUT $action).
        if (IsDigit(static_cast<unsigned char>(n1)) ||
            IsWordStart(static_cast<unsigned char>(n1))) {
          const size_t start = pos_++;
          while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
          Push(TokenType::kParam, start, pos_ - start);
          return;
        }
        break;
      case '?':
        Push(TokenType::kParam, pos_, 1);
        ++pos_;
        return;
      case '@': {
        if (n1 == '>') {  // Postgres containment operator
          Push(TokenType::kOp, pos_, 2);
          pos_ += 2;
          return;
        }
        const size_t start = pos_++;
        if (Peek() == '@') ++pos_;
        while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
        Push(TokenType::kParam, start, pos_ - start);
        return;
      }
      case ':':
        if (IsWordStart(static_cast<unsigned char>(n1)) && !tokens_.empty() &&
            tokens_.back().type == TokenType::kWord && tokens_.back().upper == "AS") {
          // `AS :name`: a bind-parameter alias.
          const size_t start = pos_++;
          while (pos_ < sql_.size() && IsWordChar(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
          Push(TokenType::kParam, start, pos_ - start);
          return;
        }
        break;
      default:
        break;
    }
    // Multi-character operators, longest first; chosen by the first character.
    const absl::string_view rest = sql_.substr(pos_);
    absl::string_view op;
    auto match = [&](std::initializer_list<absl::string_view> candidates) {
      for (absl::string_view candidate : candidates) {
        if (absl::StartsWith(rest, candidate)) {
          op = candidate;
          return;
        }
      }
    };
    switch (c) {
      case ':':
        match({"::", ":="});
        break;
      case '|':
        match({"||"});
        break;
      case '<':
        match({"<=>", "<=", "<>", "<<", "<@"});
        break;
      case '>':
        match({">=", ">>"});
        break;
      case '!':
        match({"!=", "!~"});
        break;
      case '=':
        match({"==", "=>"});
        break;
      case '-':
        match({"->>", "->"});
        break;
      case '&':
        match({"&&"});
        break;
      case '*':
        match({"**"});
        break;
      default:
        break;
    }
    if (!op.empty()) {
      Push(TokenType::kOp, pos_, op.size());
      pos_ += op.size();
      return;
    }
    if (std::string_view("(),.;+-*/%=<>[]{}:&|^~!").find(c) != std::string_view::npos) {
      Push(TokenType::kOp, pos_, 1);
      ++pos_;
      return;
    }
    Fail(pos_, absl::StrCat("unexpected character '", std::string(1, c), "'"));
  }

  absl::string_view sql_;
  Dialect dialect_;
  TokenizerLimits limits_;
  size_t pos_ = 0;
  TokenList tokens_;
  absl::Status error_;
};

absl::StatusOr<TokenList> Tokenize(absl::string_view sql, Dialect dialect,
                                   const TokenizerLimits& limits) {
  return Lexer(sql, dialect, limits).Run();
}

std::string DescribeOffset(absl::string_view sql, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if (sql[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return absl::StrCat("line ", line, ", column ", column);
}

}  // namespace tidemark::sql
