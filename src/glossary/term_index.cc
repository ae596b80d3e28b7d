// Phrase normalisation and term ranking; see term_index.h.
#include "glossary/term_index.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tidemark::glossary {
namespace {

std::vector<std::string> Words(std::string_view normalised) {
  return absl::StrSplit(std::string(normalised), ' ', absl::SkipEmpty());
}

bool EndsWith(std::string_view w, std::string_view s) {
  return w.size() >= s.size() && w.substr(w.size() - s.size()) == s;
}

// Share of `query` words found in `target` words (1.0: all of them).
double Coverage(const std::vector<std::string>& query, const std::set<std::string>& target) {
  if (query.empty()) return 0;
  int found = 0;
  for (const auto& w : query) found += target.contains(w) ? 1 : 0;
  return static_cast<double>(found) / static_cast<double>(query.size());
}

}  // namespace

std::string StemWord(std::string_view w) {
  std::string word(w);
  if (word.size() <= 3) return word;
  if (EndsWith(word, "ies") && word.size() > 4) return word.substr(0, word.size() - 3) + "y";
  if (EndsWith(word, "sses") || EndsWith(word, "xes") || EndsWith(word, "ches") ||
      EndsWith(word, "shes") || EndsWith(word, "zes"))
    return word.substr(0, word.size() - 2);
  if (EndsWith(word, "ss") || EndsWith(word, "us") || EndsWith(word, "is")) return word;
  if (EndsWith(word, "s")) return word.substr(0, word.size() - 1);
  return word;
}

std::string NormalizePhrase(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(StemWord(current));
    current.clear();
  };
  char prev = 0;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u)) {
      flush();
    } else {
      if (std::isupper(u) && std::islower(static_cast<unsigned char>(prev))) flush();
      current.push_back(static_cast<char>(std::tolower(u)));
    }
    prev = c;
  }
  flush();
  return absl::StrJoin(words, " ");
}

void TermIndex::Put(const std::string& term_urn, const v1::GlossaryTermInfo& info) {
  Entry e;
  e.name = info.name();
  e.names.emplace_back(NormalizePhrase(info.name()), info.name());
  // The URN id's last component ("Classification.Sensitive" → "Sensitive") usually equals the
  // name; when it does not it is another way people refer to the term.
  std::string id = term_urn.substr(term_urn.rfind(':') + 1);
  std::string last = id.substr(id.rfind('.') == std::string::npos ? 0 : id.rfind('.') + 1);
  if (NormalizePhrase(last) != e.names.front().first)
    e.synonyms.emplace_back(NormalizePhrase(last), last);
  for (const auto& s : info.synonyms()) e.synonyms.emplace_back(NormalizePhrase(s), s);
  e.deprecated = info.status() == v1::DEPRECATED;
  std::unique_lock lock(mu_);
  terms_[term_urn] = std::move(e);
}

void TermIndex::Remove(const std::string& term_urn) {
  std::unique_lock lock(mu_);
  terms_.erase(term_urn);
}

size_t TermIndex::size() const {
  std::shared_lock lock(mu_);
  return terms_.size();
}

std::vector<TermMatch> TermIndex::Resolve(std::string_view phrase, int limit) const {
  std::string q = NormalizePhrase(phrase);
  std::vector<std::string> q_words = Words(q);
  std::vector<TermMatch> out;
  if (q_words.empty()) return out;
  std::shared_lock lock(mu_);
  for (const auto& [urn, e] : terms_) {
    TermMatch best{urn, e.name, "", "", 0};
    auto consider = [&](const std::vector<std::pair<std::string, std::string>>& list, double exact,
                        double all, const char* kind) {
      for (const auto& [norm, original] : list) {
        std::vector<std::string> words = Words(norm);
        std::set<std::string> target(words.begin(), words.end());
        double score = 0;
        if (norm == q) {
          score = exact;
        } else {
          double cov = Coverage(q_words, target);
          if (cov == 1.0) {
            // Every query word is in the name: prefer names with fewer extra words.
            score = all * (0.8 + 0.2 * static_cast<double>(q_words.size()) /
                                     static_cast<double>(std::max<size_t>(target.size(), 1)));
          } else if (cov > 0) {
            std::set<std::string> uni(target);
            uni.insert(q_words.begin(), q_words.end());
            double found = cov * static_cast<double>(q_words.size());
            score = 0.4 * found / static_cast<double>(uni.size());
          }
        }
        if (score > best.score) {
          best.score = score;
          best.matched_on = score == exact ? kind : (score >= 0.5 ? kind : "partial");
          best.matched_text = original;
        }
      }
    };
    consider(e.names, 1.0, 0.7, "name");
    consider(e.synonyms, 0.9, 0.6, "synonym");
    if (best.score <= 0) continue;
    if (e.deprecated) best.score *= 0.5;
    out.push_back(std::move(best));
  }
  std::sort(out.begin(), out.end(), [](const TermMatch& a, const TermMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.name < b.name;
  });
  if (limit >= 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

}  // namespace tidemark::glossary
