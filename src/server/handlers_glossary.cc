// Glossary, assignment and classification handlers; see handlers_glossary.h.
#include "server/handlers_glossary.h"

#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "query/assignment_view.h"
#include "server/handlers_entities.h"

namespace tidemark::server {
namespace {

namespace json = boost::json;
using common::Urn;

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

absl::StatusOr<HttpResponse> Import(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(size_t writes, g.Import(request.body, origin));
  return JsonValueResponse(200, json::object{{"writes", writes}});
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
  return JsonValueResponse(200, TreeJson(root));
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
  return JsonValueResponse(200, json::object{{"query", q}, {"terms", std::move(out)}});
}

absl::StatusOr<HttpResponse> Assign(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
  ASSIGN_OR_RETURN(std::string target_text, StringField(body, "target"));
  ASSIGN_OR_RETURN(Urn target, ParseUrn("target", target_text));
  ASSIGN_OR_RETURN(std::string kind_text, StringField(body, "kind"));
  ASSIGN_OR_RETURN(v1::AssignmentKind kind, ParseKind(kind_text));
  ASSIGN_OR_RETURN(std::string value, StringField(body, "value"));
  ASSIGN_OR_RETURN(glossary::AssignOutcome outcome,
                   g.AssignAndPropagate(target, kind, value, origin));
  return JsonValueResponse(outcome == glossary::AssignOutcome::kApplied ? 201 : 200,
                           json::object{{"target", target.ToString()},
                                        {"outcome", std::string(glossary::OutcomeName(outcome))}});
}

absl::StatusOr<HttpResponse> Unassign(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(Urn target, ParseUrn("target", request.Query("target")));
  ASSIGN_OR_RETURN(v1::AssignmentKind kind, ParseKind(request.Query("kind")));
  std::string value = request.Query("value");
  if (value.empty()) return absl::InvalidArgumentError("value is required");
  RETURN_IF_ERROR(g.UnassignAndPropagate(target, kind, value, origin));
  return JsonValueResponse(200,
                           json::object{{"target", target.ToString()}, {"outcome", "removed"}});
}

absl::StatusOr<HttpResponse> GetAssignments(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(Urn target, UrnParam(request, "urn"));
  ASSIGN_OR_RETURN(json::object out, query::AssignmentsView(g.catalog(), target));
  return JsonValueResponse(200, out);
}

// The sample values of a classify body: {"column": [values]}. Numbers are classified by their text
// (card numbers often arrive as numbers); nulls are skipped.
absl::StatusOr<std::map<std::string, std::vector<std::string>>> SamplesOf(
    const json::object& body) {
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
  return samples;
}

json::object ClassifyJson(const glossary::ClassifyOutcome& outcome) {
  json::object columns;
  for (const auto& c : outcome.columns) {
    json::array list;
    for (size_t i = 0; i < c.results.size(); ++i) {
      const auto& r = c.results[i];
      list.push_back(json::object{{"class", r.cls},
                                  {"confidence", r.confidence},
                                  {"matched", r.matched},
                                  {"sampled", r.sampled},
                                  {"status", c.outcomes[i]}});
    }
    columns[c.column] = std::move(list);
  }
  return columns;
}

absl::StatusOr<HttpResponse> Classify(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
  ASSIGN_OR_RETURN(std::string dataset_text, StringField(body, "dataset"));
  ASSIGN_OR_RETURN(Urn dataset, ParseUrn("dataset", dataset_text));
  ASSIGN_OR_RETURN(auto samples, SamplesOf(body));
  ASSIGN_OR_RETURN(glossary::ClassifyOutcome outcome,
                   g.ClassifyAndPropagate(dataset, samples, origin));
  return JsonValueResponse(200, json::object{{"dataset", dataset.ToString()},
                                             {"reviewState", outcome.review_state},
                                             {"columns", ClassifyJson(outcome)}});
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
  return JsonValueResponse(200, out);
}

absl::StatusOr<HttpResponse> Review(glossary::GlossaryService& g, HttpRequest& request) {
  ASSIGN_OR_RETURN(catalog::WriteOrigin origin, OriginOf(request));
  ASSIGN_OR_RETURN(json::object body, ReadJsonObject(request));
  ASSIGN_OR_RETURN(std::string dataset_text, StringField(body, "dataset"));
  ASSIGN_OR_RETURN(Urn dataset, ParseUrn("dataset", dataset_text));
  ASSIGN_OR_RETURN(std::string field, StringField(body, "field", false));
  ASSIGN_OR_RETURN(std::string cls, StringField(body, "class"));
  ASSIGN_OR_RETURN(std::string decision, StringField(body, "decision"));
  if (decision != "accept" && decision != "reject")
    return absl::InvalidArgumentError("decision must be accept or reject");
  RETURN_IF_ERROR(g.ReviewAndPropagate(dataset, field, absl::AsciiStrToUpper(cls),
                                       decision == "accept", origin));
  return JsonValueResponse(200,
                           json::object{{"dataset", dataset.ToString()}, {"decision", decision}});
}

absl::StatusOr<HttpResponse> RunPropagation(glossary::GlossaryService& g, HttpRequest&) {
  ASSIGN_OR_RETURN(glossary::RecomputeStats stats, g.propagator().CatchUp());
  return JsonValueResponse(200, json::object{{"affectedFields", stats.affected_fields},
                                             {"writtenDatasets", stats.written_datasets}});
}

}  // namespace

void AddGlossaryRoutes(Router& router, glossary::GlossaryService& glossary) {
  // Binds the service to a named handler; nothing else happens in a registration.
  auto bind = [g = &glossary](absl::StatusOr<HttpResponse> (*fn)(glossary::GlossaryService&,
                                                                 HttpRequest&)) -> Handler {
    return [g, fn](HttpRequest& r) { return fn(*g, r); };
  };
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/glossary:import",
      .summary = "Import a DataHub business_glossary.yml (nodes, terms, relations, owners)",
      .params = {},
      .request_body = "business_glossary.yml text",
      .handler = bind(Import)});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/glossary:export",
                       .summary = "Export the glossary as business_glossary.yml",
                       .params = {},
                       .request_body = "",
                       .handler = bind(Export)});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/glossary/tree",
                       .summary = "Glossary nodes and terms as a hierarchy",
                       .params = {},
                       .request_body = "",
                       .handler = bind(Tree)});
  router.Add(RouteSpec{
      .method = "GET",
      .pattern = "/api/v1/glossary/resolve",
      .summary = "Find terms by name or synonym (case- and plural-insensitive, ranked) with the "
                 "datasets and columns that carry them",
      .params = {{"q", "query", "Phrase, e.g. billable usage", true},
                 {"limit", "query", "Maximum terms (default 10)", false, "integer"}},
      .request_body = "",
      .handler = bind(Resolve)});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/glossary/assignments",
      .summary = "Assign a term, tag or class to a dataset or column",
      .params = {},
      .request_body = "{\"target\": URN, \"kind\": \"term|tag|class\", \"value\": URN or class}",
      .handler = bind(Assign)});
  router.Add(RouteSpec{
      .method = "DELETE",
      .pattern = "/api/v1/glossary/assignments",
      .summary = "Remove an assignment; a person's removal is remembered against automation",
      .params = {{"target", "query", "Dataset or schemaField URN", true},
                 {"kind", "query", "term, tag or class", true},
                 {"value", "query", "Term/tag URN or class", true}},
      .request_body = "",
      .handler = bind(Unassign)});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/glossary/assignments/{urn}",
                       .summary = "Direct and propagated assignments of a dataset or column, apart",
                       .params = {{"urn", "path", "Dataset or schemaField URN", true}},
                       .request_body = "",
                       .handler = bind(GetAssignments)});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/classify",
      .summary = "Classify sample values of a dataset's columns (PII, secrets); proposals await "
                 "review",
      .params = {},
      .request_body = "{\"dataset\": URN, \"columns\": {\"column\": [\"value\", ...]}}",
      .handler = bind(Classify)});
  router.Add(RouteSpec{.method = "GET",
                       .pattern = "/api/v1/glossary/review",
                       .summary = "Datasets by classification review state",
                       .params = {{"state", "query", "pending_review (default) or accepted", false},
                                  {"limit", "query", "Page size (default 50)", false, "integer"},
                                  {"cursor", "query", "nextCursor of the previous page", false}},
                       .request_body = "",
                       .handler = bind(ListReview)});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/glossary/review",
      .summary = "Accept or reject a proposed class of a column",
      .params = {},
      .request_body =
          "{\"dataset\": URN, \"field\": path, \"class\": C, \"decision\": \"accept|reject\"}",
      .handler = bind(Review)});
  router.Add(RouteSpec{
      .method = "POST",
      .pattern = "/api/v1/glossary/propagation:run",
      .summary = "Propagate classes and terms along column lineage for changes since the last run",
      .params = {},
      .request_body = "",
      .handler = bind(RunPropagation)});
}

}  // namespace tidemark::server
