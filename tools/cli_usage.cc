// `tidemark usage top`; see cli_usage.h.
#include "cli_usage.h"

#include <boost/json.hpp>
#include <iomanip>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

constexpr std::string_view kCorpUserPrefix = "urn:li:corpuser:";

int64_t Int(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// "test-name (3), bob (1)": the first three top users, corpuser prefix dropped.
std::string TopUsers(const json::object& dataset) {
  const json::value* users = dataset.if_contains("topUsers");
  if (users == nullptr || !users->is_array()) return "";
  std::vector<std::string> parts;
  for (const json::value& u : users->as_array()) {
    if (!u.is_object() || parts.size() == 3) break;
    std::string name = Str(u.as_object(), "user");
    if (name.starts_with(kCorpUserPrefix)) name = name.substr(kCorpUserPrefix.size());
    parts.push_back(absl::StrCat(name, " (", Int(u.as_object(), "queries"), ")"));
  }
  return absl::StrJoin(parts, ", ");
}

// "2021-10-14 09:40:55" from "2021-10-14T09:40:55.214Z".
std::string ShortTime(const std::string& iso) {
  if (iso.size() < 19) return iso.empty() ? "-" : iso;
  std::string t = iso.substr(0, 19);
  t[10] = ' ';
  return t;
}

void PrintRanking(const json::object& answer, const UsageTopArgs& args, std::ostream& out) {
  const json::value* datasets = answer.if_contains("datasets");
  if (datasets == nullptr || !datasets->is_array() || datasets->as_array().empty()) {
    out << (args.cursor.empty() ? "no dataset has usage" : "no more datasets")
        << (args.platform.empty() ? "" : " on platform " + args.platform) << "\n";
    return;
  }
  out << std::setw(5) << "rank" << std::setw(9) << "queries" << std::setw(7) << "users"
      << "  " << std::left << std::setw(21) << "last queried (UTC)" << std::right << "dataset\n";
  for (const json::value& v : datasets->as_array()) {
    if (!v.is_object()) continue;
    const json::object& d = v.as_object();
    out << std::setw(5) << Int(d, "rank") << std::setw(9) << Int(d, "queries") << std::setw(7)
        << Int(d, "distinctUsers") << "  " << std::left << std::setw(21)
        << ShortTime(Str(d, "lastQueried")) << std::right << Str(d, "urn") << "\n";
    const std::string users = TopUsers(d);
    if (!users.empty()) out << std::string(44, ' ') << "top users: " << users << "\n";
  }
  const std::string next = Str(answer, "nextCursor");
  if (!next.empty()) {
    out << "next page: tidemark usage top --order " << args.order << " --limit " << args.limit
        << (args.platform.empty() ? "" : " --platform " + args.platform) << " --cursor " << next
        << "\n";
  }
}

}  // namespace

int UsageTopCommand(const UsageTopArgs& args, std::ostream& out, std::ostream& err) {
  if (args.limit < 1 || args.limit > 1000) {
    err << "tidemark: --limit must be within 1..1000\n";
    return 2;
  }
  std::string target =
      absl::StrCat("/api/v1/usage/top?order=", server::PercentEncodePathSegment(args.order),
                   "&limit=", args.limit);
  if (!args.platform.empty()) {
    absl::StrAppend(&target, "&platform=", server::PercentEncodePathSegment(args.platform));
  }
  if (!args.cursor.empty()) {
    absl::StrAppend(&target, "&cursor=", server::PercentEncodePathSegment(args.cursor));
  }
  auto client = server::HttpClient::Connect(args.server);
  if (!client.ok()) {
    err << "tidemark: " << client.status().message() << "\n";
    return 1;
  }
  (*client)->SetDefaultHeader("X-Tidemark-User", "cli");
  auto response = (*client)->Request("GET", target);
  if (!response.ok()) {
    err << "tidemark: " << response.status().message() << "\n";
    return 1;
  }
  json::error_code ec;
  json::value body = json::parse(response->body, ec);
  if (response->status != 200) {
    std::string message = response->body;
    if (!ec && body.is_object() && body.as_object().contains("error") &&
        body.at("error").is_object()) {
      message = Str(body.at("error").as_object(), "message");
    }
    err << "tidemark: " << message << "\n";
    return response->status == 400 ? 2 : 1;
  }
  if (ec || !body.is_object()) {
    err << "tidemark: the server answered with something that is not a JSON object\n";
    return 1;
  }
  if (args.json) {
    out << response->body << "\n";
  } else {
    PrintRanking(body.as_object(), args, out);
  }
  return 0;
}

void AddUsageCommands(CommandTable& table) {
  CLI::App* usage = table.Group("usage", "Usage statistics of datasets");
  static UsageTopArgs args;
  CLI::App* top =
      usage->add_subcommand("top", "Datasets ranked by usage (queries, users or last query)");
  top->add_option("--limit", args.limit, "Datasets per page, 1..1000 (default 20)");
  top->add_option("--platform", args.platform, "Only datasets of this platform, e.g. trino");
  top->add_option("--order", args.order, "queries (default), users or recent");
  top->add_option("--cursor", args.cursor, "Continue after the page that printed this cursor");
  top->add_flag("--json", args.json, "Print the server's JSON answer");
  table.AddServerOption(top);
  table.OnRun(top, [&table]() {
    UsageTopArgs a = args;
    a.server = table.server_url();
    return UsageTopCommand(a, std::cout, std::cerr);
  });
}

}  // namespace tidemark::tools
