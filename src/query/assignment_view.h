// Read models of glossary assignments as JSON: what GET /api/v1/glossary/assignments/{urn} and
// GET /api/v1/entities/{schemaField urn} answer. Reads the dataset's fieldAssignments and
// propagatedAssignments aspects from the catalog; writes nothing.
//
// Thread-safety: stateless; safe to call concurrently (the catalog is).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "catalog/catalog_service.h"
#include "common/urn.h"
#include "tidemark/v1/glossary.pb.h"

namespace tidemark::query {

// One direct assignment: kind, value, actor, timeMicros, source, automated (+ classification
// fields for a class).
boost::json::object AssignmentJson(const v1::Assignment& assignment);

// {"urn", "dataset", "direct", "propagated", "removed", "reviewState"} of a dataset (direct and
// propagated keyed by field path, "" = the dataset) or of a schemaField (+ "field"; direct and
// propagated are that field's lists). InvalidArgument for other entity types.
absl::StatusOr<boost::json::object> AssignmentsView(const catalog::CatalogService& catalog,
                                                    const common::Urn& target);

// The entity view of a schemaField, which has no aspects of its own: AssignmentsView() plus
// "type". NotFound when its dataset does not exist.
absl::StatusOr<std::string> SchemaFieldJson(const catalog::CatalogService& catalog,
                                            const common::Urn& field);

}  // namespace tidemark::query
