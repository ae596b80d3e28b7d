// Column classifier: turns sample values of one column (and its name) into proposed
// classification classes with a confidence and counts. Value classes come from the detectors in
// detectors.h (share of non-empty samples that match); PERSON_NAME and ADDRESS need column-name
// evidence. Samples are only inspected, never kept. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tidemark::glossary::classify {

struct ClassResult {
  std::string cls;        // EMAIL, PHONE, IP_ADDRESS, PAYMENT_CARD, IBAN, NATIONAL_ID, SECRET,
                          // PERSON_NAME, ADDRESS
  double confidence = 0;  // 0..1, two decimals
  int64_t matched = 0;    // samples that matched the class
  int64_t sampled = 0;    // non-empty samples seen
};

// Every class known to the classifier, in a stable order.
const std::vector<std::string>& KnownClasses();

// Classes whose confidence reaches `min_confidence`, best first.
std::vector<ClassResult> ClassifyColumn(std::string_view column_name,
                                        const std::vector<std::string>& samples,
                                        double min_confidence = 0.5);

}  // namespace tidemark::glossary::classify
