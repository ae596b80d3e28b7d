// lineage_gen: deterministic generator of a warehouse lineage graph, written once in the formats
// every system in the lineage benchmark loads, so they all get the same graph.
//
// Shape: four layers, raw (operational tables and topics) → staging → marts → dashboards, split
// into business domains. Every non-raw dataset is produced by one job from 1–3 (staging), 2–5
// (marts) or 1–4 (dashboards) upstreams, mostly from its own domain and recent predecessors (so
// chains are deep), sometimes from a few global hub tables (dates, customers, ...) that fan out to
// everything; 3% of marts are wide fan-in models with 15–40 upstreams. Datasets have 10–30 columns
// (~20); every derived column comes from 1–3 upstream columns. Dashboards have no columns.
//
// Output directory (every file is regenerated bit for bit for the same --datasets and --seed):
//   datasets.csv        id,urn,layer,platform,domain
//   jobs.csv            id,urn,output_id
//   dataset_edges.csv   src,dst,job           (ids; job empty for dashboards)
//   columns.csv         id,dataset,name
//   column_edges.csv    src,dst               (column ids)
//   openlineage.jsonl   one OpenLineage COMPLETE RunEvent per job, with schema and columnLineage
//                       facets
//   tidemark_batches.jsonl  one {"writes":[...]} per line: datasetProperties of the raw sources,
//                       then upstreamLineage aspects with fine-grained (column) lineage, for
//                       POST /api/v1/aspects:batch
//   starts.csv          id,urn: 200 random datasets/dashboards, the start nodes of every query
//   start_columns.csv   id,urn: 200 random columns (schemaField URNs) for column-level impact
//
//   lineage_gen --size small|medium|large | --datasets N   --out DIR [--seed 1] [--batch 500]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/urn.h"

namespace tidemark::bench {
namespace {

// splitmix64: tiny, fast and good enough for reproducible synthetic data.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }

 private:
  uint64_t state_;
};

enum Layer { kRaw = 0, kStaging, kMarts, kDashboards };
constexpr const char* kLayerNames[] = {"raw", "staging", "marts", "dashboards"};

constexpr const char* kSubjects[] = {
    "orders",    "customers", "payments",      "invoices", "sessions",  "events",   "products",
    "shipments", "refunds",   "subscriptions", "accounts", "campaigns", "tickets",  "inventory",
    "users",     "devices",   "pageviews",     "carts",    "returns",   "suppliers"};
constexpr const char* kColumns[] = {
    "id",          "created_at",    "updated_at", "customer_id", "order_id",    "amount",
    "currency",    "status",        "country",    "region",      "product_id",  "quantity",
    "unit_price",  "discount",      "tax",        "total",       "email",       "channel",
    "device_type", "session_id",    "event_type", "event_time",  "is_active",   "plan",
    "revenue",     "cost",          "margin",     "account_id",  "campaign_id", "source",
    "medium",      "segment",       "tier",       "score",       "ship_date",   "warehouse_id",
    "carrier",     "refund_reason", "ticket_id",  "priority"};
constexpr int kColumnNames = sizeof(kColumns) / sizeof(kColumns[0]);

struct Dataset {
  Layer layer;
  int domain;
  std::string urn;
  std::string platform;
  std::string ol_namespace;  // OpenLineage namespace and name
  std::string ol_name;
  int first_column = 0;  // global id of column 0
  int columns = 0;
  std::vector<int> upstreams;
  int job = -1;
};

struct Options {
  int datasets = 10000;
  uint64_t seed = 1;
  int batch = 500;
  std::filesystem::path out;
};

// Distinct column names per dataset: rotate through the list, suffix after one round.
std::string ColumnOf(int dataset, int j) {
  return j < kColumnNames ? kColumns[(dataset * 7 + j) % kColumnNames]
                          : absl::StrCat(kColumns[(dataset * 7 + j) % kColumnNames], "_", j);
}

std::FILE* OpenOut(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.string().c_str(), "w");
  if (f == nullptr) {
    std::perror(path.string().c_str());
    std::exit(1);
  }
  static std::vector<char*> buffers;
  buffers.push_back(new char[1 << 20]);
  std::setvbuf(f, buffers.back(), _IOFBF, 1 << 20);
  return f;
}

void Put(std::FILE* f, const std::string& s) { std::fwrite(s.data(), 1, s.size(), f); }

// A deterministic UUID-shaped run id.
std::string RunId(Rng& rng) {
  uint64_t a = rng.Next(), b = rng.Next();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>((b >> 48) & 0xfff),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

class Generator {
 public:
  explicit Generator(const Options& options) : o_(options) {}

  void Run() {
    std::filesystem::create_directories(o_.out);
    Layout();
    PickUpstreams();
    WriteNodes();
    WriteEdgesAndEvents();
    WriteStarts();
    PrintSummary();
  }

 private:
  // Layer sizes, domains, names, platforms and column counts.
  void Layout() {
    const int n = o_.datasets;
    domains_ = std::max(10, n / 2000);
    const int counts[] = {n * 35 / 100, n * 30 / 100, n * 25 / 100,
                          n - n * 35 / 100 - n * 30 / 100 - n * 25 / 100};
    Rng rng(o_.seed * 1000003 + 1);
    datasets_.reserve(n);
    int column = 0;
    for (int layer = kRaw; layer <= kDashboards; ++layer) {
      layer_start_[layer] = static_cast<int>(datasets_.size());
      for (int k = 0; k < counts[layer]; ++k) {
        const int id = static_cast<int>(datasets_.size());
        Dataset d;
        d.layer = static_cast<Layer>(layer);
        d.domain = static_cast<int>(rng.Range(0, domains_ - 1));
        const std::string subject = kSubjects[rng.Range(0, std::size(kSubjects) - 1)];
        std::string name;
        switch (d.layer) {
          case kRaw:
            if (rng.Unit() < 0.8) {
              d.platform = "postgres";
              name = absl::StrCat("app_db_", d.domain, ".public.", subject, "_", id);
              d.ol_namespace = absl::StrCat("postgres://app-db-", d.domain, ":5432");
            } else {
              d.platform = "kafka";
              name = absl::StrCat("domain", d.domain, ".", subject, "_events_", id);
              d.ol_namespace = "kafka://broker-1:9092";
            }
            break;
          case kStaging:
            d.platform = "trino";
            name = absl::StrCat("lake.staging_d", d.domain, ".stg_", subject, "_", id);
            d.ol_namespace = "trino://warehouse:8080";
            break;
          case kMarts:
            d.platform = "trino";
            name = absl::StrCat("lake.marts_d", d.domain, ".", rng.Unit() < 0.6 ? "fct_" : "dim_",
                                subject, "_", id);
            d.ol_namespace = "trino://warehouse:8080";
            break;
          case kDashboards:
            d.platform = "looker";
            name = absl::StrCat(subject, "_overview_", id);
            d.ol_namespace = "looker://acme";
            break;
        }
        d.ol_name = name;
        if (d.layer == kDashboards) {
          d.urn =
              common::Urn::Parse(absl::StrCat("urn:li:dashboard:(looker,", name, ")"))->ToString();
        } else {
          d.urn = common::Urn::Dataset(d.platform, name).ToString();
          d.columns = static_cast<int>(rng.Range(10, 30));
          d.first_column = column;
          column += d.columns;
        }
        datasets_.push_back(std::move(d));
      }
    }
    layer_start_[4] = n;
    columns_ = column;
    // Per domain, the ids of each layer in creation order (for "recent predecessor" picks).
    by_domain_.assign(4, std::vector<std::vector<int>>(domains_));
    for (int id = 0; id < n; ++id) {
      by_domain_[datasets_[id].layer][datasets_[id].domain].push_back(id);
    }
  }

  // One of the layer's global hubs (its first 0.2%, at least 5).
  int Hub(Rng& rng, Layer layer) {
    const int size = layer_start_[layer + 1] - layer_start_[layer];
    const int hubs = std::min(size, std::max(5, size / 500));
    return layer_start_[layer] + static_cast<int>(rng.Range(0, hubs - 1));
  }

  // A dataset of `layer` in `domain`, created before `before` (when in the same layer), preferring
  // the most recent 50 of them; -1 when there is none.
  int Pick(Rng& rng, Layer layer, int domain, int before) {
    const std::vector<int>& ids = by_domain_[layer][domain];
    const int limit =
        static_cast<int>(std::lower_bound(ids.begin(), ids.end(), before) - ids.begin());
    if (limit == 0) return -1;
    const int window = std::min(limit, 50);
    return ids[limit - 1 - static_cast<int>(rng.Range(0, window - 1))];
  }

  void PickUpstreams() {
    for (int id = layer_start_[kStaging]; id < o_.datasets; ++id) {
      Dataset& d = datasets_[id];
      Rng rng(o_.seed * 0x100000001b3ull + static_cast<uint64_t>(id));
      int want = 0;
      auto add = [&](int up) {
        if (up >= 0 && up != id &&
            std::find(d.upstreams.begin(), d.upstreams.end(), up) == d.upstreams.end()) {
          d.upstreams.push_back(up);
        }
      };
      switch (d.layer) {
        case kStaging: {
          double u = rng.Unit();
          want = u < 0.7 ? 1 : (u < 0.95 ? 2 : 3);
          for (int k = 0; k < want * 3 && static_cast<int>(d.upstreams.size()) < want; ++k) {
            double r = rng.Unit();
            if (r < 0.10) {
              add(Hub(rng, kRaw));
            } else if (r < 0.75) {
              add(Pick(rng, kRaw, d.domain, o_.datasets));
            } else {
              add(Pick(rng, kStaging, d.domain, id));
            }
          }
          break;
        }
        case kMarts: {
          want = rng.Unit() < 0.03 ? static_cast<int>(rng.Range(15, 40))
                                   : static_cast<int>(rng.Range(2, 5));
          for (int k = 0; k < want * 3 && static_cast<int>(d.upstreams.size()) < want; ++k) {
            double r = rng.Unit();
            if (r < 0.15) {
              add(Hub(rng, kStaging));
            } else if (r < 0.55) {
              add(Pick(rng, kStaging, d.domain, o_.datasets));
            } else if (r < 0.60) {
              add(Hub(rng, kMarts));
            } else {
              add(Pick(rng, kMarts, d.domain, id));
            }
          }
          break;
        }
        case kDashboards: {
          want = static_cast<int>(rng.Range(1, 4));
          for (int k = 0; k < want * 3 && static_cast<int>(d.upstreams.size()) < want; ++k) {
            add(rng.Unit() < 0.1 ? Hub(rng, kMarts) : Pick(rng, kMarts, d.domain, o_.datasets));
          }
          break;
        }
        case kRaw:
          break;
      }
      if (d.upstreams.empty()) add(Hub(rng, d.layer == kDashboards ? kMarts : kRaw));
      // Hubs of the same layer have smaller ids than their readers only when picked from an
      // earlier layer; drop same-layer hubs created later to keep the graph acyclic.
      std::erase_if(d.upstreams, [&](int up) { return up > id; });
      if (d.upstreams.empty()) add(Hub(rng, static_cast<Layer>(d.layer - 1)));
      d.job = d.layer == kDashboards ? -1 : jobs_++;
    }
  }

  std::string JobUrn(int id) const {
    const Dataset& d = datasets_[id];
    // The URN tidemark's OpenLineage naming gives job (namespace "dbt", name JobName(id)).
    return absl::StrCat("urn:li:dataJob:(urn:li:dataFlow:(dbt,dbt,PROD),warehouse_d", d.domain,
                        ".model_", id, ")");
  }
  std::string JobName(int id) const {
    const Dataset& d = datasets_[id];
    return d.layer == kDashboards ? absl::StrCat("looker.refresh.", d.ol_name)
                                  : absl::StrCat("warehouse_d", d.domain, ".model_", id);
  }

  void WriteNodes() {
    std::FILE* ds = OpenOut(o_.out / "datasets.csv");
    std::FILE* cols = OpenOut(o_.out / "columns.csv");
    std::FILE* jobs = OpenOut(o_.out / "jobs.csv");
    Put(ds, "id,urn,layer,platform,domain\n");
    Put(cols, "id,dataset,name\n");
    Put(jobs, "id,urn,output_id\n");
    for (int id = 0; id < o_.datasets; ++id) {
      const Dataset& d = datasets_[id];
      Put(ds, absl::StrCat(id, ",\"", d.urn, "\",", kLayerNames[d.layer], ",", d.platform, ",",
                           d.domain, "\n"));
      for (int j = 0; j < d.columns; ++j) {
        Put(cols, absl::StrCat(d.first_column + j, ",", id, ",", ColumnOf(id, j), "\n"));
      }
      if (d.job >= 0) Put(jobs, absl::StrCat(d.job, ",\"", JobUrn(id), "\",", id, "\n"));
    }
    std::fclose(ds);
    std::fclose(cols);
    std::fclose(jobs);
  }

  std::string SchemaFieldUrn(int dataset, int j) const {
    return absl::StrCat("urn:li:schemaField:(", datasets_[dataset].urn, ",", ColumnOf(dataset, j),
                        ")");
  }

  std::string SchemaFacet(int id) const {
    const Dataset& d = datasets_[id];
    std::string s =
        absl::StrCat("\"schema\":{\"_producer\":\"", kProducer,
                     "\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-1-1/"
                     "SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet\",\"fields\":[");
    for (int j = 0; j < d.columns; ++j) {
      absl::StrAppend(&s, j ? "," : "", "{\"name\":\"", ColumnOf(id, j), "\",\"type\":\"",
                      j % 3 == 0 ? "bigint" : (j % 3 == 1 ? "varchar" : "double"), "\"}");
    }
    absl::StrAppend(&s, "]}");
    return s;
  }

  void WriteEdgesAndEvents() {
    std::FILE* edges = OpenOut(o_.out / "dataset_edges.csv");
    std::FILE* col_edges = OpenOut(o_.out / "column_edges.csv");
    std::FILE* ol = OpenOut(o_.out / "openlineage.jsonl");
    std::FILE* tm = OpenOut(o_.out / "tidemark_batches.jsonl");
    Put(edges, "src,dst,job\n");
    Put(col_edges, "src,dst\n");
    std::string batch;
    int in_batch = 0;
    auto flush = [&] {
      if (in_batch == 0) return;
      Put(tm, absl::StrCat("{\"writes\":[", batch, "]}\n"));
      batch.clear();
      in_batch = 0;
      ++batches_;
    };
    // Sources are catalogued too (datasetProperties), so every start node is a known entity.
    for (int id = 0; id < layer_start_[kStaging]; ++id) {
      absl::StrAppend(&batch, in_batch ? "," : "", "{\"urn\":\"", datasets_[id].urn,
                      "\",\"aspect\":\"datasetProperties\",\"value\":{\"name\":\"",
                      datasets_[id].ol_name, "\"}}");
      if (++in_batch == o_.batch) flush();
    }
    for (int id = layer_start_[kStaging]; id < o_.datasets; ++id) {
      const Dataset& d = datasets_[id];
      Rng rng(o_.seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(id) * 31 + 7);
      for (int up : d.upstreams) {
        Put(edges, absl::StrCat(up, ",", id, ",", d.job >= 0 ? absl::StrCat(d.job) : "", "\n"));
        ++dataset_edges_;
      }
      // Column lineage: for each column, 1–3 upstream (dataset, column) pairs.
      std::vector<std::vector<std::pair<int, int>>> inputs(d.columns);
      for (int j = 0; j < d.columns; ++j) {
        double u = rng.Unit();
        const int want = u < 0.6 ? 1 : (u < 0.9 ? 2 : 3);
        for (int k = 0; k < want; ++k) {
          const int up = d.upstreams[k == 0 ? 0 : rng.Range(0, d.upstreams.size() - 1)];
          const Dataset& ud = datasets_[up];
          if (ud.columns == 0) continue;
          const int col = (rng.Unit() < 0.5 && j < ud.columns)
                              ? j
                              : static_cast<int>(rng.Range(0, ud.columns - 1));
          std::pair<int, int> p{up, col};
          if (std::find(inputs[j].begin(), inputs[j].end(), p) == inputs[j].end()) {
            inputs[j].push_back(p);
          }
        }
        for (auto [up, col] : inputs[j]) {
          Put(col_edges,
              absl::StrCat(datasets_[up].first_column + col, ",", d.first_column + j, "\n"));
          ++column_edges_;
        }
      }

      // OpenLineage RunEvent.
      std::string ev = absl::StrCat(
          "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2024-05-01T02:", absl::StrCat(10 + id % 50),
          ":00.000Z\",\"run\":{\"runId\":\"", RunId(rng), "\"},\"job\":{\"namespace\":\"",
          d.layer == kDashboards ? "looker" : "dbt", "\",\"name\":\"", JobName(id),
          "\"},\"inputs\":[");
      for (size_t k = 0; k < d.upstreams.size(); ++k) {
        const Dataset& ud = datasets_[d.upstreams[k]];
        absl::StrAppend(&ev, k ? "," : "", "{\"namespace\":\"", ud.ol_namespace, "\",\"name\":\"",
                        ud.ol_name, "\",\"facets\":{", SchemaFacet(d.upstreams[k]), "}}");
      }
      absl::StrAppend(&ev, "],\"outputs\":[{\"namespace\":\"", d.ol_namespace, "\",\"name\":\"",
                      d.ol_name, "\",\"facets\":{");
      if (d.columns > 0) {
        absl::StrAppend(&ev, SchemaFacet(id), ",\"columnLineage\":{\"_producer\":\"", kProducer,
                        "\",\"_schemaURL\":\"https://openlineage.io/spec/facets/1-2-0/"
                        "ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet\","
                        "\"fields\":{");
        for (int j = 0; j < d.columns; ++j) {
          absl::StrAppend(&ev, j ? "," : "", "\"", ColumnOf(id, j), "\":{\"inputFields\":[");
          const char* subtype =
              inputs[j].size() == 1 ? (j % 4 == 0 ? "TRANSFORMATION" : "IDENTITY") : "AGGREGATION";
          for (size_t k = 0; k < inputs[j].size(); ++k) {
            const auto [up, col] = inputs[j][k];
            absl::StrAppend(
                &ev, k ? "," : "", "{\"namespace\":\"", datasets_[up].ol_namespace,
                "\",\"name\":\"", datasets_[up].ol_name, "\",\"field\":\"", ColumnOf(up, col),
                "\",\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"", subtype, "\"}]}");
          }
          absl::StrAppend(&ev, "]}");
        }
        absl::StrAppend(&ev, "}}");
      }
      absl::StrAppend(&ev, "}}],\"producer\":\"", kProducer,
                      "\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/"
                      "OpenLineage.json#/$defs/RunEvent\"}\n");
      Put(ol, ev);

      // tidemark upstreamLineage aspect.
      std::string value = "{\"upstreams\":[";
      for (size_t k = 0; k < d.upstreams.size(); ++k) {
        absl::StrAppend(&value, k ? "," : "", "{\"dataset\":\"", datasets_[d.upstreams[k]].urn,
                        "\",\"type\":\"TRANSFORMED\"");
        if (d.job >= 0) absl::StrAppend(&value, ",\"job\":\"", JobUrn(id), "\"");
        absl::StrAppend(&value, "}");
      }
      absl::StrAppend(&value, "]");
      if (d.columns > 0) {
        absl::StrAppend(&value, ",\"fineGrainedLineages\":[");
        for (int j = 0; j < d.columns; ++j) {
          absl::StrAppend(&value, j ? "," : "", "{\"upstreams\":[");
          for (size_t k = 0; k < inputs[j].size(); ++k) {
            absl::StrAppend(&value, k ? "," : "", "\"",
                            SchemaFieldUrn(inputs[j][k].first, inputs[j][k].second), "\"");
          }
          absl::StrAppend(
              &value, "],\"downstreams\":[\"", SchemaFieldUrn(id, j),
              "\"],\"transformationType\":\"",
              inputs[j].size() == 1 ? (j % 4 == 0 ? "TRANSFORMATION" : "IDENTITY") : "AGGREGATION",
              "\"}");
        }
        absl::StrAppend(&value, "]");
      }
      absl::StrAppend(&value, "}");
      absl::StrAppend(&batch, in_batch ? "," : "", "{\"urn\":\"", d.urn,
                      "\",\"aspect\":\"upstreamLineage\",\"value\":", value, "}");
      if (++in_batch == o_.batch) flush();
    }
    flush();
    std::fclose(edges);
    std::fclose(col_edges);
    std::fclose(ol);
    std::fclose(tm);
  }

  // The query start nodes, drawn without replacement with a fixed seed.
  void WriteStarts() const {
    Rng rng(o_.seed * 7919 + 12345);
    std::vector<int> ids;
    for (int k = 0; k < 200 && k < o_.datasets; ++k) {
      int id;
      do {
        id = static_cast<int>(rng.Range(0, o_.datasets - 1));
      } while (std::find(ids.begin(), ids.end(), id) != ids.end());
      ids.push_back(id);
    }
    std::FILE* f = OpenOut(o_.out / "starts.csv");
    Put(f, "id,urn\n");
    for (int id : ids) Put(f, absl::StrCat(id, ",\"", datasets_[id].urn, "\"\n"));
    std::fclose(f);
    // Columns: a random dataset that has columns, then a random column of it.
    f = OpenOut(o_.out / "start_columns.csv");
    Put(f, "id,urn\n");
    for (int k = 0; k < 200; ++k) {
      int id;
      do {
        id = static_cast<int>(rng.Range(0, o_.datasets - 1));
      } while (datasets_[id].columns == 0);
      const int j = static_cast<int>(rng.Range(0, datasets_[id].columns - 1));
      Put(f, absl::StrCat(datasets_[id].first_column + j, ",\"", SchemaFieldUrn(id, j), "\"\n"));
    }
    std::fclose(f);
  }

  void PrintSummary() const {
    // Longest path: ids are a topological order (upstreams always have smaller ids).
    std::vector<int> depth(o_.datasets, 0);
    int longest = 0;
    size_t max_fan_in = 0;
    std::vector<int> fan_out(o_.datasets, 0);
    for (int id = 0; id < o_.datasets; ++id) {
      for (int up : datasets_[id].upstreams) {
        depth[id] = std::max(depth[id], depth[up] + 1);
        ++fan_out[up];
      }
      longest = std::max(longest, depth[id]);
      max_fan_in = std::max(max_fan_in, datasets_[id].upstreams.size());
    }
    std::printf(
        "lineage_gen: %d datasets (raw %d, staging %d, marts %d, dashboards %d), %d domains, %d "
        "jobs, %zu dataset edges, %d columns, %zu column edges, longest path %d, max fan-in %zu, "
        "max fan-out %d, %d batches -> %s\n",
        o_.datasets, layer_start_[1] - layer_start_[0], layer_start_[2] - layer_start_[1],
        layer_start_[3] - layer_start_[2], layer_start_[4] - layer_start_[3], domains_, jobs_,
        dataset_edges_, columns_, column_edges_, longest, max_fan_in,
        *std::max_element(fan_out.begin(), fan_out.end()), batches_, o_.out.string().c_str());
  }

  static constexpr const char* kProducer = "https://github.com/tidemark/tidemark/tree/main/bench";
  Options o_;
  std::vector<Dataset> datasets_;
  int layer_start_[5] = {};
  int domains_ = 0;
  int columns_ = 0;
  int jobs_ = 0;
  int batches_ = 0;
  size_t dataset_edges_ = 0;
  size_t column_edges_ = 0;
  std::vector<std::vector<std::vector<int>>> by_domain_;  // layer -> domain -> ids
};

}  // namespace
}  // namespace tidemark::bench

int main(int argc, char** argv) {
  tidemark::bench::Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--size") {
      options.datasets = value == "large" ? 1000000 : (value == "medium" ? 100000 : 10000);
    } else if (flag == "--datasets") {
      options.datasets = std::max(100, std::atoi(value.c_str()));
    } else if (flag == "--out") {
      options.out = value;
    } else if (flag == "--seed") {
      options.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else if (flag == "--batch") {
      options.batch = std::clamp(std::atoi(value.c_str()), 1, 10000);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (options.out.empty()) {
    std::fprintf(stderr,
                 "usage: lineage_gen (--size small|medium|large | --datasets N) --out DIR "
                 "[--seed 1] [--batch 500]\n");
    return 2;
  }
  tidemark::bench::Generator(options).Run();
  return 0;
}
