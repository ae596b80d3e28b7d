// Value detectors; see detectors.h.
#include "glossary/classify/detectors.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>

#include "common/strings.h"

namespace tidemark::glossary::classify {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

using common::Trim;

bool StartsWith(std::string_view v, std::string_view p) { return v.substr(0, p.size()) == p; }

// Digits of `value` when every other character is one of `separators`; empty otherwise.
std::string DigitsOnly(std::string_view value, std::string_view separators) {
  std::string digits;
  for (char c : value) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (separators.find(c) == std::string_view::npos) {
      return "";
    }
  }
  return digits;
}

bool AllOf(std::string_view v, bool (*pred)(char)) {
  for (char c : v)
    if (!pred(c)) return false;
  return true;
}

}  // namespace

bool IsEmail(std::string_view value) {
  value = Trim(value);
  size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || value.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view local = value.substr(0, at), domain = value.substr(at + 1);
  if (local.size() > 64 || domain.size() > 253) return false;
  for (char c : local) {
    if (!IsAlnum(c) && std::string_view("._%+-'").find(c) == std::string_view::npos) return false;
  }
  if (local.front() == '.' || local.back() == '.') return false;
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view tld = domain.substr(dot + 1);
  if (tld.size() < 2 || !AllOf(tld, IsAlpha)) return false;
  char prev = '.';
  for (char c : domain) {
    if (c == '.' && (prev == '.' || prev == '-')) return false;
    if (!IsAlnum(c) && c != '.' && c != '-') return false;
    prev = c;
  }
  return true;
}

bool IsIpv4(std::string_view value) {
  std::string text(Trim(value));
  if (text.size() > 15) return false;
  in_addr addr;
  return inet_pton(AF_INET, text.c_str(), &addr) == 1;
}

bool IsIpv6(std::string_view value) {
  std::string text(Trim(value));
  if (text.size() > 45 || text.find(':') == std::string::npos) return false;
  in6_addr addr;
  return inet_pton(AF_INET6, text.c_str(), &addr) == 1;
}

bool LuhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!IsDigit(digits[i])) return false;
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool IsPaymentCard(std::string_view value) {
  std::string digits = DigitsOnly(Trim(value), " -");
  if (digits.size() < 13 || digits.size() > 19) return false;
  int p2 = std::stoi(digits.substr(0, 2)), p4 = std::stoi(digits.substr(0, 4));
  bool known = digits[0] == '4'                     // Visa
               || (p2 >= 51 && p2 <= 55)            // Mastercard
               || (p4 >= 2221 && p4 <= 2720)        // Mastercard 2-series
               || p2 == 34 || p2 == 37              // American Express
               || p4 == 6011 || p2 == 65            // Discover
               || p2 == 35                          // JCB
               || p2 == 36 || p2 == 38 || p2 == 30  // Diners
               || p2 == 62;                         // UnionPay
  return known && LuhnValid(digits);
}

bool IsPhone(std::string_view value) {
  value = Trim(value);
  if (value.empty()) return false;
  bool international = value.front() == '+';
  if (international) value.remove_prefix(1);
  if (value.empty() || (!IsDigit(value.front()) && value.front() != '(')) return false;
  std::string digits = DigitsOnly(value, " -.()");
  if (digits.size() < (international ? 8u : 10u) || digits.size() > 15) return false;
  // Dates (2024-01-15, 15.01.2024 10:00) and addresses are not phones.
  if (value.size() == 10 && (value[4] == '-' || value[2] == '.')) return false;
  if (IsIpv4(value)) return false;
  if (!international && (IsPaymentCard(value) || IsNationalId(value))) return false;
  // Parentheses must be balanced and hold digits only.
  int depth = 0;
  for (char c : value) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0 || depth > 1) return false;
  }
  return depth == 0;
}

bool IsIban(std::string_view value) {
  std::string iban;
  for (char c : Trim(value)) {
    if (c == ' ') continue;
    if (!IsAlnum(c)) return false;
    iban.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!IsAlpha(iban[0]) || !IsAlpha(iban[1]) || !IsDigit(iban[2]) || !IsDigit(iban[3]))
    return false;
  struct CountryLength {
    const char* code;
    size_t length;
  };
  static constexpr std::array<CountryLength, 16> kLengths = {{{"DE", 22},
                                                              {"GB", 22},
                                                              {"FR", 27},
                                                              {"ES", 24},
                                                              {"IT", 27},
                                                              {"NL", 18},
                                                              {"BE", 16},
                                                              {"CH", 21},
                                                              {"AT", 20},
                                                              {"PL", 28},
                                                              {"SE", 24},
                                                              {"NO", 15},
                                                              {"DK", 18},
                                                              {"FI", 18},
                                                              {"IE", 22},
                                                              {"PT", 25}}};
  for (const auto& [code, length] : kLengths) {
    if (iban.compare(0, 2, code) == 0 && iban.size() != length) return false;
  }
  std::string rotated = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rotated) {
    int v = IsDigit(c) ? c - '0' : c - 'A' + 10;
    remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
  }
  return remainder == 1;
}

// Swedish personnummer: [YY]YYMMDD[-+]NNNN, Luhn over the last ten digits; day + 60 for
// coordination numbers.
bool IsSwedishPersonnummer(std::string_view v) {
  if (v.size() != 11 && v.size() != 13) return false;
  size_t sep = v.size() - 5;
  if (v[sep] != '-' && v[sep] != '+') return false;
  std::string digits = std::string(v.substr(0, sep)) + std::string(v.substr(sep + 1));
  if (!AllOf(digits, IsDigit)) return false;
  std::string ten = digits.substr(digits.size() - 10);
  int month = std::stoi(ten.substr(2, 2)), day = std::stoi(ten.substr(4, 2));
  if (day > 60) day -= 60;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && LuhnValid(ten);
}

// Finnish henkilötunnus: DDMMYY, century sign, NNN, check character (DDMMYYNNN mod 31).
bool IsFinnishHetu(std::string_view v) {
  if (v.size() != 11 || std::string_view("+-ABCDEFYXWVU").find(v[6]) == std::string_view::npos)
    return false;
  std::string number = std::string(v.substr(0, 6)) + std::string(v.substr(7, 3));
  if (!AllOf(number, IsDigit)) return false;
  int day = std::stoi(number.substr(0, 2)), month = std::stoi(number.substr(2, 2));
  if (day < 1 || day > 31 || month < 1 || month > 12) return false;
  static constexpr std::string_view kChecks = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  return kChecks[std::stol(number) % 31] == std::toupper(static_cast<unsigned char>(v[10]));
}

bool IsNationalId(std::string_view value) {
  value = Trim(value);
  if (IsSwedishPersonnummer(value) || IsFinnishHetu(value)) return true;
  // US SSN: AAA-GG-SSSS; area not 000, 666 or 9xx; group not 00; serial not 0000.
  if (value.size() == 11 && value[3] == '-' && value[6] == '-') {
    std::string d = DigitsOnly(value, "-");
    if (d.size() == 9) {
      int area = std::stoi(d.substr(0, 3)), group = std::stoi(d.substr(3, 2));
      int serial = std::stoi(d.substr(5));
      return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }
    return false;
  }
  std::string compact;
  for (char c : value)
    if (c != ' ') compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  // UK NINO: two prefix letters (not D F I Q U V; second not O), six digits, suffix A-D.
  if (compact.size() == 9 && IsAlpha(compact[0]) && IsAlpha(compact[1]) &&
      AllOf(std::string_view(compact).substr(2, 6), IsDigit) && compact[8] >= 'A' &&
      compact[8] <= 'D') {
    std::string_view bad = "DFIQUV";
    if (bad.find(compact[0]) != std::string_view::npos ||
        bad.find(compact[1]) != std::string_view::npos || compact[1] == 'O')
      return false;
    std::string prefix = compact.substr(0, 2);
    return prefix != "BG" && prefix != "GB" && prefix != "NK" && prefix != "KN" && prefix != "TN" &&
           prefix != "NT" && prefix != "ZZ";
  }
  // Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter), checked letter.
  std::string s = compact;
  for (char& c : s)
    if (c == '-') c = ' ';
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  if (s.size() == 9 && IsAlpha(s[8])) {
    std::string number = s.substr(0, 8);
    if (number[0] == 'X' || number[0] == 'Y' || number[0] == 'Z')
      number[0] = static_cast<char>('0' + (number[0] - 'X'));
    if (!AllOf(number, IsDigit)) return false;
    static constexpr std::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
    return kLetters[std::stol(number) % 23] == s[8];
  }
  return false;
}

double ShannonEntropy(std::string_view value) {
  if (value.empty()) return 0;
  std::array<int, 256> counts{};
  for (unsigned char c : value) ++counts[c];
  double h = 0;
  for (int n : counts) {
    if (n == 0) continue;
    double p = static_cast<double>(n) / static_cast<double>(value.size());
    h -= p * std::log2(p);
  }
  return h;
}

bool IsSecret(std::string_view value) {
  value = Trim(value);
  if (StartsWith(value, "-----BEGIN ") && value.find("PRIVATE KEY") != std::string_view::npos)
    return true;
  auto token_chars = [](std::string_view v) {
    for (char c : v)
      if (!IsAlnum(c) && std::string_view("_-+/=.").find(c) == std::string_view::npos) return false;
    return !v.empty();
  };
  if (!token_chars(value)) return false;
  // AWS access key id: AKIA/ASIA + 16 upper-case alphanumerics.
  if ((StartsWith(value, "AKIA") || StartsWith(value, "ASIA")) && value.size() == 20) {
    for (char c : value)
      if (!IsDigit(c) && !std::isupper(static_cast<unsigned char>(c))) return false;
    return true;
  }
  for (std::string_view prefix :
       {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk_live_", "rk_live_", "sk_test_",
        "xoxb-", "xoxp-", "xoxa-", "xoxs-", "glpat-", "sk-"}) {
    if (StartsWith(value, prefix) && value.size() >= prefix.size() + 16) return true;
  }
  if (StartsWith(value, "AIza") && value.size() == 39) return true;
  // JWT: three base64url parts, the first a JSON header.
  if (StartsWith(value, "eyJ") && std::count(value.begin(), value.end(), '.') == 2 &&
      value.size() >= 30)
    return true;
  if (value.size() < 20) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : value) {
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    digit |= IsDigit(c);
  }
  return upper && lower && digit && ShannonEntropy(value) >= 4.0;
}

bool LooksLikePersonName(std::string_view value) {
  value = Trim(value);
  if (value.size() < 2 || value.size() > 80) return false;
  int words = 0;
  bool at_word_start = true;
  for (char c : value) {
    if (c == ' ') {
      at_word_start = true;
      continue;
    }
    if (!IsAlpha(c) && (static_cast<unsigned char>(c) < 0x80) &&
        std::string_view("'-.").find(c) == std::string_view::npos)
      return false;
    if (at_word_start) {
      ++words;
      if (IsAlpha(c) && !std::isupper(static_cast<unsigned char>(c))) return false;
    }
    at_word_start = false;
  }
  return words >= 1 && words <= 5;
}

bool LooksLikeAddress(std::string_view value) {
  value = Trim(value);
  bool digits = false, letters = false, space = false;
  for (char c : value) {
    digits |= IsDigit(c);
    letters |= IsAlpha(c);
    space |= c == ' ';
  }
  return digits && letters && space && value.size() >= 6;
}

}  // namespace tidemark::glossary::classify
