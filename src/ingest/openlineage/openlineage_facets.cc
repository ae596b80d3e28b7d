// OpenLineage facets → catalog aspects; see openlineage_facets.h.
#include "ingest/openlineage/openlineage_facets.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/openlineage/json_fields.h"
#include "ingest/runs/naming.h"
#include "lineage/openlineage_naming.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/ingest.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;
constexpr std::string_view kSourceTag = "openlineage";
constexpr size_t kMaxFields = 10000;
constexpr int kMaxRuns = 50;

std::string P(std::string_view path, std::string_view key) {
  return absl::StrCat(std::string(path), ".", std::string(key));
}

absl::StatusOr<const json::object*> Facet(const json::object* facets, std::string_view name,
                                          std::string_view path) {
  if (facets == nullptr) return nullptr;
  return common::OptionalObject(*facets, name, path);
}

// Flattens schema facet fields (nested `fields` become "parent.child").
absl::Status CollectFields(const json::array& fields, const std::string& prefix,
                           const std::string& path, int depth, std::vector<v1::SchemaField>* out) {
  if (depth > 16) return absl::InvalidArgumentError(absl::StrCat(path, ": nested too deeply"));
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string fp = absl::StrCat(path, "[", i, "]");
    ASSIGN_OR_RETURN(const json::object* f, common::AsObject(fields[i], fp));
    ASSIGN_OR_RETURN(std::string name, ReqString(*f, "name", fp));
    ASSIGN_OR_RETURN(auto type, common::OptionalString(*f, "type", fp));
    ASSIGN_OR_RETURN(auto description, common::OptionalString(*f, "description", fp));
    if (out->size() >= kMaxFields) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": more than ", kMaxFields, " fields"));
    }
    v1::SchemaField field;
    field.set_field_path(prefix.empty() ? name : absl::StrCat(prefix, ".", name));
    field.set_native_data_type(Truncate(type.value_or(""), 1024));
    field.set_type(type ? FieldTypeFromNative(*type) : v1::UNKNOWN);
    field.set_nullable(true);
    field.set_description(Truncate(description.value_or(""), 64 * 1024));
    out->push_back(field);
    ASSIGN_OR_RETURN(const json::array* nested, common::OptionalArray(*f, "fields", fp));
    if (nested != nullptr) {
      RETURN_IF_ERROR(CollectFields(*nested, field.field_path(), P(fp, "fields"), depth + 1, out));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::SchemaField>> SchemaFields(const OlDataset& d) {
  std::vector<v1::SchemaField> fields;
  const std::string path = P(d.path, "facets.schema");
  ASSIGN_OR_RETURN(const json::object* schema, Facet(d.facets, "schema", P(d.path, "facets")));
  if (schema == nullptr) return fields;
  ASSIGN_OR_RETURN(const json::array* list, common::OptionalArray(*schema, "fields", path));
  if (list != nullptr) RETURN_IF_ERROR(CollectFields(*list, "", P(path, "fields"), 0, &fields));
  return fields;
}

v1::OwnershipType OwnerType(std::string_view type) {
  if (type == "BUSINESS_OWNER" || type == "BUSINESS") return v1::BUSINESS_OWNER;
  if (type == "DATA_STEWARD" || type == "STEWARD") return v1::DATA_STEWARD;
  return v1::TECHNICAL_OWNER;
}

// ownership facet → merged ownership (owners from other sources stay).
absl::Status MapOwnership(const Urn& urn, const json::object* facets, std::string_view path,
                          StagedWrites& w, std::vector<std::string>* warnings) {
  ASSIGN_OR_RETURN(const json::object* facet, Facet(facets, "ownership", path));
  if (facet == nullptr) return absl::OkStatus();
  const std::string fp = P(path, "ownership");
  ASSIGN_OR_RETURN(const json::array* owners, common::OptionalArray(*facet, "owners", fp));
  ASSIGN_OR_RETURN(auto prev, w.GetAs<v1::Ownership>(urn, "ownership"));
  auto merged = std::make_unique<v1::Ownership>();
  if (prev) {
    for (const auto& o : prev->owners()) {
      if (o.source() != kSourceTag) *merged->add_owners() = o;
    }
  }
  for (size_t i = 0; owners != nullptr && i < owners->size(); ++i) {
    const std::string op = absl::StrCat(fp, ".owners[", i, "]");
    ASSIGN_OR_RETURN(const json::object* o, common::AsObject((*owners)[i], op));
    ASSIGN_OR_RETURN(std::string name, ReqString(*o, "name", op));
    ASSIGN_OR_RETURN(auto type, common::OptionalString(*o, "type", op));
    std::string_view text = name;
    if (text.starts_with("user:")) text.remove_prefix(5);
    auto owner = OwnerUrn(text);
    if (!owner.ok() ||
        (owner->entity_type() != "corpuser" && owner->entity_type() != "corpGroup")) {
      warnings->push_back(absl::StrCat(op, ": owner '", Truncate(name, 200), "' ignored"));
      continue;
    }
    v1::Owner* added = merged->add_owners();
    added->set_owner(owner->ToString());
    added->set_type(OwnerType(type.value_or("")));
    added->set_source(std::string(kSourceTag));
  }
  return w.Put(urn, "ownership", std::move(merged));
}

// tags facet → merged globalTags ("key:value" tags; tags from other sources stay).
absl::Status MapTags(const Urn& urn, const json::object* facets, std::string_view path,
                     StagedWrites& w) {
  ASSIGN_OR_RETURN(const json::object* facet, Facet(facets, "tags", path));
  if (facet == nullptr) return absl::OkStatus();
  const std::string fp = P(path, "tags");
  ASSIGN_OR_RETURN(const json::array* tags, common::OptionalArray(*facet, "tags", fp));
  ASSIGN_OR_RETURN(auto prev, w.GetAs<v1::GlobalTags>(urn, "globalTags"));
  auto merged = std::make_unique<v1::GlobalTags>();
  if (prev) {
    for (const auto& t : prev->tags()) {
      if (t.context() != kSourceTag) *merged->add_tags() = t;
    }
  }
  for (size_t i = 0; tags != nullptr && i < tags->size(); ++i) {
    const std::string tp = absl::StrCat(fp, ".tags[", i, "]");
    ASSIGN_OR_RETURN(const json::object* t, common::AsObject((*tags)[i], tp));
    ASSIGN_OR_RETURN(std::string key, ReqString(*t, "key", tp));
    ASSIGN_OR_RETURN(auto value, common::OptionalString(*t, "value", tp));
    v1::TagAssociation* tag = merged->add_tags();
    tag->set_tag(
        Urn::Tag(value && !value->empty() ? absl::StrCat(key, ":", *value) : key).ToString());
    tag->set_context(std::string(kSourceTag));
  }
  return w.Put(urn, "globalTags", std::move(merged));
}

bool Terminal(std::string_view state) {
  return state == "COMPLETE" || state == "FAIL" || state == "ABORT";
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SchemaFieldPaths(const OlDataset& dataset) {
  ASSIGN_OR_RETURN(auto fields, SchemaFields(dataset));
  std::vector<std::string> paths;
  for (const auto& f : fields) paths.push_back(f.field_path());
  return paths;
}

absl::Status MapDatasetFacets(const OlDataset& d, StagedWrites& w,
                              std::vector<std::string>* warnings) {
  if (d.facets == nullptr) return absl::OkStatus();
  const std::string fp = P(d.path, "facets");
  // schema
  ASSIGN_OR_RETURN(const json::object* schema_facet, Facet(d.facets, "schema", fp));
  if (schema_facet != nullptr) {
    ASSIGN_OR_RETURN(auto fields, SchemaFields(d));
    ASSIGN_OR_RETURN(v1::SourceKind stored, w.StoredSource(d.urn, "schemaMetadata"));
    if (stored == v1::SOURCE_KIND_UNSPECIFIED || stored == v1::OPENLINEAGE) {
      auto schema = std::make_unique<v1::SchemaMetadata>();
      schema->set_schema_name(d.name);
      std::set<std::string> seen;
      for (auto& f : fields) {
        if (!seen.insert(f.field_path()).second) continue;  // producers repeat fields at times
        f.set_ordinal(schema->fields_size());
        *schema->add_fields() = std::move(f);
      }
      RETURN_IF_ERROR(w.Put(d.urn, "schemaMetadata", std::move(schema)));
    } else {
      warnings->push_back(absl::StrCat(d.path, ": schema kept from ", v1::SourceKind_Name(stored)));
    }
  }
  // datasetProperties: description and custom properties.
  ASSIGN_OR_RETURN(auto prev, w.GetAs<v1::DatasetProperties>(d.urn, "datasetProperties"));
  auto props = std::make_unique<v1::DatasetProperties>();
  if (prev) *props = *prev;
  bool said = false;
  ASSIGN_OR_RETURN(const json::object* doc, Facet(d.facets, "documentation", fp));
  if (doc != nullptr) {
    ASSIGN_OR_RETURN(auto description,
                     common::OptionalString(*doc, "description", P(fp, "documentation")));
    if (description && !description->empty()) {
      props->set_description(Truncate(*description, 64 * 1024));
      said = true;
    }
  }
  auto set_prop = [&](const std::string& key, const std::optional<std::string>& value) {
    if (!value || value->empty()) return;
    (*props->mutable_custom_properties())[key] = Truncate(*value, 4096);
    said = true;
  };
  ASSIGN_OR_RETURN(const json::object* source, Facet(d.facets, "dataSource", fp));
  if (source != nullptr) {
    ASSIGN_OR_RETURN(auto name, common::OptionalString(*source, "name", P(fp, "dataSource")));
    ASSIGN_OR_RETURN(auto uri, common::OptionalString(*source, "uri", P(fp, "dataSource")));
    set_prop("dataSource.name", name);
    set_prop("dataSource.uri", uri);
  }
  ASSIGN_OR_RETURN(const json::object* type, Facet(d.facets, "datasetType", fp));
  if (type != nullptr) {
    ASSIGN_OR_RETURN(auto t, common::OptionalString(*type, "datasetType", P(fp, "datasetType")));
    set_prop("datasetType", t);
  }
  ASSIGN_OR_RETURN(const json::object* storage, Facet(d.facets, "storage", fp));
  if (storage != nullptr) {
    ASSIGN_OR_RETURN(auto layer,
                     common::OptionalString(*storage, "storageLayer", P(fp, "storage")));
    ASSIGN_OR_RETURN(auto format, common::OptionalString(*storage, "fileFormat", P(fp, "storage")));
    set_prop("storage.layer", layer);
    set_prop("storage.fileFormat", format);
  }
  ASSIGN_OR_RETURN(const json::object* symlinks, Facet(d.facets, "symlinks", fp));
  if (symlinks != nullptr) {
    const std::string sp = P(fp, "symlinks");
    ASSIGN_OR_RETURN(const json::array* ids, common::OptionalArray(*symlinks, "identifiers", sp));
    std::vector<std::string> texts;
    for (size_t i = 0; ids != nullptr && i < ids->size(); ++i) {
      const std::string ip = absl::StrCat(sp, ".identifiers[", i, "]");
      ASSIGN_OR_RETURN(const json::object* id, common::AsObject((*ids)[i], ip));
      ASSIGN_OR_RETURN(std::string ns, ReqString(*id, "namespace", ip));
      ASSIGN_OR_RETURN(std::string name, ReqString(*id, "name", ip));
      ASSIGN_OR_RETURN(auto kind, common::OptionalString(*id, "type", ip));
      texts.push_back(absl::StrCat(ns, "/", name, kind ? absl::StrCat(" (", *kind, ")") : ""));
    }
    std::sort(texts.begin(), texts.end());
    std::string joined;
    for (const auto& t : texts) absl::StrAppend(&joined, joined.empty() ? "" : ", ", t);
    set_prop("symlinks", joined);
  }
  if (said) RETURN_IF_ERROR(w.Put(d.urn, "datasetProperties", std::move(props)));
  RETURN_IF_ERROR(MapOwnership(d.urn, d.facets, fp, w, warnings));
  return MapTags(d.urn, d.facets, fp, w);
}

absl::Status MapJobFacets(const OlEvent& e, StagedWrites& w, std::string* sql, std::string* dialect,
                          std::vector<std::string>* warnings) {
  const Urn& job = *e.job;
  const std::string fp = "job.facets";
  ASSIGN_OR_RETURN(auto prev, w.GetAs<v1::DataJobInfo>(job, "dataJobInfo"));
  auto info = std::make_unique<v1::DataJobInfo>();
  if (prev) *info = *prev;
  info->set_name(e.job_name);
  auto& props = *info->mutable_custom_properties();
  props["openlineage.namespace"] = e.job_ns;
  auto set_prop = [&](const std::string& key, const std::optional<std::string>& value,
                      size_t max = 4096) {
    if (value && !value->empty()) props[key] = Truncate(*value, max);
  };
  const json::object* f = e.job_facets;
  ASSIGN_OR_RETURN(const json::object* doc, Facet(f, "documentation", fp));
  if (doc != nullptr) {
    ASSIGN_OR_RETURN(auto description,
                     common::OptionalString(*doc, "description", P(fp, "documentation")));
    if (description) info->set_description(Truncate(*description, 64 * 1024));
  }
  ASSIGN_OR_RETURN(const json::object* job_type, Facet(f, "jobType", fp));
  if (job_type != nullptr) {
    const std::string tp = P(fp, "jobType");
    ASSIGN_OR_RETURN(auto type, common::OptionalString(*job_type, "jobType", tp));
    ASSIGN_OR_RETURN(auto integration, common::OptionalString(*job_type, "integration", tp));
    ASSIGN_OR_RETURN(auto processing, common::OptionalString(*job_type, "processingType", tp));
    set_prop("jobType", type);
    set_prop("integration", integration);
    set_prop("processingType", processing);
    if (integration && !integration->empty()) {
      info->set_type(*integration);
    } else if (type) {
      info->set_type(*type);
    }
  }
  ASSIGN_OR_RETURN(const json::object* sql_facet, Facet(f, "sql", fp));
  if (sql_facet != nullptr) {
    ASSIGN_OR_RETURN(auto query, common::OptionalString(*sql_facet, "query", P(fp, "sql")));
    ASSIGN_OR_RETURN(auto d, common::OptionalString(*sql_facet, "dialect", P(fp, "sql")));
    *sql = query.value_or("");
    *dialect = d.value_or("");
    set_prop("sql", query, 64 * 1024);
    set_prop("sql.dialect", d);
  }
  ASSIGN_OR_RETURN(const json::object* code, Facet(f, "sourceCode", fp));
  if (code != nullptr) {
    ASSIGN_OR_RETURN(auto language, common::OptionalString(*code, "language", P(fp, "sourceCode")));
    ASSIGN_OR_RETURN(auto text, common::OptionalString(*code, "sourceCode", P(fp, "sourceCode")));
    set_prop("sourceCode.language", language);
    set_prop("sourceCode", text, 64 * 1024);
  }
  RETURN_IF_ERROR(w.Put(job, "dataJobInfo", std::move(info)));

  ASSIGN_OR_RETURN(const json::object* location, Facet(f, "sourceCodeLocation", fp));
  if (location != nullptr) {
    const std::string lp = P(fp, "sourceCodeLocation");
    v1::SourceCodeLocation loc;
    ASSIGN_OR_RETURN(auto url, common::OptionalString(*location, "url", lp));
    ASSIGN_OR_RETURN(auto repo, common::OptionalString(*location, "repoUrl", lp));
    ASSIGN_OR_RETURN(auto path, common::OptionalString(*location, "path", lp));
    ASSIGN_OR_RETURN(auto version, common::OptionalString(*location, "version", lp));
    ASSIGN_OR_RETURN(auto type, common::OptionalString(*location, "type", lp));
    loc.set_url(Truncate(url.value_or(""), 4096));
    loc.set_repository(Truncate(repo.value_or(""), 4096));
    loc.set_path(Truncate(path.value_or(""), 4096));
    loc.set_commit(Truncate(version.value_or(""), 256));
    loc.set_type(Truncate(type.value_or(""), 64));
    ASSIGN_OR_RETURN(v1::SourceKind stored, w.StoredSource(job, "sourceCode"));
    if (loc.url().empty() && loc.path().empty()) {
      warnings->push_back(absl::StrCat(lp, ": no url or path, ignored"));
    } else if (stored == v1::SOURCE_KIND_UNSPECIFIED || stored == v1::OPENLINEAGE) {
      auto source_code = std::make_unique<v1::SourceCode>();
      *source_code->add_locations() = loc;
      RETURN_IF_ERROR(w.Put(job, "sourceCode", std::move(source_code)));
    }
  }
  RETURN_IF_ERROR(MapOwnership(job, f, fp, w, warnings));
  RETURN_IF_ERROR(MapTags(job, f, fp, w));

  // The job's flow (orchestrator + namespace) gets a name once.
  auto flow = Urn::Parse(job.components().front());
  if (flow.ok()) {
    ASSIGN_OR_RETURN(auto flow_info, w.Get(*flow, "dataFlowInfo"));
    if (flow_info == nullptr) {
      auto info_msg = std::make_unique<v1::DataFlowInfo>();
      info_msg->set_name(e.job_ns);
      (*info_msg->mutable_custom_properties())["openlineage.namespace"] = e.job_ns;
      RETURN_IF_ERROR(w.Put(*flow, "dataFlowInfo", std::move(info_msg)));
    }
  }
  return absl::OkStatus();
}

absl::Status MapRun(const OlEvent& e, StagedWrites& w) {
  const Urn& job = *e.job;
  ASSIGN_OR_RETURN(auto prev, w.GetAs<v1::DataJobRuns>(job, kDataJobRunsAspect));
  auto runs = std::make_unique<v1::DataJobRuns>();
  if (prev) *runs = *prev;
  v1::DataJobRun* run = nullptr;
  for (auto& r : *runs->mutable_runs()) {
    if (r.run_id() == e.run_id) run = &r;
  }
  if (run == nullptr) {
    run = runs->add_runs();
    run->set_run_id(e.run_id);
    runs->set_total_runs(runs->total_runs() + 1);
  }
  const bool was_failed = run->state() == "FAIL" || run->state() == "ABORT";
  const bool terminal = Terminal(e.event_type);
  if (run->state().empty() || (terminal && !Terminal(run->state())) ||
      (terminal == Terminal(run->state()) && e.event_micros >= run->last_event_micros())) {
    run->set_state(e.event_type);
  }
  if (terminal) {
    run->set_end_micros(std::max(run->end_micros(), e.event_micros));
  } else if (run->start_micros() == 0 || e.event_micros < run->start_micros()) {
    run->set_start_micros(e.event_micros);
  }
  run->set_last_event_micros(std::max(run->last_event_micros(), e.event_micros));
  if (run->start_micros() != 0 && run->end_micros() >= run->start_micros()) {
    run->set_duration_millis((run->end_micros() - run->start_micros()) / 1000);
  }
  if (!e.producer.empty()) run->set_producer(e.producer);
  const std::string fp = "run.facets";
  ASSIGN_OR_RETURN(const json::object* nominal, Facet(e.run_facets, "nominalTime", fp));
  if (nominal != nullptr) {
    const std::string np = P(fp, "nominalTime");
    for (auto [key, setter] :
         {std::pair{"nominalStartTime", &v1::DataJobRun::set_nominal_start_micros},
          std::pair{"nominalEndTime", &v1::DataJobRun::set_nominal_end_micros}}) {
      if (const json::value* v = nominal->if_contains(key); v != nullptr && !v->is_null()) {
        ASSIGN_OR_RETURN(int64_t micros, JsonTimeMicros(*v, P(np, key)));
        (run->*setter)(micros);
      }
    }
  }
  ASSIGN_OR_RETURN(const json::object* parent, Facet(e.run_facets, "parent", fp));
  if (parent != nullptr) {
    const std::string pp = P(fp, "parent");
    ASSIGN_OR_RETURN(const json::object* prun, common::OptionalObject(*parent, "run", pp));
    ASSIGN_OR_RETURN(const json::object* pjob, common::OptionalObject(*parent, "job", pp));
    if (prun != nullptr) {
      ASSIGN_OR_RETURN(auto id, common::OptionalString(*prun, "runId", P(pp, "run")));
      run->set_parent_run_id(Truncate(id.value_or(""), 256));
    }
    if (pjob != nullptr) {
      ASSIGN_OR_RETURN(std::string ns, ReqString(*pjob, "namespace", P(pp, "job")));
      ASSIGN_OR_RETURN(std::string name, ReqString(*pjob, "name", P(pp, "job")));
      auto urn = lineage::JobUrnFromOpenLineage(ns, name);
      if (urn.ok()) run->set_parent_job(urn->ToString());
    }
  }
  for (std::string_view facet : {"errorMessage", "spark.exception"}) {
    ASSIGN_OR_RETURN(const json::object* error, Facet(e.run_facets, facet, fp));
    if (error == nullptr) continue;
    ASSIGN_OR_RETURN(auto message, common::OptionalString(*error, "message", P(fp, facet)));
    if (message) run->set_error_message(Truncate(*message, 2000));
  }
  if (!was_failed && (run->state() == "FAIL" || run->state() == "ABORT")) {
    runs->set_failed_runs(runs->failed_runs() + 1);
  }
  std::stable_sort(
      runs->mutable_runs()->begin(), runs->mutable_runs()->end(),
      [](const v1::DataJobRun& a, const v1::DataJobRun& b) {
        const int64_t ta = a.start_micros() != 0 ? a.start_micros() : a.last_event_micros();
        const int64_t tb = b.start_micros() != 0 ? b.start_micros() : b.last_event_micros();
        return ta != tb ? ta > tb : a.run_id() < b.run_id();
      });
  while (runs->runs_size() > kMaxRuns) runs->mutable_runs()->RemoveLast();
  return w.Put(job, kDataJobRunsAspect, std::move(runs));
}

}  // namespace tidemark::ingest
