// Internal: the state of one dbt manifest mapping (see dbt_mapper.h). dbt_mapper.cc reads the
// artifacts and collects relations, tests and semantics; dbt_relations.cc emits the aspects of each
// relation and exposure; dbt_column_lineage.cc parses compiled SQL into column lineage.
//
// Thread-safety: one Mapper per call, used by one thread.
#pragma once

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ingest/dbt/dbt_mapper.h"
#include "ingest/dbt/internal/dbt_json.h"
#include "ingest/runs/str_util.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/dbt.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest::dbt_internal {

namespace json = boost::json;
using common::Urn;

struct Relation {
  std::string unique_id;
  const json::object* node = nullptr;
  Urn urn;
  bool is_source = false;
};

class Mapper {
 public:
  Mapper(const DbtArtifacts& artifacts, const DbtOptions& options)
      : artifacts_(artifacts), options_(options) {}

  absl::StatusOr<Mapping> Run();

 private:
  void CollectRelations(const json::object& nodes, bool sources);
  void LoadCatalog();
  void LoadRunResults();
  void CollectTests(const json::object& nodes);
  void CollectSemantics(const json::object& manifest);
  std::vector<Urn> Upstreams(const json::object& node);
  void UpstreamsOf(std::string_view id, std::set<std::string>& visited, std::vector<Urn>& out);
  void MapRelation(const Relation& r);
  void MapExposure(std::string_view id, const json::object& exposure);
  // Column names of a relation: catalog.json's in its order, then manifest-only ones; lower-cased.
  std::vector<std::string> ColumnNames(const Relation& r) const;
  // Registers every relation's columns with schemas_ for the SQL parser.
  void CollectSchemas(std::string_view adapter);
  // The column lineage of a model's or snapshot's compiled SQL; parse problems become warnings.
  std::vector<v1::FineGrainedLineage> ColumnLineage(const Relation& r);
  void Warn(const Relation& r, std::string message);
  std::shared_ptr<v1::Ownership> Owners(const json::object& node);
  std::string Where(const json::object& node, std::string_view id) const {
    std::string file = Str(node, "original_file_path");
    return file.empty() ? std::string(id) : Cat(file, " (", id, ")");
  }

  const DbtArtifacts& artifacts_;
  const DbtOptions& options_;
  Mapping out_;
  std::string platform_;
  std::map<std::string, Relation> relations_;          // unique_id → relation
  std::map<std::string, const json::object*> others_;  // ephemeral models and other nodes
  json::value catalog_doc_;
  const json::object* catalog_nodes_ = nullptr;
  const json::object* catalog_sources_ = nullptr;
  std::map<std::string, std::string> run_status_;               // unique_id → status
  std::map<std::string, std::vector<v1::DbtAssertion>> tests_;  // relation id → tests
  std::map<std::string, std::set<std::string>> not_null_;       // relation id → columns
  std::map<std::string, std::map<std::string, std::string>> extra_props_;
  std::map<std::string, std::string> group_owner_;  // group name → owner text
  const json::object* current_ = nullptr;           // node whose upstreams are being resolved
  sql::Dialect dialect_ = sql::Dialect::kPostgres;  // of the adapter, for compiled SQL
  sql::MapSchemaResolver schemas_;                  // relation name → columns
  std::map<std::string, Urn> by_name_;              // lower-cased dataset name → relation URN
  int sql_parsed_ = 0, sql_warnings_ = 0;
};

}  // namespace tidemark::ingest::dbt_internal
