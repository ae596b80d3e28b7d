// Client commands over HTTP; see cli_commands.h.
#include "cli_commands.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cli_files.h"
#include "common/urn.h"
#include "server/http_client.h"

namespace tidemark::tools {
namespace {

namespace json = boost::json;

// The body of a successful request, or nullopt (the error is printed).
std::optional<std::string> Call(const std::string& server, const std::string& method,
                                const std::string& target, const std::string& body = "",
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
  auto response = CallServer(server, method, target, body, std::move(headers));
  if (!response) return std::nullopt;
  return response->body;
}

bool ValidUrn(const std::string& urn) {
  auto parsed = common::Urn::Parse(urn);
  if (!parsed.ok()) std::cerr << "tidemark: " << parsed.status().message() << "\n";
  return parsed.ok();
}

}  // namespace

std::optional<server::HttpResponse> CallServer(
    const std::string& url, const std::string& method, const std::string& target,
    const std::string& body, std::vector<std::pair<std::string, std::string>> headers) {
  auto client = server::HttpClient::Connect(url);
  if (!client.ok()) {
    std::cerr << "tidemark: " << client.status().message() << "\n";
    return std::nullopt;
  }
  auto response = (*client)->Request(method, target, body, headers);
  if (!response.ok()) {
    std::cerr << "tidemark: " << response.status().message() << "\n";
    return std::nullopt;
  }
  if (response->status >= 400) {
    std::cerr << "tidemark: HTTP " << response->status << ": " << response->body << "\n";
    return std::nullopt;
  }
  return *response;
}

int GetCommand(const std::string& server, const std::string& urn, const std::string& aspect) {
  if (!ValidUrn(urn)) return 2;
  std::string target = "/api/v1/entities/" + server::PercentEncodePathSegment(urn);
  if (!aspect.empty()) target += "/aspects/" + server::PercentEncodePathSegment(aspect);
  auto body = Call(server, "GET", target);
  if (!body) return 1;
  std::cout << *body << "\n";
  return 0;
}

int PutCommand(const std::string& server, const std::string& urn, const std::string& aspect,
               const std::string& file, const std::string& user, const std::string& source) {
  if (!ValidUrn(urn)) return 2;
  std::optional<std::string> text = ReadInputFile(file, std::cerr);
  if (!text) return 2;
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Tidemark-User", user}};
  if (!source.empty()) headers.emplace_back("X-Tidemark-Source", source);
  auto body = Call(server, "PUT",
                   absl::StrCat("/api/v1/entities/", server::PercentEncodePathSegment(urn),
                                "/aspects/", server::PercentEncodePathSegment(aspect)),
                   *text, headers);
  if (!body) return 1;
  std::cout << *body << "\n";
  return 0;
}

int BackupViaServer(const std::string& server, const std::string& to) {
  std::string absolute = std::filesystem::absolute(to).lexically_normal().string();
  auto body =
      Call(server, "POST", "/api/v1/admin/backup", json::serialize(json::object{{"to", absolute}}));
  if (!body) return 1;
  std::cout << "backup written to " << absolute << "\n";
  return 0;
}

int LineageCommand(const std::string& server, const LineageArgs& args) {
  if (!ValidUrn(args.urn)) return 2;
  std::string target = absl::StrCat("/api/v1/lineage/", server::PercentEncodePathSegment(args.urn),
                                    "?direction=", args.direction, "&depth=", args.depth,
                                    "&level=", args.columns ? "column" : "dataset");
  auto body = Call(server, "GET", target);
  if (!body) return 1;
  json::error_code ec;
  json::value doc = json::parse(*body, ec);
  if (ec || !doc.is_object()) {
    std::cerr << "tidemark: unexpected response\n";
    return 1;
  }
  // Build adjacency in the asked direction. A dataset edge that went through a job is shown once,
  // labelled with the job, instead of as dataset → job → dataset.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> children;
  const bool upstream = args.direction == "upstream";
  const json::array empty;
  const json::value* edges_value = doc.as_object().if_contains("edges");
  const json::array& edges =
      edges_value && edges_value->is_array() ? edges_value->as_array() : empty;
  std::set<std::string> jobs_shown_as_labels;
  for (const auto& e : edges) {
    if (const json::value* via = e.as_object().if_contains("via"); via && via->is_string()) {
      jobs_shown_as_labels.insert(std::string(via->as_string()));
    }
  }
  for (const auto& e : edges) {
    const auto& o = e.as_object();
    std::string from(o.at("from").as_string()), to(o.at("to").as_string());
    std::string kind = o.contains("kind") ? std::string(o.at("kind").as_string()) : "";
    if ((kind == "JOB_TO_DATASET" && jobs_shown_as_labels.contains(from)) ||
        (kind == "DATASET_TO_JOB" && jobs_shown_as_labels.contains(to))) {
      continue;
    }
    std::string label;
    if (const json::value* t = o.if_contains("transformation"); t && t->is_object()) {
      if (const json::value* type = t->as_object().if_contains("type"); type && type->is_string()) {
        label = std::string(type->as_string());
      }
    }
    if (const json::value* via = o.if_contains("via"); via && via->is_string()) {
      auto job = common::Urn::Parse(std::string(via->as_string()));
      label = "via " + (job.ok() ? job->components().back() : std::string(via->as_string()));
    }
    if (upstream) {
      children[to].emplace_back(from, label);
    } else {
      children[from].emplace_back(to, label);
    }
  }
  std::string root(doc.as_object().at("root").as_string());
  std::set<std::string> printed;
  std::function<void(const std::string&, const std::string&, const std::string&, bool, bool)>
      print = [&](const std::string& node, const std::string& label, const std::string& prefix,
                  bool last, bool is_root) {
        std::cout << (is_root ? "" : prefix + (last ? "└── " : "├── ")) << node;
        if (!label.empty()) std::cout << "  [" << label << "]";
        if (!printed.insert(node).second) {
          std::cout << " (see above)\n";
          return;
        }
        std::cout << "\n";
        auto it = children.find(node);
        if (it == children.end()) return;
        std::string child_prefix = is_root ? "" : prefix + (last ? "    " : "│   ");
        for (size_t i = 0; i < it->second.size(); ++i) {
          print(it->second[i].first, it->second[i].second, child_prefix, i + 1 == it->second.size(),
                false);
        }
      };
  print(root, "", "", true, true);
  if (const json::value* t = doc.as_object().if_contains("truncated");
      t && t->is_bool() && t->as_bool()) {
    std::cout << "(truncated: more nodes than max_nodes)\n";
  }
  return 0;
}

}  // namespace tidemark::tools
