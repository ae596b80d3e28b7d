// Ingest run client; see ingest_run_client.h.
#include "ingest_run_client.h"

#include <unistd.h>

#include <iostream>

#include "common/json.h"

namespace tidemark::tools {

namespace json = boost::json;

namespace {
constexpr size_t kMaxWritesPerBatch = 10000;  // the server's batch limit
constexpr size_t kMaxBatchBytes = 8 << 20;    // well under the default 16 MiB body limit
}  // namespace

std::string JsonField(const json::value& v, const char* key) {
  const json::object* o = v.if_object();
  const json::value* f = o ? o->if_contains(key) : nullptr;
  if (f == nullptr) return "";
  return f->is_string() ? std::string(f->as_string()) : json::serialize(*f);
}

std::optional<json::value> ServerApi::Call(const std::string& method, const std::string& path,
                                           const std::string& body, bool missing_ok) {
  auto r = client_.Request(method, path, body);
  if (!r.ok()) {
    std::cerr << "\ntidemark: " << r.status().message() << "\n";
    return std::nullopt;
  }
  if (missing_ok && r->status == 404) return json::value(nullptr);
  if (r->status >= 400) {
    std::cerr << "\ntidemark: HTTP " << r->status << " from " << method << " " << path << ": "
              << r->body << "\n";
    return std::nullopt;
  }
  absl::StatusOr<json::value> v = common::ParseJson(r->body, "server answer");
  if (!v.ok()) {
    std::cerr << "\ntidemark: " << path << " answered with something that is not JSON\n";
    return std::nullopt;
  }
  return *std::move(v);
}

std::optional<SentRun> SendRun(ServerApi& api, const std::string& source, const std::string& target,
                               const ingest::Mapping& mapping) {
  json::object open{{"source", source}, {"target", target}};
  auto run = api.Call("POST", "/api/v1/ingest/runs", json::serialize(open));
  if (!run) return std::nullopt;
  SentRun sent;
  sent.id = JsonField(*run, "id");
  const std::string base = "/api/v1/ingest/runs/" + server::PercentEncodePathSegment(sent.id);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::vector<std::string> bodies =
      ingest::BatchBodies(mapping.aspects, kMaxWritesPerBatch, kMaxBatchBytes);
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto after = api.Call("POST", base + "/writes", bodies[i]);
    if (!after) {
      sent.failed = true;
      break;
    }
    if (tty) {
      std::cerr << "\r[" << source << "] batch " << (i + 1) << "/" << bodies.size() << ": "
                << JsonField(after->at("counts"), "aspectsWritten") << " written, "
                << JsonField(after->at("counts"), "aspectsUnchanged") << " unchanged" << std::flush;
    }
  }
  if (tty && !bodies.empty()) std::cerr << "\n";
  json::array errors;
  for (const auto& e : mapping.errors) {
    errors.push_back(json::object{{"path", e.path()}, {"message", e.message()}});
  }
  json::object props;
  for (const auto& [k, v] : mapping.properties) props[k] = v;
  json::object finish{
      {"errors", std::move(errors)}, {"failed", sent.failed}, {"properties", std::move(props)}};
  auto done = api.Call("POST", base + "/finish", json::serialize(finish));
  if (!done) return std::nullopt;
  sent.done = std::move(*done);
  return sent;
}

void PrintRunSummary(const SentRun& run, const std::string& source, const std::string& target,
                     const std::string& extra_line, std::ostream& out) {
  const json::value counts =
      run.done.as_object().contains("counts") ? run.done.at("counts") : json::object();
  auto n = [&](const char* key) {
    std::string s = JsonField(counts, key);
    return s.empty() ? std::string("0") : s;
  };
  out << "run " << run.id << " (" << source << " " << target
      << "): " << JsonField(run.done, "state") << "\n";
  if (!extra_line.empty()) out << "  " << extra_line << "\n";
  out << "  entities written " << n("entitiesWritten") << " of " << n("entitiesSeen")
      << ", aspects written " << n("aspectsWritten") << ", unchanged " << n("aspectsUnchanged")
      << ", rejected " << n("aspectsRejected") << "\n  lineage edges written " << n("edgesWritten")
      << ", unchanged " << n("edgesUnchanged") << "\n";
  if (const json::value* errs = run.done.as_object().if_contains("errors");
      errs && errs->is_array()) {
    out << "  errors (" << JsonField(run.done, "errorCount") << "):\n";
    for (const json::value& e : errs->as_array()) {
      out << "    " << JsonField(e, "path") << ": " << JsonField(e, "message") << "\n";
    }
  }
}

}  // namespace tidemark::tools
