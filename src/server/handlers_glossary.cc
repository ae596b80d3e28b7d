// Glossary, assignment and classification handlers; see handlers_glossary.h.
#include "server/handlers_glossary.h"

#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/glossary_aspects.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;
using common::Urn;

Handler Wrap(std::function<absl::StatusOr<HttpResponse>(HttpRequest&)> body) {
  return [body = std::move(body)](HttpRequest& request) {
    absl::StatusOr<HttpResponse> response = body(request);
    return response.ok() ? std::move(response).value() : ErrorFromStatus(response.status());
  };
}

HttpResponse Json(int status, const json::value& v) {
  return JsonResponse(status, json::serialize(v));
}

absl::StatusOr<json::object> ParseObject(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return absl::InvalidArgumentError("request body must be a JSON object");
  return v.as_object();
}

absl::StatusOr<std::string> StringField(const json::object& o, std::string_view name,
                                        bool required = true) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (!required) return std::string();
    return absl::InvalidArgumentError(absl::StrCat("missing \"", std::string(name), "\""));
  }
  if (!v->is_string())
    return absl::InvalidArgumentError(absl::StrCat("\"", std::string(name), "\" must be a string"));
  return std::string(v->as_string());
}

absl::StatusOr<Urn> ParseUrn(std::string_view what, const std::string& text) {
  auto urn = Urn::Parse(text);
  if (!urn.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), ": ", urn.status().message()));
  return *std::move(urn);
}

absl::StatusOr<v1::AssignmentKind> ParseKind(const std::string& text) {
  v1::AssignmentKind kind;
  if (!v1::AssignmentKind_Parse(absl::AsciiStrToUpper(text), &kind) ||
      kind == v1::ASSIGNMENT_KIND_UNSPECIFIED)
    return absl::InvalidArgumentError("kind must be term, tag or class");
  return kind;
}

json::object AssignmentJson(const v1::Assignment& a) {
  json::object o{{"kind", glossary::KindName(a.kind())},
                 {"value", a.value()},
                 {"actor", a.actor()},
                 {"timeMicros", a.time_micros()},
                 {"source", absl::AsciiStrToLower(v1::SourceKind_Name(a.source()))},
                 {"automated", a.automated()}};
  if (a.kind() == v1::CLASS) {
    o["confidence"] = std::round(a.confidence() * 100.0) / 100.0;
    o["matched"] = a.matched();
    o["sampled"] = a.sampled();
    o["review"] = glossary::ReviewStateName(a.review());
  }
  return o;
}

absl::StatusOr<HttpResponse> Import(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(size_t writes, g.Import(request.body, origin));
  return Json(200, json::object{{"writes", writes}});
}

absl::StatusOr<HttpResponse> Export(glossary::GlossaryService& g, HttpRequest&) {
  ASSIGN_OR_RETURN(std::string yaml, g.Export());
  HttpResponse response;
  response.content_type = "application/yaml";
  response.body = std::move(yaml);
  return response;
}

json::object TreeJson(const glossary::TreeNode& node) {
  json::object o;
  if (!node.urn.empty()) {
    o["urn"] = node.urn;
    o["name"] = node.name;
  }
  json::array nodes, terms;
  for (const auto& child : node.nodes) nodes.push_back(TreeJson(child));
  for (const auto& [urn, name] : node.terms)
    terms.push_back(json::object{{"urn", urn}, {"name", name}});
  o["nodes"] = std::move(nodes);
  o["terms"] = std::move(terms);
  return o;
}

absl::StatusOr<HttpResponse> Tree(glossary::GlossaryService& g, HttpRequest&) {
  ASSIGN_OR_RETURN(glossary::TreeNode root, g.Tree());
  return Json(200, TreeJson(root));
}

absl::StatusOr<HttpResponse> Resolve(glossary::GlossaryService& g, HttpRequest& request) {
  std::string q = request.Query("q");
  if (q.empty()) return absl::InvalidArgumentError("q is required");
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 10, 1, 100));
  ASSIGN_OR_RETURN(auto terms, g.Resolve(q, static_cast<int>(limit)));
  json::array out;
  for (const auto& t : terms) {
    json::array datasets, columns;
    for (const auto& c : t.carriers) {
      json::object o{{"urn", c.urn}, {"via", c.how}};
      if (c.field.empty()) {
        datasets.push_back(std::move(o));
      } else {
        o["dataset"] = c.dataset;
        o["field"] = c.field;
        columns.push_back(std::move(o));
      }
    }
    out.push_back(json::object{{"term", t.match.term},
                               {"name", t.match.name},
                               {"definition", t.definition},
                               {"status", t.status},
                               {"score", std::round(t.match.score * 1000.0) / 1000.0},
                               {"matchedOn", t.match.matched_on},
                               {"matchedText", t.match.matched_text},
                               {"datasets", std::move(datasets)},
                               {"columns", std::move(columns)}});
  }
  return Json(200, json::object{{"query", q}, {"terms", std::move(out)}});
}

absl::StatusOr<HttpResponse> Assign(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ParseObject(request.body));
  ASSIGN_OR_RETURN(std::string target_text, StringField(body, "target"));
  ASSIGN_OR_RETURN(Urn target, ParseUrn("target", target_text));
  ASSIGN_OR_RETURN(std::string kind_text, StringField(body, "kind"));
  ASSIGN_OR_RETURN(v1::AssignmentKind kind, ParseKind(kind_text));
  ASSIGN_OR_RETURN(std::string value, StringField(body, "value"));
  ASSIGN_OR_RETURN(glossary::AssignOutcome outcome,
                   g.assignments().Assign(target, kind, value, origin));
  RETURN_IF_ERROR(g.propagator().CatchUp().status());
  return Json(outcome == glossary::AssignOutcome::kApplied ? 201 : 200,
              json::object{{"target", target.ToString()},
                           {"outcome", std::string(glossary::OutcomeName(outcome))}});
}

absl::StatusOr<HttpResponse> Unassign(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(Urn target, ParseUrn("target", request.Query("target")));
  ASSIGN_OR_RETURN(v1::AssignmentKind kind, ParseKind(request.Query("kind")));
  std::string value = request.Query("value");
  if (value.empty()) return absl::InvalidArgumentError("value is required");
  RETURN_IF_ERROR(g.assignments().Unassign(target, kind, value, origin));
  RETURN_IF_ERROR(g.propagator().CatchUp().status());
  return Json(200, json::object{{"target", target.ToString()}, {"outcome", "removed"}});
}

absl::StatusOr<json::object> AssignmentsJson(glossary::GlossaryService& g, const Urn& target) {
  ASSIGN_OR_RETURN(auto split, glossary::SplitTarget(target));
  const auto& [dataset, path] = split;
  const bool whole = target.entity_type() == "dataset";
  json::object out{{"urn", target.ToString()}, {"dataset", dataset.ToString()}};
  json::object direct, propagated;  // field path → list ("" = the dataset)
  json::array removed;
  auto fa = g.catalog().GetAspect(dataset, glossary::kFieldAssignmentsAspect);
  std::string review = "none";
  if (fa.ok()) {
    const auto& value = static_cast<const v1::FieldAssignments&>(*fa->value);
    review = glossary::ReviewStateName(value.review());
    for (const auto& f : value.fields()) {
      if (!whole && f.field_path() != path) continue;
      json::array list;
      for (const auto& a : f.assignments()) list.push_back(AssignmentJson(a));
      if (!list.empty()) direct[f.field_path()] = std::move(list);
      for (const auto& r : f.removed())
        removed.push_back(json::object{{"field", f.field_path()},
                                       {"kind", glossary::KindName(r.kind())},
                                       {"value", r.value()},
                                       {"actor", r.actor()},
                                       {"timeMicros", r.time_micros()}});
    }
  } else if (fa.status().code() != absl::StatusCode::kNotFound) {
    return fa.status();
  }
  auto pa = g.catalog().GetAspect(dataset, glossary::kPropagatedAspect);
  if (pa.ok()) {
    for (const auto& f : static_cast<const v1::PropagatedAssignments&>(*pa->value).fields()) {
      if (!whole && f.field_path() != path) continue;
      json::array list;
      for (const auto& a : f.assignments()) {
        json::array steps;
        for (const auto& s : a.path()) steps.push_back(json::string(s));
        list.push_back(json::object{{"kind", glossary::KindName(a.kind())},
                                    {"value", a.value()},
                                    {"origin", a.origin()},
                                    {"path", std::move(steps)}});
      }
      propagated[f.field_path()] = std::move(list);
    }
  }
  if (whole) {
    out["direct"] = std::move(direct);
    out["propagated"] = std::move(propagated);
  } else {
    out["field"] = path;
    out["direct"] = direct.contains(path) ? direct[path] : json::array();
    out["propagated"] = propagated.contains(path) ? propagated[path] : json::array();
  }
  out["removed"] = std::move(removed);
  out["reviewState"] = review;
  return out;
}

absl::StatusOr<HttpResponse> GetAssignments(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn target, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(json::object out, AssignmentsJson(g, target));
  return Json(200, out);
}

absl::StatusOr<HttpResponse> Classify(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ParseObject(request.body));
  ASSIGN_OR_RETURN(std::string dataset_text, StringField(body, "dataset"));
  ASSIGN_OR_RETURN(Urn dataset, ParseUrn("dataset", dataset_text));
  const json::value* columns = body.if_contains("columns");
  if (columns == nullptr || !columns->is_object())
    return absl::InvalidArgumentError("\"columns\" must be an object of column → [values]");
  std::map<std::string, std::vector<std::string>> samples;
  for (const auto& [name, values] : columns->as_object()) {
    if (!values.is_array())
      return absl::InvalidArgumentError(
          absl::StrCat("columns.", std::string(name), " must be an array"));
    auto& list = samples[std::string(name)];
    for (const auto& v : values.as_array()) {
      // Numbers are classified by their text (card numbers often arrive as numbers).
      if (v.is_string()) {
        list.emplace_back(v.as_string());
      } else if (v.is_int64()) {
        list.push_back(std::to_string(v.as_int64()));
      } else if (v.is_uint64()) {
        list.push_back(std::to_string(v.as_uint64()));
      } else if (!v.is_null()) {
        list.push_back(json::serialize(v));
      }
    }
  }
  ASSIGN_OR_RETURN(auto results, g.assignments().Classify(dataset, samples, origin));
  RETURN_IF_ERROR(g.propagator().CatchUp().status());
  json::object out_columns;
  for (const auto& c : results) {
    json::array list;
    for (size_t i = 0; i < c.results.size(); ++i) {
      const auto& r = c.results[i];
      list.push_back(json::object{{"class", r.cls},
                                  {"confidence", r.confidence},
                                  {"matched", r.matched},
                                  {"sampled", r.sampled},
                                  {"status", c.outcomes[i]}});
    }
    out_columns[c.column] = std::move(list);
  }
  std::string review = "none";
  auto fa = g.catalog().GetAspect(dataset, glossary::kFieldAssignmentsAspect);
  if (fa.ok())
    review =
        glossary::ReviewStateName(static_cast<const v1::FieldAssignments&>(*fa->value).review());
  return Json(200, json::object{{"dataset", dataset.ToString()},
                                {"reviewState", review},
                                {"columns", std::move(out_columns)}});
}

absl::StatusOr<HttpResponse> ListReview(glossary::GlossaryService& g, HttpRequest& request) {
  std::string state = request.Query("state", "pending_review");
  if (state != "pending_review" && state != "accepted")
    return absl::InvalidArgumentError("state must be pending_review or accepted");
  ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 50, 1, 1000));
  ASSIGN_OR_RETURN(auto urns, g.assignments().ListByReviewState(state, request.Query("cursor"),
                                                                static_cast<int>(limit)));
  json::array items;
  for (const auto& u : urns) items.push_back(json::string(u));
  json::object out{{"state", state}, {"datasets", std::move(items)}};
  if (static_cast<int64_t>(urns.size()) == limit) out["nextCursor"] = urns.back();
  return Json(200, out);
}

absl::StatusOr<HttpResponse> Review(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ParseObject(request.body));
  ASSIGN_OR_RETURN(std::string dataset_text, StringField(body, "dataset"));
  ASSIGN_OR_RETURN(Urn dataset, ParseUrn("dataset", dataset_text));
  ASSIGN_OR_RETURN(std::string field, StringField(body, "field", false));
  ASSIGN_OR_RETURN(std::string cls, StringField(body, "class"));
  ASSIGN_OR_RETURN(std::string decision, StringField(body, "decision"));
  if (decision != "accept" && decision != "reject")
    return absl::InvalidArgumentError("decision must be accept or reject");
  RETURN_IF_ERROR(g.assignments().Review(dataset, field, absl::AsciiStrToUpper(cls),
                                         decision == "accept", origin));
  RETURN_IF_ERROR(g.propagator().CatchUp().status());
  return Json(200, json::object{{"dataset", dataset.ToString()}, {"decision", decision}});
}

absl::StatusOr<HttpResponse> RunPropagation(glossary::GlossaryService& g, HttpRequest&) {
  ASSIGN_OR_RETURN(glossary::RecomputeStats stats, g.propagator().CatchUp());
  return Json(200, json::object{{"affectedFields", stats.affected_fields},
                                {"writtenDatasets", stats.written_datasets}});
}

}  // namespace

absl::StatusOr<std::string> GlossaryAssignmentsJson(glossary::GlossaryService& glossary,
                                                    const common::Urn& target) {
  ASSIGN_OR_RETURN(json::object out, AssignmentsJson(glossary, target));
  return json::serialize(out);
}

void AddGlossaryRoutes(Router& router, glossary::GlossaryService& glossary) {
  auto* g = &glossary;
  auto bind = [g](absl::StatusOr<HttpResponse> (*fn)(glossary::GlossaryService&, HttpRequest&)) {
    return Wrap([g, fn](HttpRequest& r) { return fn(*g, r); });
  };
  router.Add({"POST",
              "/api/v1/glossary:import",
              "Import a DataHub business_glossary.yml (nodes, terms, relations, owners)",
              {},
              "business_glossary.yml text",
              bind(Import)});
  router.Add({"GET",
              "/api/v1/glossary:export",
              "Export the glossary as business_glossary.yml",
              {},
              "",
              bind(Export)});
  router.Add({"GET",
              "/api/v1/glossary/tree",
              "Glossary nodes and terms as a hierarchy",
              {},
              "",
              bind(Tree)});
  router.Add({"GET",
              "/api/v1/glossary/resolve",
              "Find terms by name or synonym (case- and plural-insensitive, ranked) with the "
              "datasets and columns that carry them",
              {{"q", "query", "Phrase, e.g. billable usage", true},
               {"limit", "query", "Maximum terms (default 10)", false, "integer"}},
              "",
              bind(Resolve)});
  router.Add({"POST",
              "/api/v1/glossary/assignments",
              "Assign a term, tag or class to a dataset or column",
              {},
              "{\"target\": URN, \"kind\": \"term|tag|class\", \"value\": URN or class}",
              bind(Assign)});
  router.Add({"DELETE",
              "/api/v1/glossary/assignments",
              "Remove an assignment; a person's removal is remembered against automation",
              {{"target", "query", "Dataset or schemaField URN", true},
               {"kind", "query", "term, tag or class", true},
               {"value", "query", "Term/tag URN or class", true}},
              "",
              bind(Unassign)});
  router.Add({"GET",
              "/api/v1/glossary/assignments/{urn}",
              "Direct and propagated assignments of a dataset or column, apart",
              {{"urn", "path", "Dataset or schemaField URN", true}},
              "",
              bind(GetAssignments)});
  router.Add({"POST",
              "/api/v1/classify",
              "Classify sample values of a dataset's columns (PII, secrets); proposals await "
              "review",
              {},
              "{\"dataset\": URN, \"columns\": {\"column\": [\"value\", ...]}}",
              bind(Classify)});
  router.Add({"GET",
              "/api/v1/glossary/review",
              "Datasets by classification review state",
              {{"state", "query", "pending_review (default) or accepted", false},
               {"limit", "query", "Page size (default 50)", false, "integer"},
               {"cursor", "query", "nextCursor of the previous page", false}},
              "",
              bind(ListReview)});
  router.Add({"POST",
              "/api/v1/glossary/review",
              "Accept or reject a proposed class of a column",
              {},
              "{\"dataset\": URN, \"field\": path, \"class\": C, \"decision\": \"accept|reject\"}",
              bind(Review)});
  router.Add({"POST",
              "/api/v1/glossary/propagation:run",
              "Propagate classes and terms along column lineage for changes since the last run",
              {},
              "",
              bind(RunPropagation)});
}

}  // namespace tidemark::server
