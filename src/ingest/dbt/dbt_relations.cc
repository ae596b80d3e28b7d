// The aspects of one dbt relation and one exposure; see dbt_mapper.h for what maps to what.
#include <algorithm>

#include "ingest/dbt/dbt_aspects.h"
#include "ingest/dbt/internal/mapper.h"
#include "ingest/runs/naming.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest::dbt_internal {
namespace {

constexpr std::string_view kTermKeys[] = {"glossary_term", "glossary_terms", "term", "terms"};

// Glossary term names from a meta object (string, comma-separated string or list).
std::vector<std::string> TermsFromMeta(const json::object* meta) {
  std::vector<std::string> out;
  if (meta == nullptr) return out;
  for (std::string_view key : kTermKeys) {
    for (const std::string& value : StrList(*meta, key)) {
      size_t start = 0;
      while (start <= value.size()) {
        size_t comma = value.find(',', start);
        if (comma == std::string::npos) comma = value.size();
        std::string_view term = Trim(std::string_view(value).substr(start, comma - start));
        if (!term.empty()) out.emplace_back(term);
        start = comma + 1;
      }
    }
  }
  return out;
}

void AddTerms(const std::vector<std::string>& names, v1::GlossaryTerms& terms) {
  for (const std::string& name : names) {
    terms.add_terms()->set_urn(Cat("urn:li:glossaryTerm:", EscapeUrnComponent(name)));
  }
}

void AddTags(const std::vector<std::string>& names, v1::GlobalTags& tags) {
  for (const std::string& name : names) {
    tags.add_tags()->set_tag(Cat("urn:li:tag:", EscapeUrnComponent(name)));
  }
}

std::string SourceCodeType(std::string_view resource_type) {
  if (resource_type == "model") return "DBT_MODEL";
  if (resource_type == "seed") return "DBT_SEED";
  if (resource_type == "snapshot") return "DBT_SNAPSHOT";
  return "DBT_SOURCE";
}

}  // namespace

std::shared_ptr<v1::Ownership> Mapper::Owners(const json::object& node) {
  auto ownership = std::make_shared<v1::Ownership>();
  auto add = [&](const std::string& text, std::string source) {
    auto urn = OwnerUrn(text);
    if (!urn.ok()) return;
    v1::Owner* owner = ownership->add_owners();
    owner->set_owner(urn->ToString());
    owner->set_type(v1::TECHNICAL_OWNER);
    owner->set_source(std::move(source));
  };
  if (const json::object* meta = Obj(node, "meta")) {
    for (const std::string& o : StrList(*meta, "owner")) add(o, "dbt meta.owner");
    for (const std::string& o : StrList(*meta, "owners")) add(o, "dbt meta.owners");
  }
  if (auto g = group_owner_.find(Str(node, "group")); g != group_owner_.end()) {
    add(g->second, Cat("dbt group ", g->first));
  }
  return ownership->owners_size() > 0 ? ownership : nullptr;
}

void Mapper::MapRelation(const Relation& r) {
  const json::object& node = *r.node;
  const std::string type = r.is_source ? "source" : Str(node, "resource_type");
  const json::object* config = Obj(node, "config");
  const std::string materialized = config ? Str(*config, "materialized") : "";
  const json::object* meta = Obj(node, "meta");
  const json::object* catalog_entry = nullptr;
  if (const json::object* cat = r.is_source ? catalog_sources_ : catalog_nodes_) {
    catalog_entry = Obj(*cat, r.unique_id);
  }

  // datasetProperties
  auto props = std::make_shared<v1::DatasetProperties>();
  props->set_name(Str(node, r.is_source ? "identifier" : "alias"));
  if (props->name().empty()) props->set_name(Str(node, "name"));
  props->set_qualified_name(r.urn.DatasetName());
  props->set_description(Str(node, "description"));
  if (props->description().empty() && catalog_entry != nullptr) {
    if (const json::object* md = Obj(*catalog_entry, "metadata")) {
      props->set_description(Str(*md, "comment"));
    }
  }
  auto& custom = *props->mutable_custom_properties();
  custom["dbt.unique_id"] = r.unique_id;
  custom["dbt.resource_type"] = type;
  if (!materialized.empty()) custom["dbt.materialized"] = materialized;
  if (std::string p = Str(node, "package_name"); !p.empty()) custom["dbt.package"] = p;
  if (std::string l = Str(node, "loader"); !l.empty()) custom["dbt.loader"] = l;
  if (auto s = run_status_.find(r.unique_id); s != run_status_.end()) {
    custom["dbt.last_run_status"] = s->second;
  }
  if (meta != nullptr) {
    for (const auto& kv : *meta)
      custom[Cat("dbt.meta.", std::string(kv.key()))] = Scalar(kv.value());
  }
  if (auto extra = extra_props_.find(r.unique_id); extra != extra_props_.end()) {
    for (const auto& [k, v] : extra->second) custom[k] = v;
  }
  out_.Add(r.urn, "datasetProperties", props);

  // schemaMetadata: catalog.json order and types, manifest descriptions, tags and terms.
  struct Column {
    std::string name, type, description;
    int64_t index = 1 << 30;
    const json::object* manifest = nullptr;
  };
  std::map<std::string, Column> columns;  // lower-cased name → column
  std::vector<std::string> manifest_order;
  if (const json::object* cols = Obj(node, "columns")) {
    for (const auto& kv : *cols) {
      const json::object* c = kv.value().if_object();
      if (c == nullptr) continue;
      std::string name = Str(*c, "name");
      if (name.empty()) name = std::string(kv.key());
      Column& col = columns[Lower(name)];
      col.name = Lower(name);
      col.description = Str(*c, "description");
      col.type = Str(*c, "data_type");
      col.manifest = c;
      manifest_order.push_back(col.name);
    }
  }
  if (catalog_entry != nullptr) {
    if (const json::object* cols = Obj(*catalog_entry, "columns")) {
      for (const auto& kv : *cols) {
        const json::object* c = kv.value().if_object();
        if (c == nullptr) continue;
        std::string name = Str(*c, "name");
        if (name.empty()) name = std::string(kv.key());
        Column& col = columns[Lower(name)];
        col.name = Lower(name);
        if (std::string t = Str(*c, "type"); !t.empty()) col.type = t;
        if (const json::value* idx = Field(*c, "index"); idx && idx->is_int64()) {
          col.index = idx->as_int64();
        }
        if (col.description.empty()) col.description = Str(*c, "comment");
      }
    }
  }
  if (!columns.empty()) {
    std::vector<const Column*> ordered;
    for (const auto& [name, col] : columns) ordered.push_back(&col);
    auto manifest_pos = [&](const std::string& name) {
      return std::find(manifest_order.begin(), manifest_order.end(), name) - manifest_order.begin();
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const Column* a, const Column* b) {
      if (a->index != b->index) return a->index < b->index;
      return manifest_pos(a->name) < manifest_pos(b->name);
    });
    auto schema = std::make_shared<v1::SchemaMetadata>();
    schema->set_schema_name(Str(node, "name"));
    const auto& not_null = not_null_[r.unique_id];
    int ordinal = 0;
    for (const Column* col : ordered) {
      v1::SchemaField* f = schema->add_fields();
      f->set_field_path(col->name);
      f->set_native_data_type(col->type);
      f->set_type(FieldTypeFromNative(col->type));
      f->set_nullable(!not_null.contains(col->name));
      f->set_description(col->description);
      f->set_ordinal(ordinal++);
      if (col->manifest != nullptr) {
        AddTags(StrList(*col->manifest, "tags"), *f->mutable_global_tags());
        AddTerms(TermsFromMeta(Obj(*col->manifest, "meta")), *f->mutable_glossary_terms());
      }
    }
    out_.Add(r.urn, "schemaMetadata", schema);
  }

  if (auto ownership = Owners(node)) out_.Add(r.urn, "ownership", ownership);
  if (std::vector<std::string> tags = StrList(node, "tags"); !tags.empty()) {
    auto global = std::make_shared<v1::GlobalTags>();
    AddTags(tags, *global);
    out_.Add(r.urn, "globalTags", global);
  }
  if (std::vector<std::string> terms = TermsFromMeta(meta); !terms.empty()) {
    auto glossary = std::make_shared<v1::GlossaryTerms>();
    AddTerms(terms, *glossary);
    out_.Add(r.urn, "glossaryTerms", glossary);
  }
  if (std::string file = Str(node, "original_file_path"); !file.empty()) {
    auto code = std::make_shared<v1::SourceCode>();
    v1::SourceCodeLocation* loc = code->add_locations();
    loc->set_repository(!options_.repository.empty() ? options_.repository
                                                     : Str(node, "package_name"));
    loc->set_path(Cat(options_.path_prefix, file));
    loc->set_commit(options_.commit);
    loc->set_type(SourceCodeType(type));
    out_.Add(r.urn, "sourceCode", code);
  }
  if (!r.is_source) {
    auto lineage = std::make_shared<v1::UpstreamLineage>();
    for (const Urn& u : Upstreams(node)) {
      if (u == r.urn) continue;
      v1::Upstream* up = lineage->add_upstreams();
      up->set_dataset(u.ToString());
      up->set_type(materialized == "view" ? v1::VIEW : v1::TRANSFORMED);
    }
    for (v1::FineGrainedLineage& f : ColumnLineage(r)) {
      *lineage->add_fine_grained_lineages() = std::move(f);
    }
    if (lineage->upstreams_size() > 0 || lineage->fine_grained_lineages_size() > 0) {
      out_.Add(r.urn, "upstreamLineage", lineage);
    }
  }
  if (auto t = tests_.find(r.unique_id); t != tests_.end()) {
    auto assertions = std::make_shared<v1::DbtAssertions>();
    for (const v1::DbtAssertion& a : t->second) *assertions->add_assertions() = a;
    out_.Add(r.urn, kDbtAssertionsAspect, assertions);
  }
}

void Mapper::MapExposure(std::string_view id, const json::object& exposure) {
  const std::string name = Str(exposure, "name");
  auto urn = DashboardUrn("dbt", Cat(Str(exposure, "package_name"), ".", name));
  if (!urn.ok()) {
    out_.Error(Where(exposure, id), std::string(urn.status().message()));
    return;
  }
  auto info = std::make_shared<v1::DashboardInfo>();
  info->set_title(Str(exposure, "label").empty() ? name : Str(exposure, "label"));
  info->set_description(Str(exposure, "description"));
  info->set_external_url(Str(exposure, "url"));
  auto& custom = *info->mutable_custom_properties();
  custom["dbt.unique_id"] = std::string(id);
  if (std::string t = Str(exposure, "type"); !t.empty()) custom["dbt.exposure_type"] = t;
  if (std::string m = Str(exposure, "maturity"); !m.empty()) custom["dbt.maturity"] = m;
  if (std::string f = Str(exposure, "original_file_path"); !f.empty()) custom["dbt.file"] = f;
  out_.Add(*urn, "dashboardInfo", info);
  if (const json::object* owner = Obj(exposure, "owner")) {
    std::string who = Str(*owner, "email");
    if (who.empty()) who = Str(*owner, "name");
    if (auto owner_urn = OwnerUrn(who); owner_urn.ok()) {
      auto ownership = std::make_shared<v1::Ownership>();
      v1::Owner* o = ownership->add_owners();
      o->set_owner(owner_urn->ToString());
      o->set_type(v1::BUSINESS_OWNER);
      o->set_source("dbt exposure owner");
      out_.Add(*urn, "ownership", ownership);
    }
  }
  if (std::vector<std::string> tags = StrList(exposure, "tags"); !tags.empty()) {
    auto global = std::make_shared<v1::GlobalTags>();
    AddTags(tags, *global);
    out_.Add(*urn, "globalTags", global);
  }
  std::vector<Urn> upstreams = Upstreams(exposure);
  if (!upstreams.empty()) {
    auto lineage = std::make_shared<v1::UpstreamLineage>();
    for (const Urn& u : upstreams) {
      v1::Upstream* up = lineage->add_upstreams();
      up->set_dataset(u.ToString());
      up->set_type(v1::TRANSFORMED);
    }
    out_.Add(*urn, "upstreamLineage", lineage);
  }
}

}  // namespace tidemark::ingest::dbt_internal
