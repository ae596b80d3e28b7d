// `tidemark glossary` commands; see cli_glossary.h.
#include "cli_glossary.h"

#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "cli_commands.h"
#include "cli_files.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

std::string QueryEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

int Import(const std::string& url, const std::string& file, const std::string& user,
           const std::string& source) {
  std::optional<std::string> text = ReadInputFile(file, std::cerr);
  if (!text) return 2;
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Tidemark-User", user},
                                                              {"Content-Type", "application/yaml"}};
  if (!source.empty()) headers.emplace_back("X-Tidemark-Source", source);
  auto r = CallServer(url, "POST", "/api/v1/glossary:import", *text, headers);
  if (!r) return 1;
  std::cout << r->body << "\n";
  return 0;
}

int Export(const std::string& url, const std::string& out_file) {
  auto r = CallServer(url, "GET", "/api/v1/glossary:export");
  if (!r) return 1;
  if (out_file.empty()) {
    std::cout << r->body;
    return 0;
  }
  std::ofstream out(out_file);
  out << r->body;
  if (!out) {
    std::cerr << "tidemark: cannot write " << out_file << "\n";
    return 1;
  }
  return 0;
}

int Resolve(const std::string& url, const std::vector<std::string>& words, int limit) {
  std::string phrase = absl::StrJoin(words, " ");
  auto r = CallServer(
      url, "GET",
      "/api/v1/glossary/resolve?q=" + QueryEncode(phrase) + "&limit=" + std::to_string(limit));
  if (!r) return 1;
  json::error_code ec;
  json::value v = json::parse(r->body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("terms")) {
    std::cout << r->body << "\n";
    return 0;
  }
  const auto& terms = v.at("terms").as_array();
  if (terms.empty()) std::cout << "no term matches \"" << phrase << "\"\n";
  auto text = [](const json::value& v) { return std::string(v.as_string()); };
  for (const auto& t : terms) {
    std::printf("%s  (%s, score %.2f, %s)\n", text(t.at("name")).c_str(),
                text(t.at("term")).c_str(), t.at("score").to_number<double>(),
                text(t.at("matchedOn")).c_str());
    for (const auto& d : t.at("datasets").as_array())
      std::printf("  dataset  %s\n", text(d.at("urn")).c_str());
    for (const auto& c : t.at("columns").as_array())
      std::printf("  column   %s .%s  [%s]\n", text(c.at("dataset")).c_str(),
                  text(c.at("field")).c_str(), text(c.at("via")).c_str());
  }
  std::fflush(stdout);
  return 0;
}

int Pending(const std::string& url) {
  auto r = CallServer(url, "GET", "/api/v1/glossary/review?state=pending_review&limit=1000");
  if (!r) return 1;
  std::cout << r->body << "\n";
  return 0;
}

}  // namespace

void AddGlossaryCommands(CommandTable& table) {
  struct Args {
    std::string file, out, user = "cli", source;
    std::vector<std::string> words;
    int limit = 10;
  };
  static Args args;
  CLI::App* group = table.Group("glossary", "Business glossary: import, export, resolve, review");

  auto* import = group->add_subcommand("import", "Import a DataHub business_glossary.yml");
  import->add_option("file", args.file, "YAML file")->required()->check(CLI::ExistingFile);
  import->add_option("--user", args.user, "Caller recorded in version history");
  import->add_option("--source", args.source, "Source kind (manual, api, ...)");
  table.AddServerOption(import);
  table.OnRun(import,
              [&table] { return Import(table.server_url(), args.file, args.user, args.source); });

  auto* exp = group->add_subcommand("export", "Print the glossary as business_glossary.yml");
  exp->add_option("--out", args.out, "Write to this file instead of stdout");
  table.AddServerOption(exp);
  table.OnRun(exp, [&table] { return Export(table.server_url(), args.out); });

  auto* resolve = group->add_subcommand("resolve", "Find terms for a phrase and where they are");
  resolve->add_option("phrase", args.words, "Words, e.g. billable usage")->required();
  resolve->add_option("--limit", args.limit, "Maximum terms")->check(CLI::Range(1, 100));
  table.AddServerOption(resolve);
  table.OnRun(resolve, [&table] { return Resolve(table.server_url(), args.words, args.limit); });

  auto* pending = group->add_subcommand("pending", "Datasets whose classification awaits review");
  table.AddServerOption(pending);
  table.OnRun(pending, [&table] { return Pending(table.server_url()); });
}

}  // namespace tidemark::tools
