// Assignment read models; see assignment_view.h.
#include "query/assignment_view.h"

#include <boost/json.hpp>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "glossary/assignments.h"
#include "glossary/glossary_aspects.h"

namespace tidemark::query {

namespace json = boost::json;
using common::Urn;

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

absl::StatusOr<json::object> AssignmentsView(const catalog::CatalogService& catalog,
                                             const Urn& target) {
  ASSIGN_OR_RETURN(auto split, glossary::SplitTarget(target));
  const auto& [dataset, path] = split;
  const bool whole = target.entity_type() == "dataset";
  json::object out{{"urn", target.ToString()}, {"dataset", dataset.ToString()}};
  json::object direct, propagated;  // field path → list ("" = the dataset)
  json::array removed;
  auto fa = catalog.GetAspect(dataset, glossary::kFieldAssignmentsAspect);
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
  auto pa = catalog.GetAspect(dataset, glossary::kPropagatedAspect);
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

absl::StatusOr<std::string> SchemaFieldJson(const catalog::CatalogService& catalog,
                                            const Urn& field) {
  ASSIGN_OR_RETURN(Urn dataset, field.ParentDataset());
  ASSIGN_OR_RETURN(const bool exists, catalog.Exists(dataset));
  if (!exists) {
    return absl::NotFoundError(
        absl::StrCat("dataset ", dataset.ToString(), " of ", field.ToString(), " not found"));
  }
  ASSIGN_OR_RETURN(json::object out, AssignmentsView(catalog, field));
  out["urn"] = field.ToString();
  out["type"] = field.entity_type();
  out["dataset"] = dataset.ToString();
  return json::serialize(out);
}

}  // namespace tidemark::query
