// business_glossary.yml import and export; see glossary_yaml.h. yaml-cpp exceptions stop here.
#include "glossary/glossary_yaml.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::glossary {
namespace {

namespace pb = google::protobuf;
using common::Urn;

struct Defaults {
  YAML::Node owners;
  std::string source;
  std::string url;
};

class Importer {
 public:
  explicit Importer(const catalog::AspectRegistry& registry) : registry_(registry) {}

  absl::Status Add(const Urn& urn, std::string aspect, std::unique_ptr<pb::Message> value) {
    ASSIGN_OR_RETURN(const catalog::AspectSpec* spec, registry_.Check(urn, aspect));
    if (spec->normalize) {
      absl::Status s = spec->normalize(urn, *value);
      if (!s.ok())
        return absl::InvalidArgumentError(absl::StrCat(urn.ToString(), ": ", s.message()));
    }
    writes_.push_back({urn, std::move(aspect), std::move(value)});
    return absl::OkStatus();
  }

  absl::Status Owners(const Urn& urn, const YAML::Node& own) {
    const YAML::Node& owners = own ? own : defaults_.owners;
    if (!owners || !owners.IsMap()) return absl::OkStatus();
    auto ownership = std::make_unique<v1::Ownership>();
    v1::OwnershipType type = v1::TECHNICAL_OWNER;
    if (owners["type"]) {
      std::string t = absl::AsciiStrToUpper(owners["type"].as<std::string>());
      if (t != "DEVELOPER" && !v1::OwnershipType_Parse(t, &type))
        return absl::InvalidArgumentError(absl::StrCat("unknown owner type ", t));
    }
    for (const auto& [key, make] :
         {std::pair{"users", &Urn::CorpUser}, std::pair{"groups", &Urn::CorpGroup}}) {
      for (const auto& o : owners[key]) {
        auto* owner = ownership->add_owners();
        std::string name = o.as<std::string>();
        owner->set_owner(absl::StartsWith(name, "urn:li:") ? name : make(name).ToString());
        owner->set_type(type);
      }
    }
    if (ownership->owners().empty()) return absl::OkStatus();
    return Add(urn, "ownership", std::move(ownership));
  }

  static void Links(const YAML::Node& node, pb::RepeatedPtrField<v1::KnowledgeLink>* out) {
    for (const auto& l : node["knowledge_links"]) {
      auto* link = out->Add();
      if (l["url"]) link->set_url(l["url"].as<std::string>());
      if (l["label"]) link->set_label(l["label"].as<std::string>());
    }
  }

  static void Properties(const YAML::Node& node, pb::Map<std::string, std::string>* out) {
    for (const auto& p : node["custom_properties"])
      (*out)[p.first.as<std::string>()] = p.second.as<std::string>();
  }

  static std::string Str(const YAML::Node& node, const char* key) {
    return node[key] ? node[key].as<std::string>() : "";
  }

  static std::string Required(const YAML::Node& node, const char* what) {
    if (!node["name"] || node["name"].as<std::string>().empty())
      throw YAML::ParserException(node.Mark(), absl::StrCat(what, " without a name"));
    return node["name"].as<std::string>();
  }

  static Urn IdUrn(const char* type, const YAML::Node& node, const std::vector<std::string>& path) {
    std::string id = Str(node, "id");
    if (id.empty()) return Urn::Simple(type, absl::StrJoin(path, "."));
    if (absl::StartsWith(id, "urn:li:")) {
      auto parsed = Urn::Parse(id);
      if (parsed.ok()) return *parsed;
    }
    return Urn::Simple(type, id);
  }

  absl::Status Term(const YAML::Node& node, std::vector<std::string> path, const Urn* parent) {
    std::string name = Required(node, "term");
    path.push_back(name);
    Urn urn = IdUrn("glossaryTerm", node, path);
    auto info = std::make_unique<v1::GlossaryTermInfo>();
    info->set_name(name);
    info->set_definition(Str(node, "description"));
    if (parent) info->set_parent_node(parent->ToString());
    info->set_term_source(node["term_source"] ? Str(node, "term_source") : "INTERNAL");
    info->set_source_ref(node["source_ref"] ? Str(node, "source_ref") : defaults_.source);
    info->set_source_url(node["source_url"] ? Str(node, "source_url") : defaults_.url);
    Properties(node, info->mutable_custom_properties());
    for (const auto& s : node["synonyms"]) info->add_synonyms(s.as<std::string>());
    if (node["status"]) {
      v1::TermStatus status;
      if (!v1::TermStatus_Parse(absl::AsciiStrToUpper(Str(node, "status")), &status))
        return absl::InvalidArgumentError(absl::StrCat(urn.ToString(), ": unknown status"));
      info->set_status(status);
    }
    Links(node, info->mutable_knowledge_links());
    RETURN_IF_ERROR(Add(urn, kTermInfoAspect, std::move(info)));
    auto related = std::make_unique<v1::GlossaryRelatedTerms>();
    for (const auto& [key, list] : {std::pair{"inherits", related->mutable_is_related_terms()},
                                    {"contains", related->mutable_has_related_terms()},
                                    {"values", related->mutable_values()},
                                    {"related_terms", related->mutable_related_terms()},
                                    {"replaced_by", related->mutable_replaced_by()}}) {
      for (const auto& r : node[key]) {
        std::string ref = r.as<std::string>();
        *list->Add() =
            absl::StartsWith(ref, "urn:li:") ? ref : Urn::Simple("glossaryTerm", ref).ToString();
      }
    }
    if (related->ByteSizeLong() > 0)
      RETURN_IF_ERROR(Add(urn, kRelatedTermsAspect, std::move(related)));
    RETURN_IF_ERROR(Owners(urn, node["owners"]));
    if (node["domain"]) {
      std::string d = Str(node, "domain");
      auto domains = std::make_unique<v1::Domains>();
      domains->add_domains(absl::StartsWith(d, "urn:li:") ? d
                                                          : Urn::Simple("domain", d).ToString());
      RETURN_IF_ERROR(Add(urn, "domains", std::move(domains)));
    }
    return absl::OkStatus();
  }

  absl::Status Node(const YAML::Node& node, std::vector<std::string> path, const Urn* parent) {
    std::string name = Required(node, "node");
    path.push_back(name);
    Urn urn = IdUrn("glossaryNode", node, path);
    auto info = std::make_unique<v1::GlossaryNodeInfo>();
    info->set_name(name);
    info->set_definition(Str(node, "description"));
    if (parent) info->set_parent_node(parent->ToString());
    Properties(node, info->mutable_custom_properties());
    Links(node, info->mutable_knowledge_links());
    RETURN_IF_ERROR(Add(urn, kNodeInfoAspect, std::move(info)));
    RETURN_IF_ERROR(Owners(urn, node["owners"]));
    for (const auto& t : node["terms"]) RETURN_IF_ERROR(Term(t, path, &urn));
    for (const auto& n : node["nodes"]) RETURN_IF_ERROR(Node(n, path, &urn));
    return absl::OkStatus();
  }

  absl::Status Document(const YAML::Node& root) {
    if (!root.IsMap()) return absl::InvalidArgumentError("glossary YAML must be a mapping");
    if (root["owners"]) defaults_.owners = root["owners"];
    defaults_.source = Str(root, "source");
    defaults_.url = Str(root, "url");
    for (const auto& n : root["nodes"]) RETURN_IF_ERROR(Node(n, {}, nullptr));
    for (const auto& t : root["terms"]) RETURN_IF_ERROR(Term(t, {}, nullptr));
    return absl::OkStatus();
  }

  std::vector<catalog::AspectWrite> Take() { return std::move(writes_); }

 private:
  const catalog::AspectRegistry& registry_;
  Defaults defaults_;
  std::vector<catalog::AspectWrite> writes_;
};

// --- export ---

template <typename T>
std::shared_ptr<const T> Latest(const catalog::CatalogService& catalog, const Urn& urn,
                                std::string_view aspect) {
  auto a = catalog.GetAspect(urn, aspect);
  if (!a.ok()) return nullptr;
  return std::static_pointer_cast<const T>(a->value);
}

absl::StatusOr<std::vector<Urn>> AllOfType(const catalog::CatalogService& catalog,
                                           const std::string& type) {
  std::vector<Urn> out;
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(auto page, catalog.ScanIndex("type", type, after, 1000));
    for (const auto& text : page) {
      ASSIGN_OR_RETURN(Urn urn, Urn::Parse(text));
      ASSIGN_OR_RETURN(bool removed, catalog.IsRemoved(urn));
      if (!removed) out.push_back(std::move(urn));
    }
    if (page.size() < 1000) break;
    after = page.back();
  }
  return out;
}

class Exporter {
 public:
  explicit Exporter(const catalog::CatalogService& catalog) : catalog_(catalog) {}

  absl::StatusOr<std::string> Run() {
    ASSIGN_OR_RETURN(std::vector<Urn> nodes, AllOfType(catalog_, "glossaryNode"));
    ASSIGN_OR_RETURN(std::vector<Urn> terms, AllOfType(catalog_, "glossaryTerm"));
    std::set<std::string> live;
    for (const Urn& n : nodes) {
      auto info = Latest<v1::GlossaryNodeInfo>(catalog_, n, kNodeInfoAspect);
      if (!info) continue;
      node_info_[n.ToString()] = info;
      live.insert(n.ToString());
    }
    auto parent_of = [&](const std::string& p) { return live.contains(p) ? p : std::string(); };
    for (const auto& [urn, info] : node_info_)
      child_nodes_[parent_of(info->parent_node())].emplace(info->name(), urn);
    for (const Urn& t : terms) {
      auto info = Latest<v1::GlossaryTermInfo>(catalog_, t, kTermInfoAspect);
      if (!info) continue;
      term_info_[t.ToString()] = info;
      child_terms_[parent_of(info->parent_node())].emplace(info->name(), t.ToString());
    }
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "version" << YAML::Value << "1";
    out << YAML::Key << "source" << YAML::Value << "tidemark";
    out << YAML::Key << "owners" << YAML::Value << YAML::BeginMap << YAML::Key << "users"
        << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::EndSeq << YAML::EndMap;
    EmitChildren(out, "", {});
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
  }

 private:
  static std::string IdOf(const std::string& urn) { return Urn::Parse(urn)->components().front(); }

  void EmitId(YAML::Emitter& out, const std::string& urn, const std::vector<std::string>& path) {
    if (IdOf(urn) != absl::StrJoin(path, ".")) out << YAML::Key << "id" << YAML::Value << IdOf(urn);
  }

  void EmitOwners(YAML::Emitter& out, const std::string& urn) {
    auto ownership = Latest<v1::Ownership>(catalog_, *Urn::Parse(urn), "ownership");
    if (!ownership || ownership->owners().empty()) return;
    std::vector<std::string> users, groups;
    v1::OwnershipType type = ownership->owners(0).type();
    for (const auto& o : ownership->owners()) {
      auto u = Urn::Parse(o.owner());
      (u->entity_type() == "corpGroup" ? groups : users).push_back(u->components().front());
    }
    out << YAML::Key << "owners" << YAML::Value << YAML::BeginMap;
    if (type != v1::TECHNICAL_OWNER)
      out << YAML::Key << "type" << YAML::Value << v1::OwnershipType_Name(type);
    if (!users.empty()) out << YAML::Key << "users" << YAML::Value << users;
    if (!groups.empty()) out << YAML::Key << "groups" << YAML::Value << groups;
    out << YAML::EndMap;
  }

  template <typename Info>
  static void EmitCommon(YAML::Emitter& out, const Info& info) {
    if (!info.custom_properties().empty()) {
      std::map<std::string, std::string> sorted(info.custom_properties().begin(),
                                                info.custom_properties().end());
      out << YAML::Key << "custom_properties" << YAML::Value << YAML::BeginMap;
      for (const auto& [k, v] : sorted)
        out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
      out << YAML::EndMap;
    }
    if (!info.knowledge_links().empty()) {
      out << YAML::Key << "knowledge_links" << YAML::Value << YAML::BeginSeq;
      for (const auto& l : info.knowledge_links()) {
        out << YAML::BeginMap << YAML::Key << "url" << YAML::Value << l.url();
        if (!l.label().empty()) out << YAML::Key << "label" << YAML::Value << l.label();
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
  }

  void EmitTerm(YAML::Emitter& out, const std::string& urn, std::vector<std::string> path) {
    const v1::GlossaryTermInfo& info = *term_info_.at(urn);
    path.push_back(info.name());
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << info.name();
    EmitId(out, urn, path);
    out << YAML::Key << "description" << YAML::Value << info.definition();
    out << YAML::Key << "term_source" << YAML::Value << info.term_source();
    out << YAML::Key << "source_ref" << YAML::Value << YAML::DoubleQuoted << info.source_ref();
    out << YAML::Key << "source_url" << YAML::Value << YAML::DoubleQuoted << info.source_url();
    if (!info.synonyms().empty())
      out << YAML::Key << "synonyms" << YAML::Value
          << std::vector<std::string>(info.synonyms().begin(), info.synonyms().end());
    if (info.status() != v1::TERM_STATUS_UNSPECIFIED)
      out << YAML::Key << "status" << YAML::Value << v1::TermStatus_Name(info.status());
    if (auto r =
            Latest<v1::GlossaryRelatedTerms>(catalog_, *Urn::Parse(urn), kRelatedTermsAspect)) {
      for (const auto& [key, list] : {std::pair{"inherits", &r->is_related_terms()},
                                      {"contains", &r->has_related_terms()},
                                      {"values", &r->values()},
                                      {"related_terms", &r->related_terms()},
                                      {"replaced_by", &r->replaced_by()}}) {
        if (list->empty()) continue;
        out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
        for (const auto& t : *list) out << IdOf(t);
        out << YAML::EndSeq;
      }
    }
    if (auto d = Latest<v1::Domains>(catalog_, *Urn::Parse(urn), "domains");
        d && !d->domains().empty())
      out << YAML::Key << "domain" << YAML::Value << d->domains(0);
    EmitOwners(out, urn);
    EmitCommon(out, info);
    out << YAML::EndMap;
  }

  void EmitChildren(YAML::Emitter& out, const std::string& parent,
                    const std::vector<std::string>& path) {
    if (auto it = child_nodes_.find(parent); it != child_nodes_.end()) {
      out << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
      for (const auto& [name, urn] : it->second) {
        const v1::GlossaryNodeInfo& info = *node_info_.at(urn);
        std::vector<std::string> child_path = path;
        child_path.push_back(info.name());
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << info.name();
        EmitId(out, urn, child_path);
        out << YAML::Key << "description" << YAML::Value << info.definition();
        EmitOwners(out, urn);
        EmitCommon(out, info);
        EmitChildren(out, urn, child_path);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    if (auto it = child_terms_.find(parent); it != child_terms_.end()) {
      out << YAML::Key << "terms" << YAML::Value << YAML::BeginSeq;
      for (const auto& [name, urn] : it->second) EmitTerm(out, urn, path);
      out << YAML::EndSeq;
    }
  }

  const catalog::CatalogService& catalog_;
  std::map<std::string, std::shared_ptr<const v1::GlossaryNodeInfo>> node_info_;
  std::map<std::string, std::shared_ptr<const v1::GlossaryTermInfo>> term_info_;
  std::map<std::string, std::multimap<std::string, std::string>> child_nodes_, child_terms_;
};

}  // namespace

absl::StatusOr<std::vector<catalog::AspectWrite>> ParseGlossaryYaml(
    const catalog::AspectRegistry& registry, std::string_view yaml) {
  Importer importer(registry);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    RETURN_IF_ERROR(importer.Document(root));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("glossary YAML: ", e.what()));
  }
  return importer.Take();
}

absl::StatusOr<std::string> ExportGlossaryYaml(const catalog::CatalogService& catalog) {
  try {
    return Exporter(catalog).Run();
  } catch (const YAML::Exception& e) {
    return absl::InternalError(absl::StrCat("glossary export: ", e.what()));
  }
}

}  // namespace tidemark::glossary
