// Table-driven positive and negative cases for every value detector.
#include "glossary/classify/detectors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tidemark::glossary::classify {
namespace {

struct Case {
  std::string value;
  bool expected;
};

void Check(bool (*detect)(std::string_view), const std::vector<Case>& cases) {
  for (const auto& c : cases) EXPECT_EQ(detect(c.value), c.expected) << "'" << c.value << "'";
}

TEST(DetectorsTest, Email) {
  Check(IsEmail, {{"a@b.com", true},
                  {"first.last+tag@sub.example.co.uk", true},
                  {" o'neil@example.org ", true},
                  {"a@b", false},
                  {"@b.com", false},
                  {"a@@b.com", false},
                  {"a b@c.com", false},
                  {"a@b..com", false},
                  {".a@b.com", false},
                  {"a@b.c0m", false},
                  {"not an email", false}});
}

TEST(DetectorsTest, Phone) {
  Check(IsPhone, {{"+1 415 555 2671", true},
                  {"(415) 555-2671", true},
                  {"+44 20 7946 0958", true},
                  {"020 7946 0958", true},
                  {"+49-30-1234567", true},
                  {"12345", false},
                  {"2024-01-15", false},
                  {"192.168.100.200", false},
                  {"4111 1111 1111 1111", false},
                  {"123-45-6789", false},
                  {"811218-9876", false},  // a Swedish personnummer
                  {"555-2671", false},
                  {"call me", false},
                  {"((415)) 555 2671", false}});
}

TEST(DetectorsTest, IpAddresses) {
  Check(IsIpv4, {{"192.168.0.1", true},
                 {"8.8.8.8", true},
                 {"256.1.1.1", false},
                 {"1.2.3", false},
                 {"1.2.3.4.5", false},
                 {"a.b.c.d", false}});
  Check(IsIpv6, {{"2001:db8::1", true},
                 {"::1", true},
                 {"fe80::1ff:fe23:4567:890a", true},
                 {"2001:db8:::1", false},
                 {"12:34", false},
                 {"gggg::1", false}});
}

TEST(DetectorsTest, PaymentCardNeedsLuhnAndIssuer) {
  Check(IsPaymentCard, {{"4111111111111111", true},
                        {"4111 1111 1111 1111", true},
                        {"5500-0000-0000-0004", true},
                        {"378282246310005", true},
                        {"6011111111111117", true},
                        {"4111111111111112", false},  // bad check digit
                        {"1234567812345670", false},  // Luhn-valid, unknown issuer
                        {"411111111111", false},      // too short
                        {"4111-1111-1111-111a", false}});
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
}

TEST(DetectorsTest, IbanChecksum) {
  Check(IsIban, {{"DE89370400440532013000", true},
                 {"DE89 3704 0044 0532 0130 00", true},
                 {"GB82WEST12345698765432", true},
                 {"FR1420041010050500013M02606", true},
                 {"NL91ABNA0417164300", true},
                 {"DE89370400440532013001", false},  // checksum
                 {"DE8937040044053201300", false},   // German IBANs have 22 characters
                 {"XX89", false},
                 {"1234567890123456", false}});
}

TEST(DetectorsTest, NationalIds) {
  Check(IsNationalId,
        {{"123-45-6789", true},   {"000-12-3456", false},  // area 000
         {"666-12-3456", false},  {"912-12-3456", false}, {"123-00-6789", false},
         {"123-45-0000", false},  {"AB123456C", true},    {"AB 12 34 56 C", true},
         {"DA123456C", false},                             // D is not a valid first letter
         {"GB123456A", false},    {"12345678Z", true},     // DNI with correct letter
         {"12345678A", false},                             // wrong letter
         {"X1234567L", true},                              // NIE
         {"X1234567A", false},    {"811218-9876", true},   // Swedish personnummer, Luhn ok
         {"811218-9875", false},                           // Luhn fails
         {"19811218-9876", true}, {"811318-9876", false},  // month 13
         {"131052-308T", true},                            // Finnish HETU
         {"131052-308U", false},                           // wrong check character
         {"131052A308T", true},                            // 2000s century sign
         {"hello", false}});
}

TEST(DetectorsTest, Secrets) {
  Check(IsSecret, {{"AKIAIOSFODNN7EXAMPLE", true},
                   {"ghp_16C7e42F292c6912E7710c838347Ae178B4a", true},
                   {"xoxb-123456789012-abcdefghijklmnop", true},
                   {"sk_live_4eC39HqLyjWDarjtT1zdp7dc", true},
                   {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmno", true},
                   {"-----BEGIN RSA PRIVATE KEY-----", true},
                   {"Zx9Qw2Lm7Rt4Vb8Np3Kj6Hs1Gd5Fa0Yc", true},  // high entropy, mixed
                   {"password", false},
                   {"550e8400-e29b-41d4-a716-446655440000", false},      // UUID
                   {"da39a3ee5e6b4b0d3255bfef95601890afd80709", false},  // hex digest
                   {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaAAAA1111", false},
                   {"The quick brown fox jumps", false},
                   {"AKIA123", false}});
}

TEST(DetectorsTest, NameAndAddressShapes) {
  Check(LooksLikePersonName, {{"Ada Lovelace", true},
                              {"Jean-Luc Picard", true},
                              {"O'Brien", true},
                              {"ada lovelace", false},
                              {"Order 66", false},
                              {"A B C D E F", false}});
  Check(LooksLikeAddress, {{"221B Baker Street", true},
                           {"10 Downing St, London", true},
                           {"London", false},
                           {"12345", false}});
}

TEST(DetectorsTest, Entropy) {
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("ab"), 1.0);
  EXPECT_GT(ShannonEntropy("Zx9Qw2Lm7Rt4Vb8Np3Kj6Hs1Gd5Fa0Yc"), 4.5);
}

}  // namespace
}  // namespace tidemark::glossary::classify
