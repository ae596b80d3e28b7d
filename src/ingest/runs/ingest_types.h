// The values every code/database ingest source produces and every sender consumes: a MappedAspect
// is one aspect value for one URN (a typed Protobuf message, not yet normalised by the registry),
// and a Mapping is what one source run read: aspects plus the problems that did not stop it.
// Mapping functions are pure (input → Mapping), so they are tested without a server; the CLI sends
// a Mapping over HTTP and the server-side dbt route writes it directly.
//
// Thread-safety: plain values.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/urn.h"
#include "google/protobuf/message.h"
#include "tidemark/v1/ingest_runs.pb.h"

namespace tidemark::ingest {

struct MappedAspect {
  common::Urn urn;
  std::string aspect;  // registry name, e.g. "schemaMetadata"
  std::shared_ptr<const google::protobuf::Message> value;
};

struct Mapping {
  std::vector<MappedAspect> aspects;
  std::vector<v1::IngestError> errors;  // bad files / items, with path and reason
  // Facts about the input worth keeping on the run record (dbt invocation id, revision, ...).
  std::vector<std::pair<std::string, std::string>> properties;

  void Add(const common::Urn& urn, std::string aspect,
           std::shared_ptr<const google::protobuf::Message> value) {
    aspects.push_back({urn, std::move(aspect), std::move(value)});
  }
  void Error(std::string path, std::string message) {
    v1::IngestError e;
    e.set_path(std::move(path));
    e.set_message(std::move(message));
    errors.push_back(std::move(e));
  }
  void Append(Mapping other) {
    for (auto& a : other.aspects) aspects.push_back(std::move(a));
    for (auto& e : other.errors) errors.push_back(std::move(e));
    for (auto& p : other.properties) properties.push_back(std::move(p));
  }
};

// {"urn":"...","aspect":"...","value":{...}} items as JSON text, split into batches of at most
// `max_writes` items and roughly `max_bytes` bytes: each element is a complete request body
// {"writes":[...]} for POST /api/v1/ingest/runs/{id}/writes or /api/v1/aspects:batch.
std::vector<std::string> BatchBodies(const std::vector<MappedAspect>& aspects, size_t max_writes,
                                     size_t max_bytes);

}  // namespace tidemark::ingest
