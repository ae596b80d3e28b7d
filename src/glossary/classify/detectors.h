// Detectors of personal and secret data in single values: pure, stateless functions used by the
// column classifier. Each answers whether one value looks like its kind, with checksums where the
// kind has one (Luhn for payment cards and Swedish personnummer, ISO 7064 mod 97 for IBANs, the
// check characters of Spanish DNI/NIE and Finnish henkilötunnus). They never keep or log the values
// they see. Thread-safe.
#pragma once

#include <string_view>

namespace tidemark::glossary::classify {

bool IsEmail(std::string_view value);
// International (+CC ...) or national numbers with 10-15 digits and usual separators; dates,
// IP addresses, valid payment card numbers and national ids are not phones.
bool IsPhone(std::string_view value);
bool IsIpv4(std::string_view value);
bool IsIpv6(std::string_view value);
// 13-19 digits (spaces/dashes allowed) with a known issuer prefix and a valid Luhn check digit.
bool IsPaymentCard(std::string_view value);
bool LuhnValid(std::string_view digits);
// Country code, check digits, BBAN; length per country where known; mod-97 checksum.
bool IsIban(std::string_view value);
// US SSN (structure rules), UK National Insurance number (structure), Spanish DNI/NIE (check
// letter), Swedish personnummer (Luhn), Finnish henkilötunnus (mod 31 check character).
bool IsNationalId(std::string_view value);
// Known credential prefixes (AWS, GitHub, Slack, Stripe, Google, private keys, JWTs) or a
// high-entropy token of mixed case and digits.
bool IsSecret(std::string_view value);
// Shannon entropy in bits per character.
double ShannonEntropy(std::string_view value);
// Letters, spaces, apostrophes, dots and hyphens, 1-5 words, each starting with a capital.
bool LooksLikePersonName(std::string_view value);
// A house number and words, or a postcode-like token next to words.
bool LooksLikeAddress(std::string_view value);

}  // namespace tidemark::glossary::classify
