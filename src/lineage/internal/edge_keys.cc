// Internal: kLineage key codec and edge derivation; see edge_keys.h.
#include "lineage/internal/edge_keys.h"

#include <algorithm>
#include <cstdio>

#include "lineage/internal/str_util.h"
#include "lineage/lineage_aspects.h"

namespace tidemark::lineage::internal {
namespace {

constexpr char kSep = '\0';

void AppendHex16(std::string* out, int64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  out->append(buf, 16);
}

bool ParseHex16(std::string_view s, int64_t* v) {
  if (s.size() != 16) return false;
  uint64_t r = 0;
  for (char c : s) {
    r <<= 4;
    if (c >= '0' && c <= '9') {
      r |= static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      r |= static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return false;
    }
  }
  *v = static_cast<int64_t>(r);
  return true;
}

char KindChar(v1::LineageEdgeKind k) { return static_cast<char>('0' + static_cast<int>(k)); }

// Splits `key` into exactly 6 '\0'-separated parts.
bool Split6(std::string_view key, std::string_view parts[6]) {
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t pos = key.find(kSep, start);
    if (pos == std::string_view::npos) return false;
    parts[i] = key.substr(start, pos - start);
    start = pos + 1;
  }
  parts[5] = key.substr(start);
  return parts[5].find(kSep) == std::string_view::npos;
}

bool ParseKind(std::string_view s, v1::LineageEdgeKind* kind) {
  if (s.size() != 1 || s[0] < '1' || s[0] > '9') return false;
  *kind = static_cast<v1::LineageEdgeKind>(s[0] - '0');
  return v1::LineageEdgeKind_IsValid(*kind);
}

std::string Join6(char family, std::string_view a, std::string_view b, std::string_view c,
                  std::string_view d, int64_t vf) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size() + d.size() + 26);
  out.push_back(family);
  for (std::string_view part : {a, b, c, d}) {
    out.push_back(kSep);
    out.append(part);
  }
  out.push_back(kSep);
  AppendHex16(&out, vf);
  return out;
}

}  // namespace

std::string DownKey(const EdgeKeyParts& e) {
  const char k = KindChar(e.kind);
  return Join6('d', e.from, e.to, std::string_view(&k, 1), e.owner, e.valid_from);
}
std::string UpKey(const EdgeKeyParts& e) {
  const char k = KindChar(e.kind);
  return Join6('u', e.to, e.from, std::string_view(&k, 1), e.owner, e.valid_from);
}
std::string OpenKey(const EdgeKeyParts& e) {
  const char k = KindChar(e.kind);
  return Join6('o', e.owner, e.from, e.to, std::string_view(&k, 1), e.valid_from);
}
std::string ClosedKey(const EdgeKeyParts& e) {
  const char k = KindChar(e.kind);
  return Join6('h', e.owner, e.from, e.to, std::string_view(&k, 1), e.valid_from);
}

bool ParseDownKey(std::string_view key, EdgeKeyParts* out) {
  std::string_view p[6];
  if (!Split6(key, p) || p[0] != "d") return false;
  out->from = p[1];
  out->to = p[2];
  out->owner = p[4];
  return ParseKind(p[3], &out->kind) && ParseHex16(p[5], &out->valid_from);
}

bool ParseUpKey(std::string_view key, EdgeKeyParts* out) {
  std::string_view p[6];
  if (!Split6(key, p) || p[0] != "u") return false;
  out->to = p[1];
  out->from = p[2];
  out->owner = p[4];
  return ParseKind(p[3], &out->kind) && ParseHex16(p[5], &out->valid_from);
}

bool ParseOwnerKey(std::string_view key, EdgeKeyParts* out) {
  std::string_view p[6];
  if (!Split6(key, p) || (p[0] != "o" && p[0] != "h")) return false;
  out->owner = p[1];
  out->from = p[2];
  out->to = p[3];
  return ParseKind(p[4], &out->kind) && ParseHex16(p[5], &out->valid_from);
}

std::string DownPrefix(std::string_view from) {
  return Cat("d", std::string(1, kSep), from, std::string(1, kSep));
}
std::string UpPrefix(std::string_view to) {
  return Cat("u", std::string(1, kSep), to, std::string(1, kSep));
}
std::string OpenPrefix(std::string_view owner) {
  return Cat("o", std::string(1, kSep), owner, std::string(1, kSep));
}
std::string ClosedPrefix(std::string_view owner) {
  return Cat("h", std::string(1, kSep), owner, std::string(1, kSep));
}
std::string FieldPrefix(char family, std::string_view dataset) {
  return Cat(std::string(1, family), std::string(1, kSep), "urn:li:schemaField:(", dataset, ",");
}

uint32_t SubtypeMask(const v1::FineGrainedLineage& fg) {
  uint32_t mask = 0;
  for (int s : fg.subtypes()) {
    if (s > 0 && s < 31) mask |= 1u << s;
  }
  if (fg.masking()) mask |= 1u << v1::MASKING;
  return mask;
}

namespace {

void AddEdge(DeclaredEdges& edges, DeclaredEdge edge) {
  EdgeIdentity id{edge.from, edge.to, static_cast<int>(edge.kind)};
  auto [it, inserted] = edges.try_emplace(std::move(id), edge);
  if (!inserted) {
    // The same pair declared twice (several fine-grained entries): keep the strongest
    // transformation and the union of subtypes; provenance and job of the first declaration.
    it->second.transformation = std::max(it->second.transformation, edge.transformation);
    it->second.subtype_mask |= edge.subtype_mask;
  }
}

void AddFineGrained(DeclaredEdges& edges,
                    const google::protobuf::RepeatedPtrField<v1::FineGrainedLineage>& list,
                    const v1::LineageProvenance* fallback) {
  for (const v1::FineGrainedLineage& fg : list) {
    const uint32_t mask = SubtypeMask(fg);
    for (const std::string& up : fg.upstreams()) {
      for (const std::string& down : fg.downstreams()) {
        DeclaredEdge e;
        e.from = up;
        e.to = down;
        e.kind = v1::COLUMN;
        e.transformation = fg.transformation_type();
        e.subtype_mask = mask;
        e.provenance = fg.has_provenance() || fallback == nullptr ? fg.provenance() : *fallback;
        AddEdge(edges, std::move(e));
      }
    }
  }
}

}  // namespace

absl::StatusOr<DeclaredEdges> DeriveEdges(const common::Urn& owner, std::string_view aspect,
                                          const google::protobuf::Message& value) {
  DeclaredEdges edges;
  if (aspect == kUpstreamLineageAspect) {
    const auto* v = dynamic_cast<const v1::UpstreamLineage*>(&value);
    if (v == nullptr) return absl::InternalError("upstreamLineage value has the wrong type");
    const bool to_dataset = owner.entity_type() == "dataset";
    for (const v1::Upstream& up : v->upstreams()) {
      DeclaredEdge e;
      e.from = up.dataset();
      e.to = owner.ToString();
      e.kind = to_dataset ? v1::DATASET_TO_DATASET : v1::DATASET_TO_DASHBOARD;
      e.transformation = up.type() == v1::COPY ? v1::IDENTITY : v1::TRANSFORMATION_TYPE_UNSPECIFIED;
      e.provenance = up.provenance();
      e.via_job = up.job();
      AddEdge(edges, std::move(e));
    }
    AddFineGrained(edges, v->fine_grained_lineages(), nullptr);
  } else if (aspect == kDataJobInputOutputAspect) {
    const auto* v = dynamic_cast<const v1::DataJobInputOutput*>(&value);
    if (v == nullptr) return absl::InternalError("dataJobInputOutput value has the wrong type");
    for (const std::string& in : v->input_datasets()) {
      DeclaredEdge e;
      e.from = in;
      e.to = owner.ToString();
      e.kind = v1::DATASET_TO_JOB;
      e.provenance = v->provenance();
      AddEdge(edges, std::move(e));
    }
    for (const std::string& out : v->output_datasets()) {
      DeclaredEdge e;
      e.from = owner.ToString();
      e.to = out;
      e.kind = v1::JOB_TO_DATASET;
      e.provenance = v->provenance();
      AddEdge(edges, std::move(e));
    }
    AddFineGrained(edges, v->fine_grained_lineages(), &v->provenance());
  } else {
    return absl::InvalidArgumentError(Cat("not a lineage aspect: ", aspect));
  }
  return edges;
}

}  // namespace tidemark::lineage::internal
