// TermIndex: the in-memory phrase index of glossary terms behind /glossary/resolve. It holds each
// term's name, id and synonyms normalised (lower case, words split at punctuation and camelCase,
// simple English plural stemming) and ranks terms for a free-text phrase:
//   exact name 1.0 > exact synonym 0.9 > all words in the name 0.7 > all words in a synonym 0.6
//   > partial word overlap (up to 0.4); deprecated terms score half.
// Thread-safety: all methods may be called concurrently (a shared mutex guards the index).
#pragma once

#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tidemark/v1/glossary.pb.h"

namespace tidemark::glossary {

// "Billable Usages" → "billable usage"; "BillableUsage" → "billable usage".
std::string NormalizePhrase(std::string_view text);
// Singular of one lower-case word: "usages" → "usage", "categories" → "category".
std::string StemWord(std::string_view word);

struct TermMatch {
  std::string term;  // glossaryTerm URN
  std::string name;
  std::string matched_on;  // "name", "synonym" or "partial"
  std::string matched_text;
  double score = 0;
};

class TermIndex {
 public:
  // Adds or replaces a term.
  void Put(const std::string& term_urn, const v1::GlossaryTermInfo& info);
  void Remove(const std::string& term_urn);
  size_t size() const;
  // Best first, at most `limit`; ties by name.
  std::vector<TermMatch> Resolve(std::string_view phrase, int limit) const;

 private:
  struct Entry {
    std::string name;
    std::vector<std::pair<std::string, std::string>> names;     // (normalised, original) names
    std::vector<std::pair<std::string, std::string>> synonyms;  // (normalised, original)
    bool deprecated = false;
  };
  mutable std::shared_mutex mu_;
  std::map<std::string, Entry> terms_;
};

}  // namespace tidemark::glossary
