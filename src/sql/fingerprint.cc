// Query fingerprints (see fingerprint.h).
#include "sql/fingerprint.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sql/tokenizer.h"

namespace tidemark::sql {

absl::StatusOr<std::string> NormalizeQuery(absl::string_view sql, Dialect dialect) {
  absl::StatusOr<TokenList> tokens = Tokenize(sql, dialect);
  if (!tokens.ok()) return tokens.status();
  std::vector<std::string> out;
  for (const Token& t : *tokens) {
    switch (t.type) {
      case TokenType::kEnd:
        break;
      case TokenType::kString:
      case TokenType::kNumber:
      case TokenType::kParam:
        // ? , ? , ?  ->  ?
        if (out.size() >= 2 && out.back() == "," && out[out.size() - 2] == "?") {
          out.pop_back();
        } else {
          out.push_back("?");
        }
        break;
      case TokenType::kWord:
        out.emplace_back(t.upper);
        break;
      case TokenType::kQuotedIdent:
        out.push_back(absl::StrCat("\"", t.text, "\""));
        break;
      case TokenType::kOp:
        if (t.text == ";" && (out.empty() || out.back() == ";")) break;
        out.emplace_back(t.text);
        break;
    }
  }
  while (!out.empty() && out.back() == ";") out.pop_back();
  // (?), (?), (?)  ->  (?)   (multi-row VALUES)
  std::vector<std::string> folded;
  for (const std::string& s : out) {
    folded.push_back(s);
    const size_t n = folded.size();
    if (n >= 7 && folded[n - 1] == ")" && folded[n - 2] == "?" && folded[n - 3] == "(" &&
        folded[n - 4] == "," && folded[n - 5] == ")" && folded[n - 6] == "?" &&
        folded[n - 7] == "(") {
      folded.resize(n - 4);
    }
  }
  std::string text;
  for (const std::string& s : folded) {
    if (!text.empty() && s != "," && s != ")" && s != "." && text.back() != '(' &&
        text.back() != '.') {
      text.push_back(' ');
    }
    text += s;
  }
  return text;
}

absl::StatusOr<std::string> QueryFingerprint(absl::string_view sql, Dialect dialect) {
  absl::StatusOr<std::string> text = NormalizeQuery(sql, dialect);
  if (!text.ok()) return text.status();
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : *text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", h);
}

}  // namespace tidemark::sql
