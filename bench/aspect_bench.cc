// aspect_bench: throughput and latency of the catalog's aspect operations, in process, on a real
// RocksDB store in a scratch directory. Measures single-aspect puts with fsync on and off, batches
// of 100 writes, random get-latest lookups over 100k entities, history reads and listing pages,
// and prints one table (ops/s, p50, p99). Not a test: it asserts nothing beyond "the call worked".
// With lineage attached, it also puts one upstreamLineage with a large fan-in (first write, then
// unchanged re-puts), the write that once merged quadratically under the catalog write lock.
//
//   build/release/bench/aspect_bench [--entities 100000] [--gets 200000] [--upstreams 50000]
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench_util.h"
#include "catalog/catalog_service.h"
#include "lineage/lineage_aspects.h"
#include "lineage/lineage_service.h"
#include "query/entity_listing.h"
#include "storage/kv_store.h"
#include "tidemark/v1/catalog.pb.h"

namespace tidemark::bench {
namespace {

using catalog::AspectWrite;
using catalog::CatalogService;
using common::Urn;

struct Options {
  int entities = 100000;
  int gets = 200000;
  int sync_puts = 2000;
  int nosync_puts = 20000;
  int history_entities = 1000;
  int history_versions = 20;
  int pages = 2000;
  int upstreams = 50000;
  int upstream_puts = 3;  // unchanged re-puts after the first
};

struct Row {
  std::string name;
  size_t ops = 0;
  double seconds = 0;
  LatencySamples latency;
};

[[noreturn]] void Die(const absl::Status& status, const char* what) {
  std::fprintf(stderr, "aspect_bench: %s: %s\n", what, std::string(status.message()).c_str());
  std::exit(1);
}

Urn DatasetUrn(int i) {
  return Urn::Dataset(i % 3 == 0 ? "trino" : (i % 3 == 1 ? "postgres" : "snowflake"),
                      absl::StrCat("warehouse.schema_", i % 100, ".table_", i));
}

std::unique_ptr<google::protobuf::Message> Properties(int i, int version) {
  auto p = std::make_unique<v1::DatasetProperties>();
  p->set_name(absl::StrCat("table_", i));
  p->set_qualified_name(absl::StrCat("warehouse.schema_", i % 100, ".table_", i));
  p->set_description(absl::StrCat("Table number ", i, ", revision ", version,
                                  ": one row per event, partitioned by day."));
  (*p->mutable_custom_properties())["owner_team"] = absl::StrCat("team_", i % 17);
  (*p->mutable_custom_properties())["retention_days"] = "365";
  return p;
}

struct Store {
  std::shared_ptr<storage::KvStore> kv;
  std::unique_ptr<CatalogService> catalog;
};

Store OpenStore(const std::filesystem::path& dir, bool sync) {
  auto kv = storage::OpenRocksDbStore(dir.string(), {.sync_writes = sync});
  if (!kv.ok()) Die(kv.status(), "open store");
  Store s;
  s.kv = std::shared_ptr<storage::KvStore>(std::move(kv).value());
  auto catalog = CatalogService::Open(s.kv, catalog::AspectRegistry::WithCatalogAspects());
  if (!catalog.ok()) Die(catalog.status(), "open catalog");
  s.catalog = std::move(catalog).value();
  return s;
}

const catalog::WriteOrigin kOrigin{
    .actor = "urn:li:corpuser:bench", .source = v1::API, .run_id = "bench"};

// `count` single-aspect writes to entities first..first+count-1.
void SinglePuts(CatalogService& catalog, int first, int count, Row& row) {
  Stopwatch total;
  for (int i = first; i < first + count; ++i) {
    std::vector<AspectWrite> writes;
    writes.push_back({DatasetUrn(i), "datasetProperties", Properties(i, 1)});
    Stopwatch one;
    auto result = catalog.Write(std::move(writes), kOrigin);
    row.latency.Add(one.Micros());
    if (!result.ok()) Die(result.status(), "put");
  }
  row.seconds = total.Seconds();
  row.ops = static_cast<size_t>(count);
}

// One upstreamLineage of `options.upstreams` upstreams, put once and then re-put unchanged.
void LargeLineagePuts(const std::filesystem::path& dir, const Options& options,
                      std::vector<Row>& rows) {
  auto kv = storage::OpenRocksDbStore(dir.string(), {.sync_writes = false});
  if (!kv.ok()) Die(kv.status(), "open store");
  std::shared_ptr<catalog::AspectRegistry> registry = catalog::AspectRegistry::WithCatalogAspects();
  if (absl::Status s = lineage::RegisterLineageAspects(*registry); !s.ok()) Die(s, "register");
  auto catalog =
      CatalogService::Open(std::shared_ptr<storage::KvStore>(std::move(kv).value()), registry);
  if (!catalog.ok()) Die(catalog.status(), "open catalog");
  auto lineage = lineage::LineageService::Attach(**catalog);
  if (!lineage.ok()) Die(lineage.status(), "attach lineage");
  v1::UpstreamLineage value;
  for (int i = 0; i < options.upstreams; ++i) {
    v1::Upstream* up = value.add_upstreams();
    up->set_dataset(DatasetUrn(i).ToString());
    up->set_type(v1::TRANSFORMED);
  }
  const Urn target = Urn::Dataset("trino", "warehouse.fan_in.target");
  for (int n = 0; n <= options.upstream_puts; ++n) {
    if (n <= 1) {
      rows.emplace_back().name =
          absl::StrCat("put upstreamLineage of ", FormatCount(options.upstreams),
                       n == 0 ? " (first)" : " (unchanged again)");
    }
    Row& row = rows.back();
    std::vector<AspectWrite> writes;
    writes.push_back({target, "upstreamLineage", std::make_unique<v1::UpstreamLineage>(value)});
    Stopwatch one;
    auto result = (*catalog)->Write(std::move(writes), kOrigin);
    row.latency.Add(one.Micros());
    row.seconds += one.Seconds();
    ++row.ops;
    if (!result.ok()) Die(result.status(), "put upstreamLineage");
  }
}

void Run(const Options& options) {
  ScratchDir scratch("aspect-bench");
  std::vector<Row> rows;
  std::mt19937_64 rng(42);

  {  // fsync on: every acknowledged write survives a machine crash.
    Store s = OpenStore(scratch.path() / "sync", true);
    Row& row = rows.emplace_back();
    row.name = "put 1 aspect (fsync on)";
    SinglePuts(*s.catalog, 0, options.sync_puts, row);
  }

  if (options.upstreams > 0) LargeLineagePuts(scratch.path() / "lineage", options, rows);

  Store s = OpenStore(scratch.path() / "main", false);
  CatalogService& catalog = *s.catalog;
  {
    Row& row = rows.emplace_back();
    row.name = "put 1 aspect (fsync off)";
    SinglePuts(catalog, options.entities, options.nosync_puts, row);
  }
  {  // The 100k entities the reads run against, loaded in batches of 100.
    Row& row = rows.emplace_back();
    row.name = "put batch of 100 (fsync off)";
    Stopwatch total;
    for (int first = 0; first < options.entities; first += 100) {
      std::vector<AspectWrite> writes;
      for (int i = first; i < std::min(first + 100, options.entities); ++i) {
        writes.push_back({DatasetUrn(i), "datasetProperties", Properties(i, 1)});
      }
      Stopwatch one;
      auto result = catalog.Write(std::move(writes), kOrigin);
      row.latency.Add(one.Micros());
      if (!result.ok()) Die(result.status(), "batch put");
    }
    row.seconds = total.Seconds();
    row.ops = static_cast<size_t>(options.entities);  // aspects, not batches
  }
  {
    std::vector<Urn> urns;
    urns.reserve(options.entities);
    for (int i = 0; i < options.entities; ++i) urns.push_back(DatasetUrn(i));
    std::uniform_int_distribution<int> pick(0, options.entities - 1);
    Row& row = rows.emplace_back();
    row.name = absl::StrCat("get latest (random of ", FormatCount(options.entities), ")");
    Stopwatch total;
    for (int n = 0; n < options.gets; ++n) {
      const Urn& urn = urns[pick(rng)];
      Stopwatch one;
      auto aspect = catalog.GetAspect(urn, "datasetProperties");
      row.latency.Add(one.Micros());
      if (!aspect.ok()) Die(aspect.status(), "get");
    }
    row.seconds = total.Seconds();
    row.ops = static_cast<size_t>(options.gets);
  }
  {  // History: entities with `history_versions` versions each; read the newest 10.
    for (int v = 2; v <= options.history_versions; ++v) {
      std::vector<AspectWrite> writes;
      for (int i = 0; i < options.history_entities; ++i) {
        writes.push_back({DatasetUrn(i), "datasetProperties", Properties(i, v)});
      }
      auto result = catalog.Write(std::move(writes), kOrigin);
      if (!result.ok()) Die(result.status(), "history put");
    }
    std::uniform_int_distribution<int> pick(0, options.history_entities - 1);
    Row& row = rows.emplace_back();
    row.name = absl::StrCat("history, newest 10 of ", options.history_versions);
    Stopwatch total;
    const int reads = 20000;
    for (int n = 0; n < reads; ++n) {
      Urn urn = DatasetUrn(pick(rng));
      Stopwatch one;
      auto history = catalog.GetHistory(urn, "datasetProperties", 10);
      row.latency.Add(one.Micros());
      if (!history.ok() || history->size() != 10) Die(history.status(), "history");
    }
    row.seconds = total.Seconds();
    row.ops = reads;
  }
  for (const char* platform : {"", "trino"}) {  // Listing: walk pages of 50 with the cursor.
    Row& row = rows.emplace_back();
    row.name =
        absl::StrCat("list page of 50 (type=dataset", *platform ? ", platform=trino" : "", ")");
    query::ListQuery q;
    q.type = "dataset";
    q.platform = platform;
    q.limit = 50;
    Stopwatch total;
    for (int n = 0; n < options.pages; ++n) {
      Stopwatch one;
      auto page = query::ListEntities(catalog, q);
      row.latency.Add(one.Micros());
      if (!page.ok()) Die(page.status(), "list");
      q.cursor = page->next_cursor;  // wraps to the first page at the end
    }
    row.seconds = total.Seconds();
    row.ops = static_cast<size_t>(options.pages);
  }

  std::printf("aspect_bench: catalog on RocksDB, %d entities, 1 thread, RSS %lld MiB\n\n",
              options.entities, static_cast<long long>(VmRssKib() / 1024));
  std::vector<std::vector<std::string>> table = {{"operation", "ops", "ops/s", "p50", "p99"}};
  for (Row& r : rows) {
    table.push_back({r.name, FormatCount(static_cast<double>(r.ops)),
                     FormatCount(static_cast<double>(r.ops) / r.seconds),
                     FormatMicros(r.latency.Percentile(50)),
                     FormatMicros(r.latency.Percentile(99))});
  }
  PrintTable(table);
  std::printf("\n(batch rows: ops are aspects; latency is per batch of 100)\n");
}

}  // namespace
}  // namespace tidemark::bench

int main(int argc, char** argv) {
  tidemark::bench::Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--entities") == 0) {
      options.entities = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--gets") == 0) {
      options.gets = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--upstreams") == 0) {
      options.upstreams = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "usage: aspect_bench [--entities N] [--gets N] [--upstreams N]\n");
      return 2;
    }
  }
  tidemark::bench::Run(options);
  return 0;
}
