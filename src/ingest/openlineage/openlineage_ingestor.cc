// OpenLineage events → one atomic catalog write; see openlineage_ingestor.h.
#include "ingest/openlineage/openlineage_ingestor.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/openlineage/column_lineage.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/openlineage/lineage_merge.h"
#include "ingest/openlineage/openlineage_facets.h"
#include "lineage/lineage_aspects.h"
#include "tidemark/v1/ingest.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

}  // namespace

OpenLineageIngestor::OpenLineageIngestor(catalog::CatalogService& catalog,
                                         OpenLineageIngestOptions options)
    : catalog_(catalog), options_(std::move(options)) {}

absl::StatusOr<OpenLineageIngestResult> OpenLineageIngestor::IngestJson(
    std::string_view body, const catalog::WriteOrigin& origin) const {
  ASSIGN_OR_RETURN(json::value document, common::ParseJson(body, "OpenLineage event"));
  return IngestDocument(document, origin);
}

absl::StatusOr<OpenLineageIngestResult> OpenLineageIngestor::IngestDocument(
    const json::value& document, const catalog::WriteOrigin& origin) const {
  ASSIGN_OR_RETURN(auto bodies, EventsOfDocument(document, options_.max_events));
  std::vector<OlEvent> events;
  for (const auto& [body, path] : bodies) {
    ASSIGN_OR_RETURN(OlEvent e, DecodeOpenLineageEvent(*body, path));
    events.push_back(std::move(e));
  }
  OpenLineageIngestResult result;
  StagedWrites writes(catalog_);
  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status s = MapEvent(events[i], writes, result);
    if (!s.ok()) {
      if (events.size() == 1) return s;
      return absl::Status(s.code(), absl::StrCat("events[", i, "]: ", s.message()));
    }
  }
  catalog::WriteOrigin o = origin;
  if (o.run_id.empty() && events.size() == 1) o.run_id = events.front().run_id;
  ASSIGN_OR_RETURN(CommitSummary summary, writes.Commit(o));
  result.events = static_cast<int>(events.size());
  result.written = summary.written;
  result.unchanged = summary.unchanged;
  return result;
}

absl::Status OpenLineageIngestor::MapEvent(const OlEvent& e, StagedWrites& w,
                                           OpenLineageIngestResult& result) const {
  if (e.kind == OlEvent::Kind::kDataset) {
    ++result.dataset_events;
    return MapDatasetFacets(*e.dataset, w, &result.warnings);
  }
  if (e.kind == OlEvent::Kind::kRun) {
    ++result.run_events;
  } else {
    ++result.job_events;
  }
  for (const auto* list : {&e.inputs, &e.outputs}) {
    for (const OlDataset& d : *list) RETURN_IF_ERROR(MapDatasetFacets(d, w, &result.warnings));
  }
  std::string sql, dialect;
  RETURN_IF_ERROR(MapJobFacets(e, w, &sql, &dialect, &result.warnings));
  if (e.kind == OlEvent::Kind::kRun) RETURN_IF_ERROR(MapRun(e, w));
  return MapLineage(e, sql, dialect, w, result);
}

absl::Status OpenLineageIngestor::MapLineage(const OlEvent& e, const std::string& sql,
                                             const std::string& dialect, StagedWrites& w,
                                             OpenLineageIngestResult& result) const {
  if (e.inputs.empty() && e.outputs.empty()) return absl::OkStatus();
  const Urn& job = *e.job;
  std::vector<ColumnLineage> columns;
  bool any_column_lineage = false;
  for (const OlDataset& out : e.outputs) {
    ASSIGN_OR_RETURN(auto fields, SchemaFieldPaths(out));
    ASSIGN_OR_RETURN(ColumnLineage cl, MapColumnLineage(out, fields));
    any_column_lineage |= cl.present;
    columns.push_back(std::move(cl));
  }
  std::optional<StatementLineage> parsed;
  if (!any_column_lineage && !sql.empty() && !e.outputs.empty()) {
    if (!options_.sql_parser) {
      result.warnings.push_back("job.facets.sql: no SQL parser configured, column lineage skipped");
    } else {
      SqlStatement statement{sql, dialect, e.outputs.front().urn.PlatformName(), "", "", ""};
      if (e.outputs.size() == 1) statement.select_target = e.outputs.front().urn.ToString();
      auto p = options_.sql_parser(statement);
      if (p.ok()) {
        parsed = *std::move(p);
      } else {
        result.warnings.push_back(absl::StrCat("job.facets.sql: ", p.status().message()));
      }
    }
  }
  std::set<Urn> inputs;
  for (const OlDataset& in : e.inputs) inputs.insert(in.urn);
  if (parsed) {
    // The tables the SQL reads are inputs too (dbt sends its models' SQL without inputs).
    std::set<Urn> outputs;
    for (const OlDataset& out : e.outputs) outputs.insert(out.urn);
    for (const Urn& in : parsed->inputs) {
      if (!outputs.contains(in)) inputs.insert(in);
    }
  }
  for (size_t i = 0; i < e.outputs.size(); ++i) {
    LineageStatement st{.downstream = e.outputs[i].urn, .job = job.ToString()};
    std::set<Urn> upstreams = inputs;
    upstreams.insert(columns[i].upstream_datasets.begin(), columns[i].upstream_datasets.end());
    st.fine_grained = columns[i].entries;
    if (parsed) {
      for (auto& fg : FineGrainedLineageFor(*parsed, e.outputs[i].urn)) {
        for (const auto& u : fg.upstreams()) {
          if (auto f = Urn::Parse(u); f.ok()) {
            if (auto d = f->ParentDataset(); d.ok()) upstreams.insert(*d);
          }
        }
        st.fine_grained.push_back(std::move(fg));
      }
    }
    st.upstreams.assign(upstreams.begin(), upstreams.end());
    st.source = v1::OPENLINEAGE;
    st.run_id = e.run_id;
    st.event_micros = e.event_micros;
    RETURN_IF_ERROR(MergeUpstreamLineage(st, MergePolicy::kReplaceJob, w));
  }

  // The job's inputs and outputs.
  ASSIGN_OR_RETURN(auto prev,
                   w.GetAs<v1::DataJobInputOutput>(job, lineage::kDataJobInputOutputAspect));
  if (prev && prev->provenance().source() != v1::MANUAL &&
      prev->provenance().last_seen_micros() > e.event_micros) {
    return absl::OkStatus();  // a later event of this job is already stored
  }
  auto io = std::make_unique<v1::DataJobInputOutput>();
  if (prev && prev->provenance().run_id() == e.run_id) {
    *io = *prev;  // events of one run add up
    io->clear_provenance();
  }
  for (const auto& in : inputs) io->add_input_datasets(in.ToString());
  for (size_t i = 0; i < e.outputs.size(); ++i) {
    io->add_output_datasets(e.outputs[i].urn.ToString());
    for (const auto& fg : columns[i].entries) {
      for (const auto& u : fg.upstreams()) io->add_input_dataset_fields(u);
      for (const auto& d : fg.downstreams()) io->add_output_dataset_fields(d);
    }
  }
  *io->mutable_provenance() = MakeProvenance(v1::OPENLINEAGE, e.run_id, e.event_micros,
                                             prev ? &prev->provenance() : nullptr);
  return w.Put(job, lineage::kDataJobInputOutputAspect, std::move(io));
}

absl::Status RegisterEngineAspects(catalog::AspectRegistry& registry) {
  RETURN_IF_ERROR(registry.Register(catalog::AspectSpec{
      std::string(kDataJobRunsAspect),
      &v1::DataJobRuns::default_instance(),
      {"dataJob"},
      "Recent runs of a data job (OpenLineage): state, times, duration, parent, error.",
      nullptr}));
  return registry.Register(catalog::AspectSpec{
      std::string(kDatasetUsageAspect),
      &v1::DatasetUsage::default_instance(),
      {"dataset"},
      "Query usage of a dataset and its columns over a 30-day window: queries per day, users, "
      "top users, top query shapes, last queried.",
      nullptr});
}

}  // namespace tidemark::ingest
