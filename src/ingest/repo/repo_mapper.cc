// SQL files of a git tree → aspects; see repo_mapper.h. DDL column lists and comments come from
// ddl_columns.h, statement boundaries from sql_script.h, tables and column lineage from the
// lineage parser (src/sql).
#include "ingest/repo/repo_mapper.h"

#include <algorithm>
#include <memory>

#include "ingest/dbt/dbt_mapper.h"
#include "ingest/repo/ddl_columns.h"
#include "ingest/repo/front_matter.h"
#include "ingest/repo/sql_script.h"
#include "ingest/runs/naming.h"
#include "ingest/runs/sql_adapter.h"
#include "ingest/runs/str_util.h"
#include "sql/sql_lineage.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::ingest {
namespace {

using sql::StatementType;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string DirOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

bool Under(std::string_view path, const std::string& dir) {
  return dir.empty() ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

int LineCount(std::string_view text) {
  int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++lines;
  return std::max(lines, 1);
}

bool WritesTable(StatementType t) {
  switch (t) {
    case StatementType::kInsert:
    case StatementType::kCreateTableAsSelect:
    case StatementType::kCreateView:
    case StatementType::kCreateDdl:
    case StatementType::kMerge:
    case StatementType::kUpdate:
    case StatementType::kDelete:
      return true;
    default:
      return false;
  }
}

// This run's contribution to one dataset.
struct DatasetOut {
  std::map<std::pair<std::string, std::string>, v1::DatasetLineageType> upstreams;  // (ds, job)
  std::vector<v1::FineGrainedLineage> fine_grained;
  std::vector<v1::SourceCodeLocation> locations;
  std::shared_ptr<v1::SchemaMetadata> schema;
  std::string comment;
};

// What one file's statements read and write.
struct JobOut {
  std::set<std::string> inputs, outputs, input_fields, output_fields;
  std::vector<v1::FineGrainedLineage> fine_grained;
  std::map<std::string, std::set<std::string>> temps;  // temporary table → its inputs
};

class RepoMapper {
 public:
  RepoMapper(const RepoSnapshot& snapshot, const RepoMapOptions& options, sql::Dialect dialect)
      : snapshot_(snapshot), options_(options), dialect_(dialect) {
    repository_ = RepositoryOf(snapshot);
    sql_options_.dialect = dialect;
    sql_options_.default_db = options.default_db;
    sql_options_.default_schema = options.default_schema;
    sql_options_.env = options.env;
    sql_options_.schemas = &resolver_;
  }

  // Registers the columns of every CREATE TABLE of `file` with the resolver.
  void CollectDdl(const RepoFile& file) {
    auto fm = ParseFrontMatter(file.content);
    if (!fm.ok()) return;
    for (const SqlStatementText& s : SplitSqlStatements(fm->body).statements) {
      std::optional<DdlTable> t = ParseCreateTableColumns(s.text, dialect_);
      if (!t) continue;
      std::vector<std::string> columns;
      for (const DdlColumn& c : t->columns) columns.push_back(c.name);
      resolver_.Add(QualifiedName(t->name), std::move(columns));
    }
  }

  void MapSqlFile(const RepoFile& file);
  void MapDbtProject(const std::string& dir);
  RepoFileMapping Finish();

 private:
  std::string QualifiedName(const std::vector<std::string>& parts) const {
    std::vector<std::string> full = parts;
    if (full.size() == 1 && !options_.default_schema.empty()) {
      full.insert(full.begin(), options_.default_schema);
    }
    if (full.size() == 2 && !options_.default_db.empty()) {
      full.insert(full.begin(), options_.default_db);
    }
    std::string out;
    for (const auto& p : full) out += (out.empty() ? "" : ".") + Lower(p);
    return out;
  }
  std::optional<std::string> DatasetOfParts(const std::vector<std::string>& parts) const {
    auto urn = common::Urn::Parse(
        Cat("urn:li:dataset:(urn:li:dataPlatform:", sql::PlatformName(dialect_), ",",
            EscapeUrnComponent(QualifiedName(parts)), ",", options_.env, ")"));
    if (!urn.ok()) return std::nullopt;
    return urn->ToString();
  }
  std::optional<std::string> FieldUrn(const std::string& dataset, const std::string& column) {
    auto ds = common::Urn::Parse(dataset);
    if (!ds.ok() || column.empty()) return std::nullopt;
    return common::Urn::SchemaField(*ds, column).ToString();
  }
  v1::LineageProvenance Provenance() const {
    v1::LineageProvenance p;
    p.set_source(v1::REPO);
    p.set_run_id(snapshot_.commit);
    return p;
  }
  void ApplyStatement(const std::string& path, const std::string& job, const SqlStatementText& stmt,
                      const sql::SqlLineage& lineage, JobOut& out,
                      RepoFileContribution& contribution);
  void AddJobAspects(const RepoFile& file, const common::Urn& job, const FrontMatter& fm,
                     JobOut& out, int statements);

  const RepoSnapshot& snapshot_;
  const RepoMapOptions& options_;
  sql::Dialect dialect_;
  std::string repository_;
  sql::MapSchemaResolver resolver_;
  sql::SqlOptions sql_options_;
  std::map<std::string, DatasetOut> datasets_;
  RepoFileMapping out_;
};

void RepoMapper::MapSqlFile(const RepoFile& file) {
  const common::Urn job = RepoJobUrn(snapshot_.name, file.path, options_.env);
  RepoFileContribution& contribution = out_.files[file.path];
  contribution.job = job.ToString();
  absl::StatusOr<FrontMatter> fm = ParseFrontMatter(file.content);
  if (!fm.ok()) {
    out_.mapping.Error(file.path, std::string(fm.status().message()));
    return;
  }
  SplitSql split = SplitSqlStatements(fm->body, fm->body_first_line);
  if (!split.error.empty()) {
    out_.mapping.Error(file.path, split.error);
    return;
  }
  JobOut out;
  std::vector<DdlComment> comments;
  for (const SqlStatementText& stmt : split.statements) {
    if (std::optional<DdlComment> c = ParseCommentOn(stmt.text, dialect_)) {
      comments.push_back(std::move(*c));
      continue;
    }
    absl::StatusOr<sql::SqlLineage> lineage = sql::ParseSqlLineage(stmt.text, sql_options_);
    if (!lineage.ok()) {
      out_.mapping.Error(
          file.path, Cat("line ", stmt.start_line, ": ", std::string(lineage.status().message())));
      continue;
    }
    ApplyStatement(file.path, contribution.job, stmt, *lineage, out, contribution);
  }
  for (const DdlComment& c : comments) {
    std::optional<std::string> ds = DatasetOfParts(c.table);
    auto it = ds ? datasets_.find(*ds) : datasets_.end();
    if (it == datasets_.end() || it->second.schema == nullptr) continue;  // not defined here
    if (c.column.empty()) {
      it->second.comment = c.text;
      continue;
    }
    for (auto& f : *it->second.schema->mutable_fields()) {
      if (f.field_path() == c.column) f.set_description(c.text);
    }
  }
  std::sort(contribution.outputs.begin(), contribution.outputs.end());
  contribution.outputs.erase(std::unique(contribution.outputs.begin(), contribution.outputs.end()),
                             contribution.outputs.end());
  AddJobAspects(file, job, *fm, out, static_cast<int>(split.statements.size()));
}

void RepoMapper::ApplyStatement(const std::string& path, const std::string& job,
                                const SqlStatementText& stmt, const sql::SqlLineage& lineage,
                                JobOut& out, RepoFileContribution& contribution) {
  std::set<std::string> ins;
  for (const std::string& t : lineage.in_tables) {
    auto temp = out.temps.find(t);
    if (temp != out.temps.end()) {
      ins.insert(temp->second.begin(), temp->second.end());
    } else {
      ins.insert(t);
    }
  }
  if (!WritesTable(lineage.type)) {
    out.inputs.insert(ins.begin(), ins.end());
    return;
  }
  std::set<std::string> written;
  for (const std::string& target : lineage.out_tables) {
    if (lineage.temporary) {
      std::set<std::string> through = ins;
      through.erase(target);
      out.temps[target] = std::move(through);
      continue;
    }
    written.insert(target);
    out.outputs.insert(target);
    contribution.outputs.push_back(target);
    DatasetOut& d = datasets_[target];
    const v1::DatasetLineageType type =
        lineage.type == StatementType::kCreateView ? v1::VIEW : v1::TRANSFORMED;
    for (const std::string& in : ins) {
      if (in == target) continue;
      out.inputs.insert(in);
      d.upstreams[{in, job}] = type;
    }
    v1::SourceCodeLocation loc;
    loc.set_repository(repository_);
    loc.set_path(path);
    loc.set_commit(snapshot_.commit);
    loc.set_start_line(stmt.start_line);
    loc.set_end_line(stmt.end_line);
    loc.set_type("SQL");
    d.locations.push_back(std::move(loc));
    if (lineage.type != StatementType::kCreateDdl) continue;
    std::optional<DdlTable> table = ParseCreateTableColumns(stmt.text, dialect_);
    if (!table) continue;
    auto schema = std::make_shared<v1::SchemaMetadata>();
    schema->set_schema_name(QualifiedName(table->name));
    schema->set_platform(common::Urn::Platform(sql::PlatformName(dialect_)).ToString());
    int ordinal = 0;
    for (const DdlColumn& c : table->columns) {
      v1::SchemaField* f = schema->add_fields();
      f->set_field_path(c.name);
      f->set_native_data_type(c.native_type);
      f->set_type(FieldTypeFromNative(c.native_type));
      f->set_nullable(c.nullable);
      f->set_description(c.comment);
      f->set_ordinal(ordinal++);
      f->set_is_part_of_key(c.primary_key);
      if (c.primary_key) schema->add_primary_keys(c.name);
    }
    d.schema = std::move(schema);
    d.comment = table->comment;
  }
  for (const sql::ColumnLineage& cl : lineage.column_lineage) {
    if (written.count(cl.downstream.table) == 0) continue;
    std::optional<std::string> down = FieldUrn(cl.downstream.table, cl.downstream.column);
    if (!down) continue;
    std::optional<v1::FineGrainedLineage> fgl =
        FineGrainedLineageOf(cl, [&](const sql::ColumnRef& up) -> std::optional<std::string> {
          if (out.temps.count(up.table) > 0 || up.table == cl.downstream.table) return std::nullopt;
          return FieldUrn(up.table, up.column);
        });
    if (!fgl) continue;
    out.input_fields.insert(fgl->upstreams().begin(), fgl->upstreams().end());
    fgl->add_downstreams(*down);
    out.output_fields.insert(*down);
    fgl->set_query(job);  // marks the entry as this job's when merging with the catalog
    *fgl->mutable_provenance() = Provenance();
    out.fine_grained.push_back(*fgl);
    datasets_[cl.downstream.table].fine_grained.push_back(*std::move(fgl));
  }
}

void RepoMapper::AddJobAspects(const RepoFile& file, const common::Urn& job, const FrontMatter& fm,
                               JobOut& out, int statements) {
  auto info = std::make_shared<v1::DataJobInfo>();
  info->set_name(fm.name.empty() ? file.path : fm.name);
  info->set_description(fm.description);
  info->set_type("SQL");
  auto& props = *info->mutable_custom_properties();
  props["path"] = file.path;
  props["statements"] = std::to_string(statements);
  if (!fm.schedule.empty()) props["schedule"] = fm.schedule;
  std::string depends;
  for (const std::string& d : fm.depends_on) {
    depends += (depends.empty() ? "" : ",") + d;
    // A table name (not another step's file) is an input of the step.
    if (EndsWith(d, ".sql") || d.find('/') != std::string::npos) continue;
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      const size_t dot = d.find('.', start);
      parts.push_back(d.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (std::optional<std::string> ds = DatasetOfParts(parts)) out.inputs.insert(*ds);
  }
  if (!depends.empty()) props["depends_on"] = depends;
  for (const auto& [k, v] : fm.extra) props[k] = v;
  out_.mapping.Add(job, "dataJobInfo", std::move(info));

  auto code = std::make_shared<v1::SourceCode>();
  v1::SourceCodeLocation* loc = code->add_locations();
  loc->set_repository(repository_);
  loc->set_path(file.path);
  loc->set_commit(snapshot_.commit);
  loc->set_start_line(1);
  loc->set_end_line(LineCount(file.content));
  loc->set_type("SQL");
  out_.mapping.Add(job, "sourceCode", std::move(code));

  if (!fm.owners.empty()) {
    auto ownership = std::make_shared<v1::Ownership>();
    for (const std::string& o : fm.owners) {
      absl::StatusOr<common::Urn> owner = OwnerUrn(o);
      if (!owner.ok()) {
        out_.mapping.Error(file.path, Cat("front matter owner: ", owner.status().message()));
        continue;
      }
      v1::Owner* added = ownership->add_owners();
      added->set_owner(owner->ToString());
      added->set_type(v1::TECHNICAL_OWNER);
      added->set_source("repo front matter");
    }
    if (ownership->owners_size() > 0) out_.mapping.Add(job, "ownership", std::move(ownership));
  }
  if (!fm.tags.empty()) {
    auto tags = std::make_shared<v1::GlobalTags>();
    for (const std::string& t : fm.tags) {
      if (!Trim(t).empty()) tags->add_tags()->set_tag(common::Urn::Tag(Trim(t)).ToString());
    }
    out_.mapping.Add(job, "globalTags", std::move(tags));
  }
  auto io = std::make_shared<v1::DataJobInputOutput>();
  for (const auto& o : out.outputs) out.inputs.erase(o);
  for (const auto& i : out.inputs) io->add_input_datasets(i);
  for (const auto& o : out.outputs) io->add_output_datasets(o);
  for (const auto& f : out.input_fields) io->add_input_dataset_fields(f);
  for (const auto& f : out.output_fields) io->add_output_dataset_fields(f);
  for (auto& fgl : out.fine_grained) *io->add_fine_grained_lineages() = std::move(fgl);
  *io->mutable_provenance() = Provenance();
  out_.mapping.Add(job, "dataJobInputOutput", std::move(io));
  out_.mapping.Add(job, "status", std::make_shared<v1::Status>());
}

void RepoMapper::MapDbtProject(const std::string& dir) {
  const std::string prefix = dir.empty() ? "" : dir + "/";
  DbtArtifacts artifacts;
  for (const RepoFile& f : snapshot_.files) {
    if (f.path == prefix + "target/manifest.json") artifacts.manifest = f.content;
    if (f.path == prefix + "target/catalog.json") artifacts.catalog = f.content;
  }
  artifacts.manifest_path = prefix + "target/manifest.json";
  artifacts.catalog_path = prefix + "target/catalog.json";
  DbtOptions dbt{.repository = repository_, .commit = snapshot_.commit, .path_prefix = prefix};
  absl::StatusOr<Mapping> m = MapDbtArtifacts(artifacts, dbt);
  if (!m.ok()) {
    out_.mapping.Error(artifacts.manifest_path, std::string(m.status().message()));
    return;
  }
  m->properties.clear();
  out_.mapping.Append(std::move(*m));
}

RepoFileMapping RepoMapper::Finish() {
  for (auto& [urn_text, d] : datasets_) {
    absl::StatusOr<common::Urn> urn = common::Urn::Parse(urn_text);
    if (!urn.ok()) continue;
    if (!d.upstreams.empty() || !d.fine_grained.empty()) {
      auto lineage = std::make_shared<v1::UpstreamLineage>();
      for (const auto& [key, type] : d.upstreams) {
        v1::Upstream* u = lineage->add_upstreams();
        u->set_dataset(key.first);
        u->set_type(type);
        u->set_job(key.second);
        *u->mutable_provenance() = Provenance();
      }
      std::stable_sort(d.fine_grained.begin(), d.fine_grained.end(),
                       [](const v1::FineGrainedLineage& a, const v1::FineGrainedLineage& b) {
                         return std::make_pair(a.downstreams(0), a.query()) <
                                std::make_pair(b.downstreams(0), b.query());
                       });
      for (auto& f : d.fine_grained) *lineage->add_fine_grained_lineages() = std::move(f);
      out_.mapping.Add(*urn, "upstreamLineage", std::move(lineage));
    }
    auto code = std::make_shared<v1::SourceCode>();
    std::stable_sort(d.locations.begin(), d.locations.end(),
                     [](const v1::SourceCodeLocation& a, const v1::SourceCodeLocation& b) {
                       return std::make_pair(a.path(), a.start_line()) <
                              std::make_pair(b.path(), b.start_line());
                     });
    for (auto& l : d.locations) *code->add_locations() = std::move(l);
    out_.mapping.Add(*urn, "sourceCode", std::move(code));
    if (d.schema != nullptr) out_.mapping.Add(*urn, "schemaMetadata", d.schema);
    if (!d.comment.empty()) {
      auto props = std::make_shared<v1::DatasetProperties>();
      props->set_name(urn->DatasetName());
      props->set_description(d.comment);
      out_.mapping.Add(*urn, "datasetProperties", std::move(props));
    }
  }
  return std::move(out_);
}

}  // namespace

bool IsRepoIngestPath(std::string_view path) {
  const std::string_view base =
      path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  return EndsWith(Lower(path), ".sql") || base == "dbt_project.yml" ||
         EndsWith(path, "target/manifest.json") || EndsWith(path, "target/catalog.json");
}

std::string RepositoryOf(const RepoSnapshot& snapshot) {
  return snapshot.remote_url.empty() ? snapshot.root : snapshot.remote_url;
}

common::Urn RepoFlowUrn(std::string_view repo_name, std::string_view env) {
  auto urn = common::Urn::Parse(
      Cat("urn:li:dataFlow:(repo,", EscapeUrnComponent(repo_name), ",", env, ")"));
  return urn.ok() ? *urn : *common::Urn::Parse("urn:li:dataFlow:(repo,repo,PROD)");
}

common::Urn RepoJobUrn(std::string_view repo_name, std::string_view path, std::string_view env) {
  auto urn = common::Urn::Parse(Cat("urn:li:dataJob:(", RepoFlowUrn(repo_name, env).ToString(), ",",
                                    EscapeUrnComponent(path), ")"));
  return urn.ok() ? *urn
                  : *common::Urn::Parse("urn:li:dataJob:(urn:li:dataFlow:(repo,repo,PROD),x)");
}

absl::StatusOr<RepoFileMapping> MapRepoFiles(const RepoSnapshot& snapshot,
                                             const std::set<std::string>* only,
                                             const RepoMapOptions& options) {
  absl::StatusOr<sql::Dialect> dialect = sql::ParseDialect(options.platform);
  if (!dialect.ok()) {
    return absl::InvalidArgumentError(
        Cat("unknown platform '", options.platform, "': ", dialect.status().message()));
  }
  std::vector<std::string> dbt_dirs;
  for (const RepoFile& f : snapshot.files) {
    if (f.path == "dbt_project.yml" || EndsWith(f.path, "/dbt_project.yml")) {
      dbt_dirs.push_back(DirOf(f.path));
    }
  }
  auto in_dbt = [&](std::string_view path) {
    return std::any_of(dbt_dirs.begin(), dbt_dirs.end(),
                       [&](const std::string& d) { return Under(path, d); });
  };
  RepoMapper mapper(snapshot, options, *dialect);
  std::vector<const RepoFile*> sql_files;
  for (const RepoFile& f : snapshot.files) {
    if (!EndsWith(Lower(f.path), ".sql") || in_dbt(f.path)) continue;
    mapper.CollectDdl(f);
    if (only == nullptr || only->count(f.path) > 0) sql_files.push_back(&f);
  }
  for (const RepoFile* f : sql_files) mapper.MapSqlFile(*f);
  std::string without_manifest;
  for (const std::string& dir : dbt_dirs) {
    const std::string prefix = dir.empty() ? "" : dir + "/";
    const bool has_manifest =
        std::any_of(snapshot.files.begin(), snapshot.files.end(),
                    [&](const RepoFile& f) { return f.path == prefix + "target/manifest.json"; });
    if (!has_manifest) {
      without_manifest += (without_manifest.empty() ? "" : ",") + (dir.empty() ? "." : dir);
      continue;
    }
    const bool changed = only == nullptr || only->count(prefix + "target/manifest.json") > 0 ||
                         only->count(prefix + "target/catalog.json") > 0 ||
                         only->count(prefix + "dbt_project.yml") > 0;
    if (changed) mapper.MapDbtProject(dir);
  }
  RepoFileMapping out = mapper.Finish();
  if (!without_manifest.empty()) {
    out.mapping.properties.emplace_back("dbt_projects_without_manifest", without_manifest);
  }
  for (const std::string& skipped : snapshot.skipped) {
    out.mapping.Error(skipped, Cat("larger than ", kMaxRepoFileBytes, " bytes; skipped"));
  }
  return out;
}

}  // namespace tidemark::ingest
