// dbt manifest → aspects; see dbt_mapper.h. Boost.JSON is read without exceptions (if_* accessors).
#include "ingest/dbt/dbt_mapper.h"

#include <boost/json.hpp>
#include <functional>
#include <map>
#include <set>

#include "common/json.h"
#include "common/status_macros.h"
#include "ingest/dbt/dbt_aspects.h"
#include "ingest/dbt/internal/mapper.h"
#include "ingest/runs/naming.h"
#include "ingest/runs/str_util.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/dbt.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace dbt_internal {

absl::StatusOr<Mapping> Mapper::Run() {
  absl::StatusOr<json::value> parsed =
      common::ParseJson(artifacts_.manifest, artifacts_.manifest_path);
  if (!parsed.ok()) return parsed.status();
  const json::object* manifest = parsed->if_object();
  const json::object* nodes = manifest ? Obj(*manifest, "nodes") : nullptr;
  if (nodes == nullptr) {
    return absl::InvalidArgumentError(
        Cat(artifacts_.manifest_path, ": not a dbt manifest (no \"nodes\" object)"));
  }
  const json::object* metadata = Obj(*manifest, "metadata");
  const std::string adapter = metadata ? Str(*metadata, "adapter_type") : "";
  platform_ = !options_.platform.empty() ? options_.platform : PlatformForAdapter(adapter);
  if (platform_.empty()) {
    return absl::InvalidArgumentError(
        Cat(artifacts_.manifest_path, ": metadata.adapter_type is missing; give a platform"));
  }
  if (metadata != nullptr) {
    for (const char* key :
         {"dbt_schema_version", "dbt_version", "invocation_id", "project_name", "adapter_type"}) {
      if (std::string v = Str(*metadata, key); !v.empty()) {
        out_.properties.emplace_back(Cat("dbt.", key), v);
      }
    }
  }
  if (const json::object* groups = Obj(*manifest, "groups")) {
    for (const auto& g : *groups) {
      const json::object* group = g.value().if_object();
      const json::object* owner = group ? Obj(*group, "owner") : nullptr;
      if (owner == nullptr) continue;
      std::string who = Str(*owner, "email");
      if (who.empty()) who = Str(*owner, "name");
      if (!who.empty()) group_owner_[Str(*group, "name")] = who;
    }
  }
  LoadCatalog();
  LoadRunResults();
  CollectRelations(*nodes, false);
  if (const json::object* sources = Obj(*manifest, "sources")) CollectRelations(*sources, true);
  CollectSchemas(adapter.empty() ? platform_ : adapter);
  CollectTests(*nodes);
  CollectSemantics(*manifest);
  for (const auto& [id, r] : relations_) MapRelation(r);
  if (sql_parsed_ > 0 || sql_warnings_ > 0) {
    out_.properties.emplace_back("dbt.sql_lineage.parsed", std::to_string(sql_parsed_));
    out_.properties.emplace_back("dbt.sql_lineage.warnings", std::to_string(sql_warnings_));
  }
  if (const json::object* exposures = Obj(*manifest, "exposures")) {
    for (const auto& e : *exposures) {
      if (const json::object* x = e.value().if_object()) MapExposure(e.key(), *x);
    }
  }
  return std::move(out_);
}

void Mapper::LoadCatalog() {
  if (artifacts_.catalog.empty()) return;
  absl::StatusOr<json::value> parsed = common::ParseJson(artifacts_.catalog, "content");
  if (!parsed.ok()) {
    out_.Error(artifacts_.catalog_path, std::string(parsed.status().message()));
    return;
  }
  catalog_doc_ = *std::move(parsed);
  const json::object* root = catalog_doc_.if_object();
  if (root == nullptr) {
    out_.Error(artifacts_.catalog_path, "not an object");
    return;
  }
  catalog_nodes_ = Obj(*root, "nodes");
  catalog_sources_ = Obj(*root, "sources");
}

void Mapper::LoadRunResults() {
  if (artifacts_.run_results.empty()) return;
  absl::StatusOr<json::value> doc = common::ParseJson(artifacts_.run_results, "content");
  if (!doc.ok()) {
    out_.Error(artifacts_.run_results_path, std::string(doc.status().message()));
    return;
  }
  const json::object* root = doc->if_object();
  const json::array* results = root ? Arr(*root, "results") : nullptr;
  if (results == nullptr) {
    out_.Error(artifacts_.run_results_path, "no \"results\" array");
    return;
  }
  for (const json::value& r : *results) {
    if (const json::object* o = r.if_object()) {
      run_status_[Str(*o, "unique_id")] = Str(*o, "status");
    }
  }
}

void Mapper::CollectRelations(const json::object& nodes, bool sources) {
  for (const auto& entry : nodes) {
    const std::string id(entry.key());
    const json::object* node = entry.value().if_object();
    if (node == nullptr) {
      out_.Error(id, "node is not an object");
      continue;
    }
    const std::string type = Str(*node, "resource_type");
    const json::object* config = Obj(*node, "config");
    if (config != nullptr) {
      if (const json::value* enabled = config->if_contains("enabled");
          enabled != nullptr && enabled->is_bool() && !enabled->as_bool()) {
        continue;
      }
    }
    const std::string materialized = config ? Str(*config, "materialized") : "";
    if (!sources && (type != "model" && type != "seed" && type != "snapshot")) {
      others_[id] = node;
      continue;
    }
    if (materialized == "ephemeral") {
      others_[id] = node;
      continue;
    }
    std::string table = Str(*node, sources ? "identifier" : "alias");
    if (table.empty()) table = Str(*node, "name");
    auto urn =
        RelationUrn(platform_, Str(*node, "database"), Str(*node, "schema"), table, options_.env);
    if (!urn.ok()) {
      out_.Error(Where(*node, id), std::string(urn.status().message()));
      continue;
    }
    relations_.emplace(id, Relation{id, node, *std::move(urn), sources});
  }
}

// The dataset a test checks: attached_node, else the ref()/source() in kwargs.model, else its one
// dependency.
void Mapper::CollectTests(const json::object& nodes) {
  for (const auto& entry : nodes) {
    const json::object* node = entry.value().if_object();
    if (node == nullptr || Str(*node, "resource_type") != "test") continue;
    const std::string id(entry.key());
    const json::object* meta = Obj(*node, "test_metadata");
    const json::object* kwargs = meta ? Obj(*meta, "kwargs") : nullptr;
    std::vector<std::string> deps;
    if (const json::object* d = Obj(*node, "depends_on")) deps = StrList(*d, "nodes");
    std::vector<std::string> targets;
    if (std::string attached = Str(*node, "attached_node"); relations_.contains(attached)) {
      targets.push_back(attached);
    } else {
      const std::string model = kwargs ? Str(*kwargs, "model") : "";
      for (const std::string& dep : deps) {
        auto r = relations_.find(dep);
        if (r == relations_.end()) continue;
        const std::string name = Str(*r->second.node, "name");
        const std::string quoted[] = {Cat("'", name, "'"), Cat("\"", name, "\"")};
        for (const std::string& q : quoted) {
          if (!model.empty() && model.find(q) != std::string::npos) {
            targets.push_back(dep);
            break;
          }
        }
      }
      if (targets.empty() && deps.size() == 1 && relations_.contains(deps[0])) {
        targets.push_back(deps[0]);
      }
    }
    if (targets.empty()) continue;  // e.g. a test of an ephemeral model
    v1::DbtAssertion a;
    a.set_unique_id(id);
    a.set_name(Str(*node, "name"));
    a.set_test_type(meta ? Str(*meta, "name") : "singular");
    std::string column = Str(*node, "column_name");
    if (column.empty() && kwargs != nullptr) column = Str(*kwargs, "column_name");
    a.set_column(Lower(column));
    if (kwargs != nullptr) {
      for (const auto& kv : *kwargs) {
        if (kv.key() == "model" || kv.key() == "column_name") continue;
        (*a.mutable_parameters())[std::string(kv.key())] = Scalar(kv.value());
      }
    }
    if (const json::object* config = Obj(*node, "config"))
      a.set_severity(Lower(Str(*config, "severity")));
    if (auto s = run_status_.find(id); s != run_status_.end()) a.set_last_status(s->second);
    a.set_description(Str(*node, "description"));
    a.set_path(Str(*node, "original_file_path"));
    for (const std::string& t : targets) {
      tests_[t].push_back(a);
      if (a.test_type() == "not_null" && !a.column().empty()) not_null_[t].insert(a.column());
    }
  }
}

// Semantic models and the metrics built on them, as properties of the model they read.
void Mapper::CollectSemantics(const json::object& manifest) {
  std::map<std::string, std::string> semantic_to_model;
  if (const json::object* sms = Obj(manifest, "semantic_models")) {
    for (const auto& e : *sms) {
      const json::object* sm = e.value().if_object();
      const json::object* deps = sm ? Obj(*sm, "depends_on") : nullptr;
      if (deps == nullptr) continue;
      for (const std::string& d : StrList(*deps, "nodes")) {
        if (!relations_.contains(d)) continue;
        semantic_to_model[std::string(e.key())] = d;
        std::string& list = extra_props_[d]["dbt.semantic_models"];
        list += Cat(list.empty() ? "" : ",", Str(*sm, "name"));
      }
    }
  }
  const json::object* metrics = Obj(manifest, "metrics");
  if (metrics == nullptr) return;
  // metric → models, following metrics built on metrics.
  std::function<void(std::string_view, std::set<std::string>&, std::set<std::string>&)> models_of =
      [&](std::string_view id, std::set<std::string>& seen, std::set<std::string>& found) {
        if (!seen.insert(std::string(id)).second) return;
        const json::value* v = metrics->if_contains(id);
        const json::object* deps =
            v && v->is_object() ? Obj(v->as_object(), "depends_on") : nullptr;
        if (deps == nullptr) return;
        for (const std::string& d : StrList(*deps, "nodes")) {
          if (relations_.contains(d)) found.insert(d);
          if (auto s = semantic_to_model.find(d); s != semantic_to_model.end())
            found.insert(s->second);
          if (d.starts_with("metric.")) models_of(d, seen, found);
        }
      };
  for (const auto& e : *metrics) {
    std::set<std::string> seen, found;
    models_of(e.key(), seen, found);
    const json::object* m = e.value().if_object();
    for (const std::string& model : found) {
      std::string& list = extra_props_[model]["dbt.metrics"];
      list += Cat(list.empty() ? "" : ",", m ? Str(*m, "name") : std::string(e.key()));
    }
  }
}

void Mapper::UpstreamsOf(std::string_view id, std::set<std::string>& visited,
                         std::vector<Urn>& out) {
  if (!visited.insert(std::string(id)).second) return;
  if (auto r = relations_.find(std::string(id)); r != relations_.end()) {
    out.push_back(r->second.urn);
    return;
  }
  auto other = others_.find(std::string(id));
  if (other == others_.end()) {
    // A node missing from a trimmed manifest: dbt builds it in the dependent's database and schema
    // unless configured otherwise, which is the best guess left.
    const bool buildable =
        id.starts_with("model.") || id.starts_with("seed.") || id.starts_with("snapshot.");
    const size_t dot = id.rfind('.');
    if (buildable && current_ != nullptr && dot != std::string_view::npos) {
      auto urn = RelationUrn(platform_, Str(*current_, "database"), Str(*current_, "schema"),
                             id.substr(dot + 1), options_.env);
      if (urn.ok()) out.push_back(*std::move(urn));
    }
    return;
  }
  const json::object* config = Obj(*other->second, "config");
  if (config == nullptr || Str(*config, "materialized") != "ephemeral") return;
  if (const json::object* deps = Obj(*other->second, "depends_on")) {
    for (const std::string& d : StrList(*deps, "nodes")) UpstreamsOf(d, visited, out);
  }
}

std::vector<Urn> Mapper::Upstreams(const json::object& node) {
  std::vector<Urn> out;
  std::set<std::string> visited;
  current_ = &node;
  if (const json::object* deps = Obj(node, "depends_on")) {
    for (const std::string& d : StrList(*deps, "nodes")) UpstreamsOf(d, visited, out);
  }
  return out;
}

}  // namespace dbt_internal

absl::StatusOr<Mapping> MapDbtArtifacts(const DbtArtifacts& artifacts, const DbtOptions& options) {
  dbt_internal::Mapper mapper(artifacts, options);
  return mapper.Run();
}

}  // namespace tidemark::ingest
