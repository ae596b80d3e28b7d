// The one mapping between OpenLineage / Marquez names and tidemark URNs. Ingest (OpenLineage
// events) and the Marquez-compatible read API both use it; nothing else may invent its own.
//
// Datasets: the namespace's URI scheme picks the platform; the authority (host:port, account) is
// dropped, except for object stores where the bucket is part of the name:
//   trino://host:8080       + cat.schema.table  -> dataset(trino, cat.schema.table)
//   postgres://host:5432    + db.schema.table   -> dataset(postgres, db.schema.table)
//   s3://bucket             + path/to/data      -> dataset(s3, bucket/path/to/data)   (gs -> gcs)
//   kafka://broker:9092     + topic             -> dataset(kafka, topic)
//   bigquery                + project.ds.table  -> dataset(bigquery, project.ds.table)
//   snowflake://account     + db.schema.table   -> dataset(snowflake, db.schema.table)
//   <other-scheme>://...    + name              -> dataset(<scheme>, name)
//   <known platform name>   + name              -> dataset(<platform>, name)
//   <anything else>         + name              -> dataset(openlineage, <namespace>/<name>)
// Env is always PROD. The reverse gives the canonical namespace (the bare platform name, "s3://b",
// "gs://b", or the original namespace for `openlineage`), so DatasetUrn(ToOpenLineage(u)) == u.
//
// Jobs: namespace + name <->
// urn:li:dataJob:(urn:li:dataFlow:(<orchestrator>,<namespace>,PROD),<name>) with <orchestrator> the
// namespace's scheme, or a known orchestrator its text starts with (airflow, dagster, dbt, spark,
// flink, prefect), else "openlineage". The namespace and name are kept verbatim, so the mapping is
// exactly reversible.
//
// Marquez node ids: "dataset:<ns>:<name>", "job:<ns>:<name>", "datasetField:<ns>:<name>:<field>".
// Namespaces may contain ':' (URIs with ports); the parser takes the scheme://authority[:port] form
// into account.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/urn.h"

namespace tidemark::lineage {

struct OpenLineageName {
  std::string ns;  // namespace
  std::string name;
};

absl::StatusOr<common::Urn> DatasetUrnFromOpenLineage(std::string_view ns, std::string_view name);
absl::StatusOr<OpenLineageName> OpenLineageFromDatasetUrn(const common::Urn& dataset);
absl::StatusOr<common::Urn> FieldUrnFromOpenLineage(std::string_view ns, std::string_view name,
                                                    std::string_view field);

absl::StatusOr<common::Urn> JobUrnFromOpenLineage(std::string_view ns, std::string_view name);
absl::StatusOr<OpenLineageName> OpenLineageFromJobUrn(const common::Urn& job);

struct MarquezNodeId {
  enum class Kind { kDataset, kJob, kDatasetField };
  Kind kind = Kind::kDataset;
  OpenLineageName name;
  std::string field;  // kDatasetField only
};

absl::StatusOr<MarquezNodeId> ParseMarquezNodeId(std::string_view id);
std::string FormatMarquezNodeId(const MarquezNodeId& id);
// Marquez id <-> URN (dataset, dataJob, schemaField).
absl::StatusOr<common::Urn> UrnFromMarquezNodeId(std::string_view id);
absl::StatusOr<MarquezNodeId> MarquezNodeIdFromUrn(const common::Urn& urn);

}  // namespace tidemark::lineage
