// DDL column lists and comments over the lineage parser's tokens; see ddl_columns.h.
#include "ingest/repo/ddl_columns.h"

#include <set>

#include "absl/strings/string_view.h"
#include "ingest/runs/str_util.h"
#include "sql/tokenizer.h"

namespace tidemark::ingest {
namespace {

using sql::Token;
using sql::TokenType;

// Keywords that end a column's type and start its constraints or options.
const std::set<std::string>& ConstraintWords() {
  static const auto* words = new std::set<std::string>{
      "NOT",    "NULL",    "DEFAULT",   "PRIMARY", "REFERENCES",     "COMMENT",       "CONSTRAINT",
      "UNIQUE", "CHECK",   "GENERATED", "COLLATE", "AUTO_INCREMENT", "AUTOINCREMENT", "IDENTITY",
      "ENCODE", "MASKING", "OPTIONS",   "ON",      "CHARACTER",      "CHARSET",       "KEY"};
  return *words;
}

// Words that start a table-level constraint instead of a column.
const std::set<std::string>& TableConstraintWords() {
  static const auto* words = new std::set<std::string>{
      "CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE",  "CHECK",    "INDEX",
      "KEY",        "LIKE",    "PERIOD",  "EXCLUDE", "FULLTEXT", "SPATIAL"};
  return *words;
}

class Cursor {
 public:
  Cursor(std::string_view sql, sql::TokenList tokens) : sql_(sql), tokens_(std::move(tokens)) {}

  const Token& Cur() const { return tokens_[pos_]; }
  bool AtEnd() const { return Cur().type == TokenType::kEnd; }
  bool IsWord(const char* w) const { return Cur().type == TokenType::kWord && Cur().upper == w; }
  bool IsOp(const char* op) const { return Cur().type == TokenType::kOp && Cur().text == op; }
  bool NextIsOp(const char* op) const {
    return pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].type == TokenType::kOp &&
           tokens_[pos_ + 1].text == op;
  }
  bool Accept(const char* w) {
    if (!IsWord(w)) return false;
    ++pos_;
    return true;
  }
  bool AcceptOp(const char* op) {
    if (!IsOp(op)) return false;
    ++pos_;
    return true;
  }
  void Advance() {
    if (!AtEnd()) ++pos_;
  }
  bool IsName() const {
    return Cur().type == TokenType::kWord || Cur().type == TokenType::kQuotedIdent;
  }
  std::string Name() {
    const std::string text(Cur().text);
    std::string n = Cur().type == TokenType::kWord ? Lower(text) : text;
    Advance();
    return n;
  }
  std::vector<std::string> QualifiedName() {
    std::vector<std::string> parts;
    if (!IsName()) return parts;
    parts.push_back(Name());
    while (IsOp(".") && pos_ + 1 < tokens_.size()) {
      ++pos_;
      if (!IsName()) break;
      parts.push_back(Name());
    }
    return parts;
  }
  // Skips a parenthesised group starting at the current "(".
  void SkipGroup() {
    int depth = 0;
    do {
      if (IsOp("(")) ++depth;
      if (IsOp(")")) --depth;
      Advance();
    } while (depth > 0 && !AtEnd());
  }
  std::string_view Slice(size_t from_token, size_t to_token) const {
    const size_t a = tokens_[from_token].offset;
    const size_t b =
        tokens_[to_token].type == TokenType::kEnd ? sql_.size() : tokens_[to_token].offset;
    return sql_.substr(a, b > a ? b - a : 0);
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view sql_;
  sql::TokenList tokens_;  // views into sql_
  size_t pos_ = 0;
};

std::optional<Cursor> TokensOf(std::string_view statement, sql::Dialect dialect) {
  auto tokens = sql::Tokenize(absl::string_view(statement.data(), statement.size()), dialect);
  if (!tokens.ok()) return std::nullopt;
  return Cursor(statement, std::move(tokens).value());
}

std::string CollapseLower(std::string_view s) {
  std::string out;
  for (char c : Trim(s)) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

// One column definition; the cursor is at its name and is left at the ',' or ')' that ends it.
DdlColumn ParseColumn(Cursor& c) {
  DdlColumn col;
  col.name = c.Name();
  const size_t type_start = c.pos();
  int depth = 0;
  while (!c.AtEnd()) {
    if (depth == 0 && (c.IsOp(",") || c.IsOp(")"))) break;
    if (depth == 0 && c.Cur().type == TokenType::kWord && c.pos() > type_start) {
      // WITH starts column properties only before "(": `timestamp with time zone` is a type.
      const bool stop = c.Cur().upper == "WITH"
                            ? c.NextIsOp("(")
                            : ConstraintWords().count(std::string(c.Cur().upper)) > 0;
      if (stop) break;
    }
    if (c.IsOp("(")) ++depth;
    if (c.IsOp(")")) --depth;
    c.Advance();
  }
  col.native_type = CollapseLower(c.Slice(type_start, c.pos()));
  // Constraints and options up to the end of the definition.
  while (!c.AtEnd() && !c.IsOp(",") && !c.IsOp(")")) {
    if (c.Accept("NOT")) {
      if (c.Accept("NULL")) col.nullable = false;
    } else if (c.Accept("PRIMARY")) {
      c.Accept("KEY");
      col.primary_key = true;
      col.nullable = false;
    } else if (c.Accept("COMMENT")) {
      c.AcceptOp("=");
      if (c.Cur().type == TokenType::kString) {
        col.comment = std::string(c.Cur().text);
        c.Advance();
      }
    } else if (c.IsWord("WITH") && c.NextIsOp("(")) {
      c.Advance();
      c.SkipGroup();
    } else if (c.IsOp("(")) {
      c.SkipGroup();
    } else {
      c.Advance();
    }
  }
  return col;
}

// PRIMARY KEY (a, b) as a table constraint marks its columns.
void ParseTableConstraint(Cursor& c, DdlTable& table) {
  bool primary = false;
  while (!c.AtEnd() && !c.IsOp(",") && !c.IsOp(")")) {
    if (c.Accept("PRIMARY")) {
      primary = c.Accept("KEY");
      continue;
    }
    if (c.IsOp("(") && primary) {
      c.Advance();
      while (!c.AtEnd() && !c.IsOp(")")) {
        if (c.IsName()) {
          const std::string name = c.Name();
          for (DdlColumn& col : table.columns) {
            if (col.name == name) {
              col.primary_key = true;
              col.nullable = false;
            }
          }
        } else {
          c.Advance();
        }
      }
      c.Advance();
      primary = false;
      continue;
    }
    if (c.IsOp("(")) {
      c.SkipGroup();
      continue;
    }
    c.Advance();
  }
}

}  // namespace

std::optional<DdlTable> ParseCreateTableColumns(std::string_view statement, sql::Dialect dialect) {
  std::optional<Cursor> cur = TokensOf(statement, dialect);
  if (!cur) return std::nullopt;
  Cursor& c = *cur;
  if (!c.Accept("CREATE")) return std::nullopt;
  if (c.Accept("OR")) c.Accept("REPLACE");
  while (!c.AtEnd() && !c.IsWord("TABLE")) {
    static const std::set<std::string> kModifiers = {
        "TEMP",      "TEMPORARY", "GLOBAL",   "LOCAL", "UNLOGGED", "EXTERNAL",
        "TRANSIENT", "VOLATILE",  "MULTISET", "SET",   "PRIVATE"};
    if (c.Cur().type != TokenType::kWord || kModifiers.count(std::string(c.Cur().upper)) == 0) {
      return std::nullopt;
    }
    c.Advance();
  }
  if (!c.Accept("TABLE")) return std::nullopt;
  if (c.Accept("IF")) {
    c.Accept("NOT");
    c.Accept("EXISTS");
  }
  DdlTable table;
  table.name = c.QualifiedName();
  if (table.name.empty() || !c.AcceptOp("(")) return std::nullopt;
  while (!c.AtEnd() && !c.IsOp(")")) {
    if (c.AcceptOp(",")) continue;
    if (c.Cur().type == TokenType::kWord &&
        TableConstraintWords().count(std::string(c.Cur().upper)) > 0) {
      ParseTableConstraint(c, table);
    } else if (c.IsName()) {
      table.columns.push_back(ParseColumn(c));
    } else {
      c.Advance();
    }
  }
  if (!c.AcceptOp(")") || table.columns.empty()) return std::nullopt;
  // Table options: COMMENT 'x' (Trino, Hive), COMMENT = 'x' (MySQL); stop at AS (CTAS).
  while (!c.AtEnd() && !c.IsWord("AS")) {
    if (c.Accept("COMMENT")) {
      c.AcceptOp("=");
      if (c.Cur().type == TokenType::kString) table.comment = std::string(c.Cur().text);
    }
    if (c.IsOp("(")) {
      c.SkipGroup();
    } else {
      c.Advance();
    }
  }
  return table;
}

std::optional<DdlComment> ParseCommentOn(std::string_view statement, sql::Dialect dialect) {
  std::optional<Cursor> cur = TokensOf(statement, dialect);
  if (!cur) return std::nullopt;
  Cursor& c = *cur;
  if (!c.Accept("COMMENT") || !c.Accept("ON")) return std::nullopt;
  DdlComment out;
  const bool column = c.Accept("COLUMN");
  if (!column && !c.Accept("TABLE") && !c.Accept("VIEW")) return std::nullopt;
  std::vector<std::string> name = c.QualifiedName();
  if (name.empty() || (column && name.size() < 2)) return std::nullopt;
  if (column) {
    out.column = name.back();
    name.pop_back();
  }
  out.table = std::move(name);
  if (!c.Accept("IS") || c.Cur().type != TokenType::kString) return std::nullopt;
  out.text = std::string(c.Cur().text);
  return out;
}

}  // namespace tidemark::ingest
