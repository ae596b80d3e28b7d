// Decoding of OpenLineage events; see openlineage_event.h.
#include "ingest/openlineage/openlineage_event.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "common/time.h"
#include "ingest/openlineage/json_fields.h"
#include "lineage/dataset_aliases.h"
#include "lineage/openlineage_naming.h"

namespace tidemark::ingest {
namespace {

std::string Sub(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(std::string(path), ".", std::string(key));
}

absl::StatusOr<OlDataset> DecodeDataset(const json::value& value, const std::string& path,
                                        std::string_view io_key) {
  ASSIGN_OR_RETURN(const json::object* o, common::AsObject(value, path));
  OlDataset d{.urn = common::Urn::Platform("openlineage")};
  d.path = path;
  ASSIGN_OR_RETURN(d.ns, ReqString(*o, "namespace", path));
  ASSIGN_OR_RETURN(d.name, ReqString(*o, "name", path));
  auto urn = ResolveDatasetUrn(d.ns, d.name);
  if (!urn.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", urn.status().message()));
  d.urn = *std::move(urn);
  ASSIGN_OR_RETURN(d.facets, common::OptionalObject(*o, "facets", path));
  if (!io_key.empty()) {
    ASSIGN_OR_RETURN(d.io_facets, common::OptionalObject(*o, io_key, path));
  }
  return d;
}

absl::Status DecodeDatasets(const json::object& o, std::string_view key, std::string_view path,
                            std::string_view io_key, std::vector<OlDataset>* out) {
  ASSIGN_OR_RETURN(const json::array* list, common::OptionalArray(o, key, path));
  if (list == nullptr) return absl::OkStatus();
  for (size_t i = 0; i < list->size(); ++i) {
    ASSIGN_OR_RETURN(OlDataset d,
                     DecodeDataset((*list)[i], absl::StrCat(Sub(path, key), "[", i, "]"), io_key));
    out->push_back(std::move(d));
  }
  return absl::OkStatus();
}

// OpenLineage's run.runId is a UUID (format "uuid" in the spec; Marquez rejects anything else):
// the canonical 8-4-4-4-12 hexadecimal text, any version.
bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

absl::Status DecodeJob(const json::object& o, std::string_view path, OlEvent& e) {
  ASSIGN_OR_RETURN(const json::object* job, common::OptionalObject(o, "job", path));
  if (job == nullptr)
    return absl::InvalidArgumentError(absl::StrCat(Sub(path, "job"), ": required"));
  const std::string jp = Sub(path, "job");
  ASSIGN_OR_RETURN(e.job_ns, ReqString(*job, "namespace", jp));
  ASSIGN_OR_RETURN(e.job_name, ReqString(*job, "name", jp));
  auto urn = lineage::JobUrnFromOpenLineage(e.job_ns, e.job_name);
  if (!urn.ok()) return absl::InvalidArgumentError(absl::StrCat(jp, ": ", urn.status().message()));
  e.job = *std::move(urn);
  ASSIGN_OR_RETURN(e.job_facets, common::OptionalObject(*job, "facets", jp));
  RETURN_IF_ERROR(DecodeDatasets(o, "inputs", path, "inputFacets", &e.inputs));
  return DecodeDatasets(o, "outputs", path, "outputFacets", &e.outputs);
}

}  // namespace

absl::StatusOr<common::Urn> ResolveDatasetUrn(std::string_view ns, std::string_view name) {
  ASSIGN_OR_RETURN(common::Urn urn, lineage::DatasetUrnFromOpenLineage(ns, name));
  return lineage::DatasetAliases::Canonical(urn);
}

absl::StatusOr<OlEvent> DecodeOpenLineageEvent(const json::value& value, std::string_view path) {
  ASSIGN_OR_RETURN(const json::object* o,
                   common::AsObject(value, path.empty() ? std::string_view("event") : path));
  OlEvent e;
  ASSIGN_OR_RETURN(std::string time, ReqString(*o, "eventTime", path));
  auto micros = common::ParseRfc3339Micros(time, common::ZoneRule::kUtcWhenMissing);
  if (!micros.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sub(path, "eventTime"), ": ", micros.status().message()));
  }
  e.event_micros = *micros;
  ASSIGN_OR_RETURN(auto producer, common::OptionalString(*o, "producer", path));
  e.producer = Truncate(producer.value_or(""), 1024);
  ASSIGN_OR_RETURN(auto type, common::OptionalString(*o, "eventType", path));
  e.event_type = type.value_or("OTHER");
  for (char& c : e.event_type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (e.event_type != "START" && e.event_type != "RUNNING" && e.event_type != "COMPLETE" &&
      e.event_type != "FAIL" && e.event_type != "ABORT" && e.event_type != "OTHER") {
    return absl::InvalidArgumentError(absl::StrCat(Sub(path, "eventType"), ": '",
                                                   Truncate(e.event_type, 64),
                                                   "' is not START, RUNNING, COMPLETE, FAIL, "
                                                   "ABORT or OTHER"));
  }
  ASSIGN_OR_RETURN(const json::object* run, common::OptionalObject(*o, "run", path));
  ASSIGN_OR_RETURN(const json::object* dataset, common::OptionalObject(*o, "dataset", path));
  if (run != nullptr) {
    e.kind = OlEvent::Kind::kRun;
    const std::string rp = Sub(path, "run");
    ASSIGN_OR_RETURN(e.run_id, ReqString(*run, "runId", rp));
    if (!IsUuid(e.run_id)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sub(rp, "runId"), ": '", Truncate(e.run_id, 64), "' is not a UUID"));
    }
    ASSIGN_OR_RETURN(e.run_facets, common::OptionalObject(*run, "facets", rp));
    RETURN_IF_ERROR(DecodeJob(*o, path, e));
  } else if (dataset != nullptr) {
    e.kind = OlEvent::Kind::kDataset;
    ASSIGN_OR_RETURN(OlDataset d,
                     DecodeDataset(value.get_object().at("dataset"), Sub(path, "dataset"), ""));
    e.dataset = std::move(d);
  } else if (o->contains("job")) {
    e.kind = OlEvent::Kind::kJob;
    RETURN_IF_ERROR(DecodeJob(*o, path, e));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(path.empty() ? "event" : std::string(path),
                     ": not an OpenLineage event (needs run+job, job, or dataset)"));
  }
  return e;
}

std::string SubstituteMarquezTemplate(std::string_view text, int64_t start_micros) {
  auto format = [](int64_t micros) {
    return common::FormatRfc3339(micros, common::FractionDigits::kMillis);
  };
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 2, close - open - 2);
    constexpr std::string_view kAfter = "RUN_END_TIME_AFTER_";
    int minutes = -1;
    if (name == "RUN_START_TIME") {
      minutes = 0;
    } else if (name == "RUN_END_TIME") {
      minutes = 1;
    } else if (name.starts_with(kAfter) && name.ends_with("_MINUTES")) {
      const std::string_view n = name.substr(
          kAfter.size(), name.size() - kAfter.size() - std::string_view("_MINUTES").size());
      minutes = 0;
      for (char c : n) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || minutes > 100000) {
          minutes = -1;
          break;
        }
        minutes = minutes * 10 + (c - '0');
      }
    }
    if (minutes < 0) {
      out.append(text.substr(open, close + 2 - open));
    } else {
      out.append(format(start_micros + int64_t{minutes} * 60'000'000));
    }
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace tidemark::ingest
