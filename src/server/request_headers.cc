// Request header validation; see request_headers.h.
#include "server/request_headers.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tidemark::server {
namespace {

// True when `value` has 1..max_length characters, each alphanumeric or one of `extra`.
bool IsToken(std::string_view value, size_t max_length, std::string_view extra) {
  if (value.empty() || value.size() > max_length) return false;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool IsSourceName(std::string_view value) {
  if (value.empty() || value.size() > kMaxSourceLength) return false;
  for (char c : value) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

const std::string* HeaderOf(const HttpRequest& request, const char* lower_name) {
  auto it = request.headers.find(lower_name);
  return it == request.headers.end() ? nullptr : &it->second;
}

}  // namespace

absl::Status ValidateTidemarkHeaders(HttpRequest& request) {
  const std::string* user = HeaderOf(request, "x-tidemark-user");
  if (user != nullptr && !IsToken(*user, kMaxCallerLength, "._@-")) {
    return absl::InvalidArgumentError(
        absl::StrCat("X-Tidemark-User must match [A-Za-z0-9._@-]{1,", kMaxCallerLength, "}"));
  }
  const std::string* run_id = HeaderOf(request, "x-tidemark-run-id");
  if (run_id != nullptr && !IsToken(*run_id, kMaxRunIdLength, "._:-")) {
    return absl::InvalidArgumentError(
        absl::StrCat("X-Tidemark-Run-Id must match [A-Za-z0-9._:-]{1,", kMaxRunIdLength, "} (got ",
                     run_id->size(), " bytes)"));
  }
  const std::string* source = HeaderOf(request, "x-tidemark-source");
  if (source != nullptr && !IsSourceName(*source)) {
    return absl::InvalidArgumentError(
        absl::StrCat("X-Tidemark-Source must be a source kind name matching [A-Za-z_]{1,",
                     kMaxSourceLength, "} (got ", source->size(), " bytes)"));
  }
  request.caller = user == nullptr ? "anonymous" : *user;
  return absl::OkStatus();
}

}  // namespace tidemark::server
