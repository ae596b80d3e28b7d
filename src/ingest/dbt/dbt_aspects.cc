// dbtAssertions registration; see dbt_aspects.h.
#include "ingest/dbt/dbt_aspects.h"

#include <algorithm>

#include "tidemark/v1/dbt.pb.h"

namespace tidemark::ingest {

absl::Status RegisterDbtAspects(catalog::AspectRegistry& registry) {
  return registry.Register(
      {kDbtAssertionsAspect,
       &v1::DbtAssertions::default_instance(),
       {"dataset"},
       "dbt tests that check a dataset: kind, column, parameters and last result.",
       [](const common::Urn&, google::protobuf::Message& m) {
         auto& a = static_cast<v1::DbtAssertions&>(m);
         for (const auto& x : a.assertions()) {
           if (x.unique_id().empty()) {
             return absl::InvalidArgumentError("assertions[].uniqueId is empty");
           }
         }
         // Sorted by id so that equal sets serialise equally.
         std::sort(a.mutable_assertions()->begin(), a.mutable_assertions()->end(),
                   [](const v1::DbtAssertion& x, const v1::DbtAssertion& y) {
                     return x.unique_id() < y.unique_id();
                   });
         return absl::OkStatus();
       }});
}

}  // namespace tidemark::ingest
