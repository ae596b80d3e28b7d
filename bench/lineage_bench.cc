// lineage_bench: lineage queries on the graph lineage_gen wrote, answered in process by
// (a) tidemark's LineageService on a RocksDB store in a scratch directory and (b) a plain CSR
// adjacency array with a BFS, the floor any implementation pays. Times tidemark's load (catalog
// writes of upstreamLineage aspects, and datasetProperties of sources, in batches of 500, fsync
// off) and its start-up rebuild
// (reopening the store, which reloads the graph from the kLineage column family), then p50/p99 of
// upstream and downstream traversals at depth 1, 3, 5, 10 and unlimited from the 200 start nodes
// of starts.csv, and column-level impact from the 200 columns of start_columns.csv. Node counts of
// tidemark and the CSR are compared; any difference is reported.
//
//   lineage_bench --data DIR [--tsv results.tsv]
// The TSV (system, query, p50_us, p99_us, mean_nodes; metric rows as "metric", name, value) feeds
// the side-by-side table of bench/lineage_vs_postgres.sh.
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench_util.h"
#include "catalog/catalog_service.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "storage/kv_store.h"
#include "tidemark/v1/catalog.pb.h"
#include "tidemark/v1/lineage.pb.h"

namespace tidemark::bench {
namespace {

using lineage::Direction;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "lineage_bench: %s\n", what.c_str());
  std::exit(1);
}

int ToInt(std::string_view s) {
  // Debian's absl::string_view is not std::string_view.
  int v = -1;
  if (!absl::SimpleAtoi(absl::string_view(s.data(), s.size()), &v)) return -1;
  return v;
}

// Compressed sparse rows: the neighbours of v are targets[offsets[v] .. offsets[v+1]).
struct Csr {
  std::vector<uint32_t> offsets;
  std::vector<uint32_t> targets;
  size_t Bytes() const { return (offsets.size() + targets.size()) * sizeof(uint32_t); }
};

Csr BuildCsr(size_t vertices, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
             bool reverse) {
  Csr csr;
  csr.offsets.assign(vertices + 1, 0);
  for (auto [a, b] : edges) ++csr.offsets[(reverse ? b : a) + 1];
  for (size_t v = 0; v < vertices; ++v) csr.offsets[v + 1] += csr.offsets[v];
  csr.targets.resize(edges.size());
  std::vector<uint32_t> fill(csr.offsets.begin(), csr.offsets.end() - 1);
  for (auto [a, b] : edges) csr.targets[fill[reverse ? b : a]++] = reverse ? a : b;
  return csr;
}

// BFS with a generation-stamped visited array (no clearing between queries).
class CsrBfs {
 public:
  explicit CsrBfs(size_t vertices) : seen_(vertices, 0) {}
  // Vertices reached from `start` within `max_depth` hops (-1: unlimited), excluding `start`.
  int64_t Count(const Csr& csr, uint32_t start, int max_depth) {
    ++stamp_;
    frontier_.clear();
    next_.clear();
    frontier_.push_back(start);
    seen_[start] = stamp_;
    int64_t count = 0;
    for (int depth = 0; !frontier_.empty() && (max_depth < 0 || depth < max_depth); ++depth) {
      for (uint32_t v : frontier_) {
        for (uint32_t i = csr.offsets[v]; i < csr.offsets[v + 1]; ++i) {
          uint32_t w = csr.targets[i];
          if (seen_[w] != stamp_) {
            seen_[w] = stamp_;
            next_.push_back(w);
            ++count;
          }
        }
      }
      frontier_.swap(next_);
      next_.clear();
    }
    return count;
  }

 private:
  std::vector<uint32_t> seen_;
  uint32_t stamp_ = 0;
  std::vector<uint32_t> frontier_, next_;
};

struct Graph {
  std::vector<std::string> urns;      // dataset id -> URN
  std::vector<std::string> job_urns;  // job id -> URN
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  std::vector<int> edge_job;
  std::vector<uint32_t> column_dataset;
  std::vector<std::string> column_name;
  std::vector<std::pair<uint32_t, uint32_t>> column_edges;
  std::vector<uint32_t> starts;
  std::vector<uint32_t> start_columns;
  std::vector<std::string> start_column_urns;
};

Graph ReadGraph(const std::string& dir) {
  Graph g;
  auto must = [&](const char* file,
                  const std::function<void(const std::vector<std::string_view>&)>& f) {
    if (!ReadCsv(dir + "/" + file, f)) Die(absl::StrCat("cannot read ", dir, "/", file));
  };
  must("datasets.csv", [&](const auto& f) { g.urns.emplace_back(f[1]); });
  must("jobs.csv", [&](const auto& f) { g.job_urns.emplace_back(f[1]); });
  must("dataset_edges.csv", [&](const auto& f) {
    g.edges.emplace_back(ToInt(f[0]), ToInt(f[1]));
    g.edge_job.push_back(f[2].empty() ? -1 : ToInt(f[2]));
  });
  must("columns.csv", [&](const auto& f) {
    g.column_dataset.push_back(ToInt(f[1]));
    g.column_name.emplace_back(f[2]);
  });
  must("column_edges.csv",
       [&](const auto& f) { g.column_edges.emplace_back(ToInt(f[0]), ToInt(f[1])); });
  must("starts.csv", [&](const auto& f) { g.starts.push_back(ToInt(f[0])); });
  must("start_columns.csv", [&](const auto& f) {
    g.start_columns.push_back(ToInt(f[0]));
    g.start_column_urns.emplace_back(f[1]);
  });
  return g;
}

std::string FieldUrn(const Graph& g, uint32_t column) {
  return absl::StrCat("urn:li:schemaField:(", g.urns[g.column_dataset[column]], ",",
                      g.column_name[column], ")");
}

struct Tidemark {
  std::shared_ptr<storage::KvStore> store;
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<lineage::LineageService> lineage;
};

Tidemark OpenTidemark(const std::string& dir) {
  Tidemark t;
  auto store = storage::OpenRocksDbStore(dir, {.sync_writes = false});
  if (!store.ok()) Die(std::string(store.status().message()));
  t.store = std::shared_ptr<storage::KvStore>(std::move(store).value());
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  if (!lineage::RegisterLineageAspects(*registry).ok()) Die("cannot register lineage aspects");
  auto catalog = catalog::CatalogService::Open(t.store, registry);
  if (!catalog.ok()) Die(std::string(catalog.status().message()));
  t.catalog = std::move(catalog).value();
  auto service = lineage::LineageService::Attach(*t.catalog);
  if (!service.ok()) Die(std::string(service.status().message()));
  t.lineage = std::move(service).value();
  return t;
}

// Writes one upstreamLineage aspect per dataset with upstreams, in batches of 500.
void LoadTidemark(const Graph& g, const Csr& up, const Csr& column_up,
                  catalog::CatalogService& catalog) {
  // Columns of a dataset are contiguous; remember where each dataset's columns start.
  std::vector<int64_t> first_column(g.urns.size() + 1, -1);
  std::vector<uint32_t> column_count(g.urns.size(), 0);
  for (size_t c = 0; c < g.column_dataset.size(); ++c) {
    if (first_column[g.column_dataset[c]] < 0)
      first_column[g.column_dataset[c]] = static_cast<int64_t>(c);
    ++column_count[g.column_dataset[c]];
  }
  // The job of edge (src, dst) is the job of dst (one job per output).
  std::vector<int> job_of(g.urns.size(), -1);
  for (size_t e = 0; e < g.edges.size(); ++e) job_of[g.edges[e].second] = g.edge_job[e];

  const catalog::WriteOrigin origin{
      .actor = "urn:li:corpuser:bench", .source = v1::OPENLINEAGE, .run_id = "bench-load"};
  std::vector<catalog::AspectWrite> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    auto result = catalog.Write(std::move(batch), origin);
    if (!result.ok()) Die(absl::StrCat("load: ", result.status().message()));
    batch.clear();
  };
  for (uint32_t d = 0; d < g.urns.size(); ++d) {
    if (up.offsets[d] == up.offsets[d + 1]) {
      // A source: catalogued with its properties (as lineage_gen's batches do), no lineage.
      auto properties = std::make_unique<v1::DatasetProperties>();
      properties->set_name(g.urns[d]);
      auto urn = common::Urn::Parse(g.urns[d]);
      if (!urn.ok()) Die(std::string(urn.status().message()));
      batch.push_back({*std::move(urn), "datasetProperties", std::move(properties)});
      if (batch.size() == 500) flush();
      continue;
    }
    auto value = std::make_unique<v1::UpstreamLineage>();
    for (uint32_t i = up.offsets[d]; i < up.offsets[d + 1]; ++i) {
      v1::Upstream* u = value->add_upstreams();
      u->set_dataset(g.urns[up.targets[i]]);
      u->set_type(v1::TRANSFORMED);
      if (job_of[d] >= 0) u->set_job(g.job_urns[job_of[d]]);
    }
    for (uint32_t k = 0; k < column_count[d]; ++k) {
      const uint32_t c = static_cast<uint32_t>(first_column[d]) + k;
      if (column_up.offsets[c] == column_up.offsets[c + 1]) continue;
      v1::FineGrainedLineage* f = value->add_fine_grained_lineages();
      for (uint32_t i = column_up.offsets[c]; i < column_up.offsets[c + 1]; ++i) {
        f->add_upstreams(FieldUrn(g, column_up.targets[i]));
      }
      f->add_downstreams(FieldUrn(g, c));
      f->set_transformation_type(f->upstreams_size() == 1 ? v1::IDENTITY : v1::AGGREGATION);
    }
    auto urn = common::Urn::Parse(g.urns[d]);
    if (!urn.ok()) Die(std::string(urn.status().message()));
    batch.push_back({*std::move(urn), "upstreamLineage", std::move(value)});
    if (batch.size() == 500) flush();
  }
  flush();
}

struct Result {
  std::string system, query;
  double p50 = 0, p99 = 0, mean_nodes = 0;
};

class Bench {
 public:
  Bench(const std::string& data, const std::string& tsv) : data_(data), tsv_(tsv) {}

  void Run() {
    Stopwatch read_clock;
    g_ = ReadGraph(data_);
    const double read_s = read_clock.Seconds();
    const int64_t rss_csv = VmRssKib();

    Stopwatch csr_clock;
    const size_t n = g_.urns.size(), nc = g_.column_dataset.size();
    down_ = BuildCsr(n, g_.edges, false);
    up_ = BuildCsr(n, g_.edges, true);
    column_down_ = BuildCsr(nc, g_.column_edges, false);
    column_up_ = BuildCsr(nc, g_.column_edges, true);
    bfs_columns_ = CsrBfs(nc);
    const double csr_s = csr_clock.Seconds();

    ScratchDir scratch("lineage-bench");
    const std::string db = (scratch.path() / "db").string();
    Stopwatch load_clock;
    {
      Tidemark t = OpenTidemark(db);
      LoadTidemark(g_, up_, column_up_, *t.catalog);
      Metric("tidemark_load_s", load_clock.Seconds());
      Metric("tidemark_rss_after_load_mib", static_cast<double>(VmRssKib()) / 1024);
      Metric("tidemark_load_rss_delta_mib", static_cast<double>(VmRssKib() - rss_csv) / 1024);
      lineage::GraphStats stats = t.lineage->graph().Stats();
      std::printf("tidemark graph: %zu vertices, %zu edges; store %.0f MiB\n", stats.vertices,
                  stats.edges, static_cast<double>(t.catalog->ApproximateSizeBytes()) / (1 << 20));
    }
    Stopwatch open_clock;
    Tidemark t = OpenTidemark(db);
    Metric("tidemark_startup_s", open_clock.Seconds());
    Metric("tidemark_rss_after_reopen_mib", static_cast<double>(VmRssKib()) / 1024);
    Metric("csr_build_s", csr_s);
    Metric("csr_mib", static_cast<double>(down_.Bytes() + up_.Bytes() + column_down_.Bytes() +
                                          column_up_.Bytes()) /
                          (1 << 20));
    Metric("csv_read_s", read_s);

    Queries(*t.lineage);
    Print();
  }

 private:
  void Metric(const std::string& name, double value) { metrics_.emplace_back(name, value); }

  void Queries(const lineage::LineageService& service) {
    const lineage::LineageGraph& graph = service.graph();
    std::vector<common::Urn> starts;
    for (uint32_t s : g_.starts) starts.push_back(*common::Urn::Parse(g_.urns[s]));
    CsrBfs bfs(g_.urns.size());
    // Warm-up: one unlimited walk each way from every start.
    for (const auto& urn : starts) {
      graph.CountReachable(urn.ToString(), Direction::kDownstream, -1);
      graph.CountReachable(urn.ToString(), Direction::kUpstream, -1);
    }
    for (Direction dir : {Direction::kUpstream, Direction::kDownstream}) {
      for (int depth : {1, 3, 5, 10, -1}) {
        const std::string query =
            absl::StrCat(dir == Direction::kUpstream ? "up" : "down", " ",
                         depth < 0 ? std::string("all") : absl::StrCat("d", depth));
        const Csr& csr = dir == Direction::kUpstream ? up_ : down_;
        LatencySamples traverse, count_only, floor;
        double nodes = 0;
        for (size_t i = 0; i < starts.size(); ++i) {
          lineage::TraversalOptions options;
          options.direction = dir;
          options.max_depth = depth;
          options.max_nodes = INT_MAX;
          Stopwatch a;
          auto result = service.Traverse(starts[i], options);
          traverse.Add(a.Micros());
          // A dataset nothing reads from and that reads nothing has no lineage and no aspect:
          // tidemark does not know it (NotFound), the CSR finds no neighbour.
          size_t found = 0;
          if (result.ok()) {
            found = result->nodes.size() - 1;
          } else if (result.status().code() != absl::StatusCode::kNotFound) {
            Die(std::string(result.status().message()));
          }
          Stopwatch b;
          int64_t counted = graph.CountReachable(starts[i].ToString(), dir, depth);
          count_only.Add(b.Micros());
          Stopwatch c;
          int64_t expected = bfs.Count(csr, g_.starts[i], depth);
          floor.Add(c.Micros());
          nodes += static_cast<double>(expected);
          if (counted < 0) counted = 0;
          if (static_cast<int64_t>(found) != expected || counted != expected) {
            ++mismatches_;
            if (mismatches_ <= 5) {
              std::fprintf(stderr, "mismatch %s from %s: traverse %zu, count %lld, csr %lld\n",
                           query.c_str(), starts[i].ToString().c_str(), found,
                           static_cast<long long>(counted), static_cast<long long>(expected));
            }
          }
        }
        nodes /= static_cast<double>(starts.size());
        Add("tidemark in-process", query, traverse, nodes);
        Add("tidemark count-only", query, count_only, nodes);
        Add("CSR floor", query, floor, nodes);
      }
    }
    // Column-level: impact (everything downstream of a column) and the column-only walk.
    LatencySamples impact, column_walk, floor;
    double nodes = 0, impact_nodes = 0;
    for (size_t i = 0; i < g_.start_columns.size(); ++i) {
      auto urn = common::Urn::Parse(g_.start_column_urns[i]);
      if (!urn.ok()) Die(std::string(urn.status().message()));
      lineage::ImpactOptions impact_options;
      impact_options.max_nodes = INT_MAX;
      Stopwatch a;
      auto result = service.Impact(*urn, impact_options);
      impact.Add(a.Micros());
      if (result.ok()) {
        for (const auto& level : result->levels) {
          impact_nodes += static_cast<double>(level.nodes.size());
        }
      } else if (result.status().code() != absl::StatusCode::kNotFound) {
        Die(std::string(result.status().message()));  // NotFound: a column without lineage
      }
      lineage::TraversalOptions options;
      options.direction = Direction::kDownstream;
      options.level = lineage::Level::kColumn;
      options.max_nodes = INT_MAX;
      Stopwatch b;
      auto walk = service.Traverse(*urn, options);
      column_walk.Add(b.Micros());
      const int64_t found = walk.ok() ? static_cast<int64_t>(walk->nodes.size()) - 1 : 0;
      if (!walk.ok() && walk.status().code() != absl::StatusCode::kNotFound) {
        Die(std::string(walk.status().message()));
      }
      Stopwatch c;
      int64_t expected = bfs_columns_.Count(column_down_, g_.start_columns[i], -1);
      floor.Add(c.Micros());
      nodes += static_cast<double>(expected);
      if (found != expected) ++mismatches_;
    }
    const double count = static_cast<double>(g_.start_columns.size());
    Add("tidemark impact (columns+datasets)", "column impact", impact, impact_nodes / count);
    Add("tidemark in-process", "column down all", column_walk, nodes / count);
    Add("CSR floor", "column down all", floor, nodes / count);
  }

  void Add(std::string system, std::string query, LatencySamples& s, double nodes) {
    results_.push_back(
        {std::move(system), std::move(query), s.Percentile(50), s.Percentile(99), nodes});
  }

  void Print() {
    std::printf(
        "\nlineage_bench: %zu datasets, %zu dataset edges, %zu columns, %zu column edges; "
        "%zu start nodes, %zu start columns\n\n",
        g_.urns.size(), g_.edges.size(), g_.column_dataset.size(), g_.column_edges.size(),
        g_.starts.size(), g_.start_columns.size());
    std::vector<std::vector<std::string>> table = {{"metric", "value"}};
    for (const auto& [name, value] : metrics_) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", value);
      table.push_back({name, buf});
    }
    PrintTable(table);
    std::printf("\n");
    table = {
        {"query", "mean nodes", "tidemark p50", "p99", "count-only p50", "p99", "CSR p50", "p99"}};
    for (size_t i = 0; i + 2 < results_.size() && results_[i].system == "tidemark in-process" &&
                       results_[i + 1].system == "tidemark count-only";
         i += 3) {
      const Result &t = results_[i], &c = results_[i + 1], &f = results_[i + 2];
      table.push_back({t.query, FormatCount(f.mean_nodes), FormatMicros(t.p50), FormatMicros(t.p99),
                       FormatMicros(c.p50), FormatMicros(c.p99), FormatMicros(f.p50),
                       FormatMicros(f.p99)});
    }
    PrintTable(table);
    std::printf("\n");
    table = {{"column query", "system", "mean nodes", "p50", "p99"}};
    for (const Result& r : results_) {
      if (r.query.rfind("column", 0) != 0) continue;
      table.push_back(
          {r.query, r.system, FormatCount(r.mean_nodes), FormatMicros(r.p50), FormatMicros(r.p99)});
    }
    PrintTable(table);
    std::printf("\nnode-count mismatches between tidemark and the CSR: %d\n", mismatches_);
    if (!tsv_.empty()) {
      std::FILE* f = std::fopen(tsv_.c_str(), "w");
      if (f == nullptr) Die("cannot write " + tsv_);
      for (const Result& r : results_) {
        std::fprintf(f, "%s\t%s\t%.1f\t%.1f\t%.1f\n", r.system.c_str(), r.query.c_str(), r.p50,
                     r.p99, r.mean_nodes);
      }
      for (const auto& [name, value] : metrics_)
        std::fprintf(f, "metric\t%s\t%.3f\n", name.c_str(), value);
      std::fprintf(f, "metric\tmismatches\t%d\n", mismatches_);
      std::fclose(f);
    }
  }

  std::string data_, tsv_;
  Graph g_;
  Csr down_, up_, column_down_, column_up_;
  CsrBfs bfs_columns_{0};
  std::vector<Result> results_;
  std::vector<std::pair<std::string, double>> metrics_;
  int mismatches_ = 0;
};

}  // namespace
}  // namespace tidemark::bench

int main(int argc, char** argv) {
  std::string data, tsv;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--data") == 0) {
      data = argv[i + 1];
    } else if (std::strcmp(argv[i], "--tsv") == 0) {
      tsv = argv[i + 1];
    }
  }
  if (data.empty()) {
    std::fprintf(stderr, "usage: lineage_bench --data DIR (from lineage_gen) [--tsv FILE]\n");
    return 2;
  }
  tidemark::bench::Bench(data, tsv).Run();
  return 0;
}
