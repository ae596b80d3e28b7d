// Column classifier; see classifier.h.
#include "glossary/classify/classifier.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "glossary/classify/detectors.h"

namespace tidemark::glossary::classify {
namespace {

struct ValueClass {
  const char* cls;
  bool (*detect)(std::string_view);
  double precision;  // how often a match really is the class
};

bool IsIp(std::string_view v) { return IsIpv4(v) || IsIpv6(v); }

constexpr ValueClass kValueClasses[] = {
    {"EMAIL", IsEmail, 1.0},    {"PAYMENT_CARD", IsPaymentCard, 0.99}, {"IBAN", IsIban, 0.99},
    {"IP_ADDRESS", IsIp, 0.95}, {"NATIONAL_ID", IsNationalId, 0.9},    {"SECRET", IsSecret, 0.9},
    {"PHONE", IsPhone, 0.85},
};

// Lower-case words of a column name: "customerEmail" / "customer_email" → {customer, email}.
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  char prev = 0;
  for (char c : name) {
    bool boundary = !std::isalnum(static_cast<unsigned char>(c)) ||
                    (std::isupper(static_cast<unsigned char>(c)) &&
                     std::islower(static_cast<unsigned char>(prev)));
    if (boundary && !current.empty()) {
      words.push_back(current);
      current.clear();
    }
    if (std::isalnum(static_cast<unsigned char>(c)))
      current.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    prev = c;
  }
  if (!current.empty()) words.push_back(current);
  return words;
}

bool Has(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
  for (const auto& w : words)
    for (std::string_view a : any)
      if (w == a) return true;
  return false;
}

// PERSON_NAME: "first_name", "surname", "customer_name", "full_name", but not "product_name".
bool PersonNameEvidence(const std::vector<std::string>& w) {
  if (Has(w, {"surname", "firstname", "lastname", "fullname", "forename", "givenname", "familyname",
              "middlename", "maidenname"}))
    return true;
  if (!Has(w, {"name"})) return false;
  return w.size() == 1 ||
         Has(w, {"first",    "last",       "full",  "given",    "family",  "middle",  "maiden",
                 "customer", "person",     "user",  "employee", "contact", "patient", "account",
                 "holder",   "cardholder", "owner", "member",   "client",  "display"});
}

bool AddressEvidence(const std::vector<std::string>& w) {
  return Has(w, {"address", "addr", "street", "streetaddress", "postcode", "zip", "zipcode",
                 "postal", "city", "town", "housenumber", "line1", "line2"});
}

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

const std::vector<std::string>& KnownClasses() {
  static const std::vector<std::string> kClasses = {"EMAIL",        "PHONE",       "IP_ADDRESS",
                                                    "PAYMENT_CARD", "IBAN",        "NATIONAL_ID",
                                                    "SECRET",       "PERSON_NAME", "ADDRESS"};
  return kClasses;
}

std::vector<ClassResult> ClassifyColumn(std::string_view column_name,
                                        const std::vector<std::string>& samples,
                                        double min_confidence) {
  std::vector<std::string_view> values;
  for (const std::string& s : samples) {
    bool blank = std::all_of(s.begin(), s.end(),
                             [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    if (!blank) values.push_back(s);
  }
  const int64_t sampled = static_cast<int64_t>(values.size());
  std::vector<ClassResult> out;
  auto count = [&](bool (*detect)(std::string_view)) {
    return static_cast<int64_t>(std::count_if(values.begin(), values.end(), detect));
  };
  if (sampled > 0) {
    for (const ValueClass& vc : kValueClasses) {
      int64_t matched = count(vc.detect);
      double confidence =
          Round2(static_cast<double>(matched) / static_cast<double>(sampled) * vc.precision);
      if (matched > 0 && confidence >= min_confidence)
        out.push_back({vc.cls, confidence, matched, sampled});
    }
  }
  // Name-evidence classes: the column name decides, the values only raise the confidence.
  std::vector<std::string> words = NameWords(column_name);
  struct NameClass {
    const char* cls;
    bool evidence;
    bool (*shape)(std::string_view);
  };
  for (const NameClass& nc :
       {NameClass{"PERSON_NAME", PersonNameEvidence(words), LooksLikePersonName},
        NameClass{"ADDRESS", AddressEvidence(words), LooksLikeAddress}}) {
    if (!nc.evidence) continue;
    int64_t matched = count(nc.shape);
    double share = sampled > 0 ? static_cast<double>(matched) / static_cast<double>(sampled) : 0;
    double confidence = Round2(0.6 + 0.3 * share);
    // Values that clearly are something else (emails in "contact_name") win over the name.
    bool other = std::any_of(out.begin(), out.end(),
                             [](const ClassResult& r) { return r.confidence >= 0.8; });
    if (!other && confidence >= min_confidence)
      out.push_back({nc.cls, confidence, matched, sampled});
  }
  std::stable_sort(out.begin(), out.end(), [](const ClassResult& a, const ClassResult& b) {
    return a.confidence > b.confidence;
  });
  return out;
}

}  // namespace tidemark::glossary::classify
