// The client side of an ingest run, shared by every `tidemark ingest …` command: JSON calls to the
// server, opening a run, sending a Mapping in batches (progress on a terminal), finishing the run,
// and printing its summary. Not thread-safe; one per command.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "ingest/runs/ingest_types.h"
#include "server/http_client.h"

namespace tidemark::tools {

// A JSON field as text ("" when absent; non-strings serialized).
std::string JsonField(const boost::json::value& v, const char* key);

// JSON calls to the server; failures are printed to stderr and yield nullopt.
class ServerApi {
 public:
  explicit ServerApi(server::HttpClient& client) : client_(client) {}
  // The parsed body of a 2xx answer; `missing_ok` turns 404 into a JSON null.
  std::optional<boost::json::value> Call(const std::string& method, const std::string& path,
                                         const std::string& body = "", bool missing_ok = false);

 private:
  server::HttpClient& client_;
};

struct SentRun {
  std::string id;
  bool failed = false;      // a batch was refused or the connection broke
  boost::json::value done;  // the finished run as the server reports it
};

// Opens a run of `source` on `target`, sends `mapping` in batches and finishes the run with its
// errors and properties. nullopt when the server could not be reached or refused the run.
std::optional<SentRun> SendRun(ServerApi& api, const std::string& source, const std::string& target,
                               const ingest::Mapping& mapping);

// "run ID (source target): state", counts and every error with its path.
void PrintRunSummary(const SentRun& run, const std::string& source, const std::string& target,
                     const std::string& extra_line, std::ostream& out);

}  // namespace tidemark::tools
