// Internal: the kLineage column-family layout and the derivation of edges from lineage aspects.
//
// Every edge interval is stored under four key families ('\0'-separated, URNs in canonical form,
// K = one digit LineageEdgeKind, VF = valid_from as 16 lower-case hex digits):
//   d \0 from  \0 to   \0 K \0 owner \0 VF  -> LineageEdgeRecord   (primary; scanned at start-up)
//   u \0 to    \0 from \0 K \0 owner \0 VF  -> ""                  (reverse index for purges)
//   o \0 owner \0 from \0 to \0 K \0 VF     -> LineageEdgeRecord   (edges the owner declares now)
//   h \0 owner \0 from \0 to \0 K \0 VF     -> ""                  (closed edges of the owner)
// `owner` is the entity whose aspect declares the edge. A closed edge (valid_to set) keeps its d/u
// keys for as-of queries, moves from o to h, and is never reopened: a re-added edge starts a new
// interval with a new VF. Because a schemaField URN starts with its dataset's URN, the prefix
// "d\0urn:li:schemaField:(<dataset>," finds every column edge of a dataset.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "google/protobuf/message.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::lineage::internal {

struct EdgeKeyParts {
  std::string_view from;
  std::string_view to;
  std::string_view owner;
  v1::LineageEdgeKind kind = v1::LINEAGE_EDGE_KIND_UNSPECIFIED;
  int64_t valid_from = 0;
};

std::string DownKey(const EdgeKeyParts& e);
std::string UpKey(const EdgeKeyParts& e);
std::string OpenKey(const EdgeKeyParts& e);
std::string ClosedKey(const EdgeKeyParts& e);
// Parse keys of the d / u / o|h families (the prefix byte is checked). Views point into `key`.
bool ParseDownKey(std::string_view key, EdgeKeyParts* out);
bool ParseUpKey(std::string_view key, EdgeKeyParts* out);
bool ParseOwnerKey(std::string_view key, EdgeKeyParts* out);

// Key prefixes for scans.
std::string DownPrefix(std::string_view from);                   // "d\0<from>\0"
std::string UpPrefix(std::string_view to);                       // "u\0<to>\0"
std::string OpenPrefix(std::string_view owner);                  // "o\0<owner>\0"
std::string ClosedPrefix(std::string_view owner);                // "h\0<owner>\0"
std::string FieldPrefix(char family, std::string_view dataset);  // "<f>\0urn:li:schemaField:(<ds>,"

// One edge an aspect value declares (without validity; that comes from the store).
struct DeclaredEdge {
  std::string from;
  std::string to;
  v1::LineageEdgeKind kind = v1::LINEAGE_EDGE_KIND_UNSPECIFIED;
  v1::TransformationType transformation = v1::TRANSFORMATION_TYPE_UNSPECIFIED;
  uint32_t subtype_mask = 0;
  v1::LineageProvenance provenance;
  std::string via_job;
};
using EdgeIdentity = std::tuple<std::string, std::string, int>;  // from, to, kind
using DeclaredEdges = std::map<EdgeIdentity, DeclaredEdge>;

// Edges of a normalised upstreamLineage (owner: dataset/dashboard/chart) or dataJobInputOutput
// (owner: dataJob) value. `aspect` selects the message type.
absl::StatusOr<DeclaredEdges> DeriveEdges(const common::Urn& owner, std::string_view aspect,
                                          const google::protobuf::Message& value);

uint32_t SubtypeMask(const v1::FineGrainedLineage& fg);

}  // namespace tidemark::lineage::internal
