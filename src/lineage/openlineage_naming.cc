// OpenLineage / Marquez naming <-> URNs; see openlineage_naming.h for the scheme.
#include "lineage/openlineage_naming.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "common/status_macros.h"
#include "lineage/internal/str_util.h"

namespace tidemark::lineage {
namespace {

using common::Urn;

// URI scheme -> platform, where they differ.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSchemeAliases = {{
    {"postgresql", "postgres"},
    {"sqlserver", "mssql"},
    {"s3a", "s3"},
    {"s3n", "s3"},
    {"gs", "gcs"},
    {"awsathena", "athena"},
    {"abfss", "adls"},
}};

constexpr std::array<std::string_view, 18> kKnownPlatforms = {
    "trino", "postgres", "mysql",  "redshift",   "snowflake",  "bigquery",
    "kafka", "hdfs",     "file",   "hive",       "mssql",      "oracle",
    "s3",    "gcs",      "athena", "databricks", "clickhouse", "adls"};

constexpr std::array<std::string_view, 6> kOrchestrators = {"airflow", "dagster", "dbt",
                                                            "spark",   "flink",   "prefect"};

constexpr std::string_view kOpenLineagePlatform = "openlineage";

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view PlatformForScheme(std::string_view scheme) {
  for (const auto& [from, to] : kSchemeAliases) {
    if (scheme == from) return to;
  }
  return scheme;
}

bool IsKnownPlatform(std::string_view p) {
  return std::find(kKnownPlatforms.begin(), kKnownPlatforms.end(), p) != kKnownPlatforms.end();
}

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsUriScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

absl::Status Required(std::string_view what, std::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(Cat(what, " is empty"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Urn> DatasetUrnFromOpenLineage(std::string_view ns, std::string_view name) {
  RETURN_IF_ERROR(Required("OpenLineage dataset namespace", ns));
  RETURN_IF_ERROR(Required("OpenLineage dataset name", name));
  const size_t sep = ns.find("://");
  if (sep == std::string_view::npos) {
    const std::string lower = ToLower(ns);
    const std::string_view platform = PlatformForScheme(lower);
    if (IsKnownPlatform(platform)) return Urn::Dataset(platform, name);
    return Urn::Dataset(kOpenLineagePlatform, Cat(ns, "/", name));
  }
  const std::string scheme = ToLower(ns.substr(0, sep));
  RETURN_IF_ERROR(Required("OpenLineage namespace scheme", scheme));
  // The scheme becomes the platform name; anything but a URI scheme (e.g. "urn:li:x") would make
  // an invalid platform.
  if (!IsUriScheme(scheme)) {
    return absl::InvalidArgumentError(
        Cat("OpenLineage namespace scheme '", scheme.substr(0, 64), "' is not a URI scheme"));
  }
  const std::string_view platform = PlatformForScheme(scheme);
  std::string_view authority = ns.substr(sep + 3);
  if (platform == "s3" || platform == "gcs" || platform == "adls") {
    RETURN_IF_ERROR(Required("bucket of the OpenLineage namespace", authority));
    std::string_view path = name;
    while (path.starts_with('/')) path.remove_prefix(1);
    return Urn::Dataset(platform, Cat(authority, "/", path));
  }
  return Urn::Dataset(platform, name);
}

absl::StatusOr<OpenLineageName> OpenLineageFromDatasetUrn(const Urn& dataset) {
  if (dataset.entity_type() != "dataset") {
    return absl::InvalidArgumentError(Cat(dataset.ToString(), " is not a dataset"));
  }
  const std::string platform = dataset.PlatformName();
  const std::string name = dataset.DatasetName();
  if (platform == kOpenLineagePlatform || platform == "s3" || platform == "gcs" ||
      platform == "adls") {
    const size_t slash = name.find('/');
    if (slash == std::string::npos) {
      return OpenLineageName{platform, name};
    }
    if (platform == kOpenLineagePlatform) {
      return OpenLineageName{name.substr(0, slash), name.substr(slash + 1)};
    }
    const std::string_view scheme =
        platform == "gcs" ? "gs" : (platform == "adls" ? "abfss" : "s3");
    return OpenLineageName{Cat(scheme, "://", name.substr(0, slash)), name.substr(slash + 1)};
  }
  return OpenLineageName{platform, name};
}

absl::StatusOr<Urn> FieldUrnFromOpenLineage(std::string_view ns, std::string_view name,
                                            std::string_view field) {
  RETURN_IF_ERROR(Required("field name", field));
  ASSIGN_OR_RETURN(Urn dataset, DatasetUrnFromOpenLineage(ns, name));
  return Urn::SchemaField(dataset, field);
}

absl::StatusOr<Urn> JobUrnFromOpenLineage(std::string_view ns, std::string_view name) {
  RETURN_IF_ERROR(Required("OpenLineage job namespace", ns));
  RETURN_IF_ERROR(Required("OpenLineage job name", name));
  std::string orchestrator(kOpenLineagePlatform);
  const std::string lower = ToLower(ns);
  if (const size_t sep = lower.find("://"); sep != std::string::npos && sep > 0) {
    orchestrator = lower.substr(0, sep);
  } else {
    for (std::string_view o : kOrchestrators) {
      if (std::string_view(lower).starts_with(o)) orchestrator = std::string(o);
    }
  }
  return Urn::Parse(Cat("urn:li:dataJob:(urn:li:dataFlow:(", Urn::EscapeComponent(orchestrator),
                        ",", Urn::EscapeComponent(ns), ",PROD),", Urn::EscapeComponent(name), ")"));
}

absl::StatusOr<OpenLineageName> OpenLineageFromJobUrn(const Urn& job) {
  if (job.entity_type() != "dataJob") {
    return absl::InvalidArgumentError(Cat(job.ToString(), " is not a dataJob"));
  }
  ASSIGN_OR_RETURN(Urn flow, Urn::Parse(job.components()[0]));
  if (flow.components().size() < 2) {
    return absl::InvalidArgumentError(Cat("unexpected dataFlow in ", job.ToString()));
  }
  return OpenLineageName{flow.components()[1], job.components()[1]};
}

namespace {

// Splits "<ns>:<rest>" where ns may be "scheme://host[:port]" or a plain word.
absl::StatusOr<std::pair<std::string, std::string>> SplitNamespace(std::string_view text) {
  size_t search_from = 0;
  if (const size_t sep = text.find("://"); sep != std::string_view::npos) {
    search_from = sep + 3;
    const size_t colon = text.find(':', search_from);
    if (colon != std::string_view::npos) {
      // "host:5432:name" -> the digits after the first colon are a port when another colon follows.
      size_t i = colon + 1;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      if (i > colon + 1 && i < text.size() && text[i] == ':') search_from = i;
    }
  }
  const size_t colon = text.find(':', search_from);
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) {
    return absl::InvalidArgumentError(Cat("expected <namespace>:<name>, got '", text, "'"));
  }
  return std::make_pair(std::string(text.substr(0, colon)), std::string(text.substr(colon + 1)));
}

}  // namespace

absl::StatusOr<MarquezNodeId> ParseMarquezNodeId(std::string_view id) {
  MarquezNodeId out;
  std::string_view rest;
  if (id.starts_with("dataset:")) {
    out.kind = MarquezNodeId::Kind::kDataset;
    rest = id.substr(8);
  } else if (id.starts_with("job:")) {
    out.kind = MarquezNodeId::Kind::kJob;
    rest = id.substr(4);
  } else if (id.starts_with("datasetField:")) {
    out.kind = MarquezNodeId::Kind::kDatasetField;
    rest = id.substr(13);
    const size_t last = rest.rfind(':');
    if (last == std::string_view::npos || last + 1 >= rest.size()) {
      return absl::InvalidArgumentError(Cat("node id '", id, "' has no field"));
    }
    out.field = std::string(rest.substr(last + 1));
    rest = rest.substr(0, last);
  } else {
    return absl::InvalidArgumentError(
        Cat("node id '", id, "' must start with dataset:, job: or datasetField:"));
  }
  ASSIGN_OR_RETURN(auto parts, SplitNamespace(rest));
  out.name = OpenLineageName{std::move(parts.first), std::move(parts.second)};
  return out;
}

std::string FormatMarquezNodeId(const MarquezNodeId& id) {
  switch (id.kind) {
    case MarquezNodeId::Kind::kJob:
      return Cat("job:", id.name.ns, ":", id.name.name);
    case MarquezNodeId::Kind::kDatasetField:
      return Cat("datasetField:", id.name.ns, ":", id.name.name, ":", id.field);
    case MarquezNodeId::Kind::kDataset:
      break;
  }
  return Cat("dataset:", id.name.ns, ":", id.name.name);
}

absl::StatusOr<Urn> UrnFromMarquezNodeId(std::string_view text) {
  ASSIGN_OR_RETURN(MarquezNodeId id, ParseMarquezNodeId(text));
  switch (id.kind) {
    case MarquezNodeId::Kind::kJob:
      return JobUrnFromOpenLineage(id.name.ns, id.name.name);
    case MarquezNodeId::Kind::kDatasetField:
      return FieldUrnFromOpenLineage(id.name.ns, id.name.name, id.field);
    case MarquezNodeId::Kind::kDataset:
      break;
  }
  return DatasetUrnFromOpenLineage(id.name.ns, id.name.name);
}

absl::StatusOr<MarquezNodeId> MarquezNodeIdFromUrn(const Urn& urn) {
  MarquezNodeId id;
  if (urn.entity_type() == "dataJob") {
    id.kind = MarquezNodeId::Kind::kJob;
    ASSIGN_OR_RETURN(id.name, OpenLineageFromJobUrn(urn));
  } else if (urn.entity_type() == "schemaField") {
    id.kind = MarquezNodeId::Kind::kDatasetField;
    ASSIGN_OR_RETURN(Urn dataset, urn.ParentDataset());
    ASSIGN_OR_RETURN(id.name, OpenLineageFromDatasetUrn(dataset));
    id.field = urn.FieldPath();
  } else {
    ASSIGN_OR_RETURN(id.name, OpenLineageFromDatasetUrn(urn));
  }
  return id;
}

}  // namespace tidemark::lineage
