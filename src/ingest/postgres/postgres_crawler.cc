// PostgreSQL catalog → aspects over libpq; see postgres_crawler.h.
#include "ingest/postgres/postgres_crawler.h"

#include <libpq-fe.h>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>

#include "common/status_macros.h"
#include "ingest/runs/naming.h"
#include "ingest/runs/sql_adapter.h"
#include "ingest/runs/str_util.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

using common::Urn;

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultCloser {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;
using Result = std::unique_ptr<PGresult, ResultCloser>;

constexpr char kSep = '\x1f';  // separates names in aggregated columns

// The schema filter shared by the catalog queries ($1: text[] of schemas, or NULL for all).
constexpr char kSchemaFilter[] =
    "n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp%' AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))";

struct Relation {
  std::string schema, name, kind, comment, view_definition;
  Urn urn = Urn::Platform("postgres");  // replaced by the relation's dataset URN
  std::shared_ptr<v1::SchemaMetadata> schema_metadata;
  std::vector<std::string> upstreams;
  // Column lineage of statements that wrote this table (from pg_stat_statements).
  std::vector<v1::FineGrainedLineage> statement_columns;
};

class Crawler {
 public:
  Crawler(PGconn* conn, const PostgresCrawlOptions& options) : conn_(conn), options_(options) {}

  absl::StatusOr<Mapping> Run();

 private:
  absl::StatusOr<Result> Query(const std::string& sql, bool with_schemas = true) {
    std::string schemas;
    if (!options_.schemas.empty()) {
      schemas = "{";
      for (size_t i = 0; i < options_.schemas.size(); ++i) {
        schemas += Cat(i ? "," : "", "\"", options_.schemas[i], "\"");
      }
      schemas += "}";
    }
    const char* params[1] = {options_.schemas.empty() ? nullptr : schemas.c_str()};
    Result r(PQexecParams(conn_, sql.c_str(), with_schemas ? 1 : 0, nullptr,
                          with_schemas ? params : nullptr, nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(r.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return absl::InternalError(Cat("PostgreSQL: ", PQresultErrorMessage(r.get())));
    }
    return r;
  }
  static std::string Value(PGresult* r, int row, int col) {
    return PQgetisnull(r, row, col) ? std::string() : std::string(PQgetvalue(r, row, col));
  }
  static std::vector<std::string> Names(const std::string& joined) {
    std::vector<std::string> out;
    size_t start = 0;
    while (!joined.empty() && start <= joined.size()) {
      size_t end = joined.find(kSep, start);
      if (end == std::string::npos) end = joined.size();
      out.push_back(joined.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  absl::Status ReadRelations();
  absl::Status ReadColumns();
  absl::Status ReadConstraints();
  absl::Status ReadViewDependencies();
  void ReadStatementUsage();
  std::vector<v1::FineGrainedLineage> ViewColumnLineage(const Relation& view);
  void EnsureSchemas();
  void StatementLineage(const std::string& query);
  void Sample(const Relation& r);

  PGconn* conn_;
  const PostgresCrawlOptions& options_;
  std::string database_;
  std::map<std::string, Relation> relations_;  // oid → relation
  std::map<std::string, int64_t> calls_;       // oid → statement calls
  sql::MapSchemaResolver schemas_;             // crawled columns, for view definitions
  std::map<std::string, Urn> by_name_;         // dataset name → relation URN
  Mapping out_;
};

absl::Status Crawler::ReadRelations() {
  ASSIGN_OR_RETURN(
      Result r,
      Query(
          Cat("SELECT c.oid, n.nspname, c.relname, c.relkind, obj_description(c.oid, 'pg_class'), "
              "CASE WHEN c.relkind IN ('v','m') THEN pg_get_viewdef(c.oid, true) END "
              "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relkind IN ('r','v','m','f','p') AND NOT c.relispartition AND ",
              kSchemaFilter, " ORDER BY n.nspname, c.relname")));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    Relation rel;
    rel.schema = Value(r.get(), i, 1);
    rel.name = Value(r.get(), i, 2);
    const std::string kind = Value(r.get(), i, 3);
    rel.kind = kind == "v"   ? "view"
               : kind == "m" ? "materialized view"
               : kind == "f" ? "foreign table"
               : kind == "p" ? "partitioned table"
                             : "table";
    rel.comment = Value(r.get(), i, 4);
    rel.view_definition = std::string(Trim(Value(r.get(), i, 5)));
    auto urn = RelationUrn("postgres", database_, rel.schema, rel.name);
    if (!urn.ok()) {
      out_.Error(Cat(rel.schema, ".", rel.name), std::string(urn.status().message()));
      continue;
    }
    rel.urn = *std::move(urn);
    rel.schema_metadata = std::make_shared<v1::SchemaMetadata>();
    rel.schema_metadata->set_schema_name(Cat(rel.schema, ".", rel.name));
    relations_.emplace(Value(r.get(), i, 0), std::move(rel));
  }
  return absl::OkStatus();
}

absl::Status Crawler::ReadColumns() {
  ASSIGN_OR_RETURN(
      Result r,
      Query(Cat(
          "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, "
          "col_description(a.attrelid, a.attnum) "
          "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','v','m','f','p') AND ",
          kSchemaFilter, " ORDER BY a.attrelid, a.attnum")));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    auto rel = relations_.find(Value(r.get(), i, 0));
    if (rel == relations_.end()) continue;
    v1::SchemaMetadata& schema = *rel->second.schema_metadata;
    v1::SchemaField* f = schema.add_fields();
    f->set_field_path(Value(r.get(), i, 1));
    f->set_native_data_type(Value(r.get(), i, 2));
    f->set_type(FieldTypeFromNative(f->native_data_type()));
    f->set_nullable(Value(r.get(), i, 3) == "t");
    f->set_description(Value(r.get(), i, 4));
    f->set_ordinal(schema.fields_size() - 1);
  }
  return absl::OkStatus();
}

absl::Status Crawler::ReadConstraints() {
  const std::string names =
      Cat("(SELECT string_agg(a.attname, chr(31) ORDER BY k.i) FROM unnest(%KEYS%) WITH ORDINALITY "
          "k(num, i) JOIN pg_attribute a ON a.attrelid = %REL% AND a.attnum = k.num)");
  auto expand = [&](std::string keys, std::string rel) {
    std::string s = names;
    s.replace(s.find("%KEYS%"), 6, keys);
    s.replace(s.find("%REL%"), 5, rel);
    return s;
  };
  ASSIGN_OR_RETURN(
      Result r,
      Query(Cat("SELECT con.conrelid, con.contype, con.conname, ",
                expand("con.conkey", "con.conrelid"), ", con.confrelid, ",
                expand("con.confkey", "con.confrelid"),
                " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype IN ('p','f') AND ",
                kSchemaFilter, " ORDER BY con.conrelid, con.conname")));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    auto rel = relations_.find(Value(r.get(), i, 0));
    if (rel == relations_.end()) continue;
    v1::SchemaMetadata& schema = *rel->second.schema_metadata;
    const std::vector<std::string> columns = Names(Value(r.get(), i, 3));
    if (Value(r.get(), i, 1) == "p") {
      for (const std::string& c : columns) {
        schema.add_primary_keys(c);
        for (auto& f : *schema.mutable_fields()) {
          if (f.field_path() == c) f.set_is_part_of_key(true);
        }
      }
      continue;
    }
    auto target = relations_.find(Value(r.get(), i, 4));
    if (target == relations_.end()) {
      out_.Error(Cat(rel->second.schema, ".", rel->second.name),
                 Cat("foreign key ", Value(r.get(), i, 2), " references an unread relation"));
      continue;
    }
    v1::ForeignKey* fk = schema.add_foreign_keys();
    fk->set_name(Value(r.get(), i, 2));
    fk->set_foreign_dataset(target->second.urn.ToString());
    for (const std::string& c : columns) {
      fk->add_source_fields(Urn::SchemaField(rel->second.urn, c).ToString());
    }
    for (const std::string& c : Names(Value(r.get(), i, 5))) {
      fk->add_foreign_fields(Urn::SchemaField(target->second.urn, c).ToString());
    }
  }
  return absl::OkStatus();
}

// Views read what their rewrite rule depends on; pg_depend records exactly those relations.
absl::Status Crawler::ReadViewDependencies() {
  ASSIGN_OR_RETURN(
      Result r,
      Query(Cat("SELECT DISTINCT v.oid, d.refobjid FROM pg_rewrite rw JOIN pg_class v ON v.oid = "
                "rw.ev_class "
                "JOIN pg_namespace n ON n.oid = v.relnamespace "
                "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid "
                "AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid "
                "WHERE v.relkind IN ('v','m') AND ",
                kSchemaFilter, " ORDER BY 1, 2")));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    auto view = relations_.find(Value(r.get(), i, 0));
    auto upstream = relations_.find(Value(r.get(), i, 1));
    if (view == relations_.end() || upstream == relations_.end()) continue;
    view->second.upstreams.push_back(upstream->second.urn.ToString());
  }
  return absl::OkStatus();
}

// Calls of pg_stat_statements entries that name a relation, as a usage signal. Missing extension
// or permissions are not errors: the view is optional.
void Crawler::ReadStatementUsage() {
  auto has = Query("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'", false);
  if (!has.ok() || PQntuples(has->get()) == 0) return;
  auto r = Query("SELECT query, calls FROM pg_stat_statements", false);
  if (!r.ok()) {
    out_.properties.emplace_back("postgres.pg_stat_statements", "unreadable");
    return;
  }
  out_.properties.emplace_back("postgres.pg_stat_statements", "read");
  for (int i = 0; i < PQntuples(r->get()); ++i) StatementLineage(Value(r->get(), i, 0));
  for (auto& [oid, rel] : relations_) {
    const std::regex word(Cat("(^|[^a-z0-9_])\"?", Lower(rel.name), "\"?($|[^a-z0-9_])"));
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      const std::string query = Lower(Value(r->get(), i, 0));
      if (query.find(Lower(rel.name)) == std::string::npos) continue;
      if (std::regex_search(query, word)) calls_[oid] += std::stoll(Value(r->get(), i, 1));
    }
  }
}

// The crawled columns as known schemas for the parser, and dataset name → relation URN.
void Crawler::EnsureSchemas() {
  if (schemas_.size() != 0) return;
  for (const auto& [oid, rel] : relations_) {
    by_name_.emplace(rel.urn.DatasetName(), rel.urn);
    std::vector<std::string> columns;
    for (const v1::SchemaField& f : rel.schema_metadata->fields())
      columns.push_back(f.field_path());
    if (!columns.empty()) schemas_.Add(rel.urn.DatasetName(), std::move(columns));
  }
}

// Lineage of one statement text from pg_stat_statements (INSERT … SELECT, CREATE TABLE AS,
// UPDATE … FROM, MERGE): its inputs become table-level upstreams of the tables it writes, and its
// column lineage their fineGrainedLineages. Statements the parser cannot read are skipped quietly:
// the view also holds utility commands and the catalog's own queries.
void Crawler::StatementLineage(const std::string& query) {
  EnsureSchemas();
  sql::SqlOptions options;
  options.dialect = sql::Dialect::kPostgres;
  options.default_db = database_;
  options.default_schema = "public";
  options.schemas = &schemas_;
  absl::StatusOr<sql::SqlLineage> lineage = sql::ParseSqlLineage(query, options);
  if (!lineage.ok() || lineage->out_tables.empty()) return;
  auto relation_of = [this](const std::string& urn_text) -> Relation* {
    auto parsed = Urn::Parse(urn_text);
    if (!parsed.ok()) return nullptr;
    auto named = by_name_.find(parsed->DatasetName());
    if (named == by_name_.end()) return nullptr;
    for (auto& [oid, rel] : relations_) {
      if (rel.urn == named->second) return &rel;
    }
    return nullptr;
  };
  for (const std::string& out : lineage->out_tables) {
    Relation* target = relation_of(out);
    if (target == nullptr || target->kind == "view") continue;
    for (const std::string& in : lineage->in_tables) {
      Relation* source = relation_of(in);
      if (source == nullptr || source == target) continue;
      const std::string up = source->urn.ToString();
      if (std::find(target->upstreams.begin(), target->upstreams.end(), up) ==
          target->upstreams.end()) {
        target->upstreams.push_back(up);
      }
    }
    // INSERT without a column list names outputs after their expressions; map them onto the
    // target's columns by position, as PostgreSQL does.
    std::vector<const sql::ColumnLineage*> outputs;
    for (const sql::ColumnLineage& cl : lineage->column_lineage) {
      if (cl.downstream.table == out) outputs.push_back(&cl);
    }
    std::vector<std::string> target_columns;
    for (const v1::SchemaField& f : target->schema_metadata->fields()) {
      target_columns.push_back(f.field_path());
    }
    const bool by_position = outputs.size() <= target_columns.size() &&
                             std::any_of(outputs.begin(), outputs.end(), [&](const auto* cl) {
                               return std::find(target_columns.begin(), target_columns.end(),
                                                cl->downstream.column) == target_columns.end();
                             });
    auto upstream_field = [&](const sql::ColumnRef& u) -> std::optional<std::string> {
      Relation* source = relation_of(u.table);
      if (source == nullptr) return std::nullopt;
      return Urn::SchemaField(source->urn, u.column).ToString();
    };
    for (size_t i = 0; i < outputs.size(); ++i) {
      const sql::ColumnLineage& cl = *outputs[i];
      std::optional<v1::FineGrainedLineage> fg = FineGrainedLineageOf(cl, upstream_field);
      if (!fg) continue;
      const std::string& column = by_position ? target_columns[i] : cl.downstream.column;
      fg->add_downstreams(Urn::SchemaField(target->urn, column).ToString());
      fg->mutable_provenance()->set_source(v1::POSTGRES);
      target->statement_columns.push_back(*std::move(fg));
    }
  }
}

// The view's column lineage from its definition (a bare SELECT) through the SQL parser, with the
// crawled columns as known schemas. pg_depend stays the table-level truth; a definition the parser
// cannot read costs only the column lineage and is noted as a property, not an error.
std::vector<v1::FineGrainedLineage> Crawler::ViewColumnLineage(const Relation& view) {
  if (view.view_definition.empty()) return {};
  EnsureSchemas();
  sql::SqlOptions options;
  options.dialect = sql::Dialect::kPostgres;
  options.default_db = database_;
  options.default_schema = view.schema;
  options.schemas = &schemas_;
  absl::StatusOr<sql::SqlLineage> lineage = sql::ParseSqlLineage(view.view_definition, options);
  const std::string where = Cat("postgres.sql_lineage.warning.", view.schema, ".", view.name);
  if (!lineage.ok()) {
    out_.properties.emplace_back(where, std::string(lineage.status().message()));
    return {};
  }
  if (!lineage->errors.empty()) {
    out_.properties.emplace_back(where, SqlLineageErrorSummary(*lineage));
  }
  SelectLineageOptions select;
  select.provenance.set_source(v1::POSTGRES);
  select.dataset = [this](const Urn& parsed) -> std::optional<Urn> {
    auto it = by_name_.find(parsed.DatasetName());
    return it != by_name_.end() ? it->second : parsed;
  };
  return SelectFineGrainedLineage(*lineage, view.urn, select);
}

void Crawler::Sample(const Relation& rel) {
  if (options_.sample_rows <= 0 || !options_.sample_sink) return;
  char* schema = PQescapeIdentifier(conn_, rel.schema.c_str(), rel.schema.size());
  char* name = PQescapeIdentifier(conn_, rel.name.c_str(), rel.name.size());
  const std::string sql = Cat("SELECT * FROM ", schema, ".", name, " LIMIT ", options_.sample_rows);
  PQfreemem(schema);
  PQfreemem(name);
  auto r = Query(sql, false);
  if (!r.ok()) {
    out_.Error(Cat(rel.schema, ".", rel.name), std::string(r.status().message()));
    return;
  }
  PostgresSample sample{rel.urn, {}, {}};
  for (int c = 0; c < PQnfields(r->get()); ++c) sample.columns.push_back(PQfname(r->get(), c));
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(r->get()); ++c) row.push_back(Value(r->get(), i, c));
    sample.rows.push_back(std::move(row));
  }
  options_.sample_sink(sample);
}

absl::StatusOr<Mapping> Crawler::Run() {
  ASSIGN_OR_RETURN(Result db, Query("SELECT current_database()", false));
  database_ = Value(db.get(), 0, 0);
  out_.properties.emplace_back("postgres.database", database_);
  RETURN_IF_ERROR(ReadRelations());
  RETURN_IF_ERROR(ReadColumns());
  RETURN_IF_ERROR(ReadConstraints());
  RETURN_IF_ERROR(ReadViewDependencies());
  if (options_.use_pg_stat_statements) ReadStatementUsage();
  for (auto& [oid, rel] : relations_) {
    auto props = std::make_shared<v1::DatasetProperties>();
    props->set_name(rel.name);
    props->set_qualified_name(rel.urn.DatasetName());
    props->set_description(rel.comment);
    (*props->mutable_custom_properties())["postgres.kind"] = rel.kind;
    if (!rel.view_definition.empty()) {
      (*props->mutable_custom_properties())["postgres.view_definition"] = rel.view_definition;
    }
    if (auto c = calls_.find(oid); c != calls_.end()) {
      (*props->mutable_custom_properties())["postgres.statement_calls"] = std::to_string(c->second);
    }
    out_.Add(rel.urn, "datasetProperties", props);
    if (rel.schema_metadata->fields_size() > 0) {
      out_.Add(rel.urn, "schemaMetadata", rel.schema_metadata);
    }
    auto lineage = std::make_shared<v1::UpstreamLineage>();
    for (const std::string& u : rel.upstreams) {
      v1::Upstream* up = lineage->add_upstreams();
      up->set_dataset(u);
      up->set_type(rel.kind == "view" ? v1::VIEW : v1::TRANSFORMED);
    }
    for (v1::FineGrainedLineage& f : ViewColumnLineage(rel)) {
      *lineage->add_fine_grained_lineages() = std::move(f);
    }
    for (v1::FineGrainedLineage& f : rel.statement_columns) {
      *lineage->add_fine_grained_lineages() = std::move(f);
    }
    if (lineage->upstreams_size() > 0 || lineage->fine_grained_lineages_size() > 0) {
      out_.Add(rel.urn, "upstreamLineage", lineage);
    }
    if (rel.kind == "table" || rel.kind == "materialized view") Sample(rel);
  }
  return std::move(out_);
}

}  // namespace

std::string RedactConninfo(const std::string& conninfo) {
  static const std::regex uri_password(R"(^(postgres(?:ql)?://[^:/@]*):[^@]*@)");
  static const std::regex kv_password(R"((^|\s)password\s*=\s*('[^']*'|\S*))");
  std::string out = std::regex_replace(conninfo, uri_password, "$1@");
  return std::regex_replace(out, kv_password, "$1password=***");
}

absl::StatusOr<Mapping> CrawlPostgres(const std::string& conninfo,
                                      const PostgresCrawlOptions& options) {
  Conn conn(PQconnectdb(conninfo.c_str()));
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(Cat("cannot connect to ", RedactConninfo(conninfo), ": ",
                                      conn ? PQerrorMessage(conn.get()) : "out of memory"));
  }
  Crawler crawler(conn.get(), options);
  return crawler.Run();
}

}  // namespace tidemark::ingest
