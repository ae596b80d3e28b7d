// The columnLineage facet of an output dataset → fine-grained lineage entries, keeping everything
// the facet says (Marquez drops most of it):
//   inputFields[].transformations[]  DIRECT IDENTITY/TRANSFORMATION/AGGREGATION →
//   transformationType
//                                    (the strongest when several); INDIRECT FILTER/JOIN/GROUP_BY/
//                                    SORT/WINDOW/CONDITIONAL → subtypes; masking → masking +
//                                    MASKING; descriptions → transformOperation
//   fields.<f>.transformationType / transformationDescription (the deprecated form) → the same,
//                                    for input fields without transformations[]
//   dataset[] (dataset-level INDIRECT dependencies: joins, filters that affect every row)
//                                 → entries whose downstreams are all of the output's fields
// Input fields with the same transformation are grouped into one entry per downstream field. An
// entry with no DIRECT transformation has transformationType unspecified (purely INDIRECT).
// Column lineage the SQL parser derived is mapped by ingest/runs/sql_adapter.h, not here.
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/urn.h"
#include "ingest/openlineage/openlineage_event.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {

struct ColumnLineage {
  bool present = false;  // the output had a columnLineage facet
  std::vector<v1::FineGrainedLineage> entries;
  std::vector<common::Urn> upstream_datasets;  // every dataset an input field belongs to
};

// `output_fields`: the output's field paths (schema facet) for dataset-level dependencies; when
// empty, the facet's own field names are used.
absl::StatusOr<ColumnLineage> MapColumnLineage(const OlDataset& output,
                                               const std::vector<std::string>& output_fields);

}  // namespace tidemark::ingest
