// http_lineage_client: the HTTP side of the lineage comparison, over one keep-alive connection
// (server::HttpClient). Three modes:
//   --wait URL [--timeout 120]          polls GET /healthz until it answers 200; prints the seconds
//                                       it took (start-up time when run right after the server)
//   --url URL --ingest FILE [--tsv F]   POSTs every line of tidemark_batches.jsonl to
//                                       /api/v1/aspects:batch; prints the time and aspects/s
//   --url URL --data DIR [--tsv F] [--extra "&maxNodes=100000"]
//                                       GET
//                                       /api/v1/lineage/{urn}?direction=..&depth=..&level=dataset
//                                       from every start node of starts.csv, up and down, depths 1,
//                                       3, 5, 10 and unlimited (depth=-1); p50/p99 include reading
//                                       the whole JSON body. 404 (a dataset without lineage) counts
//                                       as an answer; any other non-200 status is reported.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "server/http_client.h"

namespace tidemark::bench {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "http_lineage_client: %s\n", what.c_str());
  std::exit(1);
}

std::unique_ptr<server::HttpClient> MustConnect(const std::string& url) {
  auto client = server::HttpClient::Connect(url);
  if (!client.ok()) Die(std::string(client.status().message()));
  return std::move(client).value();
}

int Wait(const std::string& url, double timeout_s) {
  Stopwatch clock;
  while (clock.Seconds() < timeout_s) {
    auto client = server::HttpClient::Connect(url);
    if (client.ok()) {
      auto response = (*client)->Request("GET", "/healthz");
      if (response.ok() && response->status == 200) {
        std::printf("%.3f\n", clock.Seconds());
        return 0;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::fprintf(stderr, "http_lineage_client: %s not ready after %.0f s\n", url.c_str(), timeout_s);
  return 1;
}

void AppendTsv(const std::string& tsv, const std::string& text) {
  if (tsv.empty()) return;
  std::ofstream out(tsv, std::ios::app);
  out << text;
}

int Ingest(const std::string& url, const std::string& file, const std::string& tsv) {
  auto client = MustConnect(url);
  client->SetDefaultHeader("X-Tidemark-Source", "openlineage");
  std::ifstream in(file);
  if (!in) Die("cannot read " + file);
  std::string line;
  size_t batches = 0, writes = 0;
  double bytes = 0;
  Stopwatch clock;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto response = client->Request("POST", "/api/v1/aspects:batch", line);
    if (!response.ok()) Die(std::string(response.status().message()));
    if (response->status != 200) {
      Die("batch " + std::to_string(batches) + ": HTTP " + std::to_string(response->status) + " " +
          response->body.substr(0, 500));
    }
    ++batches;
    bytes += static_cast<double>(line.size());
    for (size_t pos = 0; (pos = line.find("\"aspect\":", pos)) != std::string::npos; ++pos) {
      ++writes;
    }
  }
  const double seconds = clock.Seconds();
  std::printf("ingested %zu aspects in %zu batches (%.0f MiB) in %.2f s: %.0f aspects/s\n", writes,
              batches, bytes / (1 << 20), seconds, static_cast<double>(writes) / seconds);
  AppendTsv(tsv, "metric\thttp_ingest_s\t" + std::to_string(seconds) + "\n");
  return 0;
}

int Queries(const std::string& url, const std::string& data, const std::string& tsv,
            const std::string& extra) {
  std::vector<std::string> starts;
  ReadCsv(data + "/starts.csv", [&](const auto& f) {
    starts.push_back(server::PercentEncodePathSegment(std::string(f[1])));
  });
  if (starts.empty()) Die("no start nodes in " + data);
  auto client = MustConnect(url);
  auto get = [&](const std::string& target, double* bytes, int* errors) {
    auto response = client->Request("GET", target);
    if (!response.ok()) Die(std::string(response.status().message()));
    if (response->status != 200 && response->status != 404) {
      if (++*errors <= 3) {
        std::fprintf(stderr, "HTTP %d for %s: %s\n", response->status, target.c_str(),
                     response->body.substr(0, 300).c_str());
      }
    }
    *bytes += static_cast<double>(response->body.size());
  };
  double ignored_bytes = 0;
  int ignored_errors = 0;
  for (const std::string& s : starts) {  // warm-up
    get("/api/v1/lineage/" + s + "?direction=downstream&depth=-1&level=dataset" + extra,
        &ignored_bytes, &ignored_errors);
  }
  std::vector<std::vector<std::string>> table = {{"query", "mean body", "p50", "p99", "errors"}};
  std::string rows;
  for (const char* direction : {"upstream", "downstream"}) {
    for (int depth : {1, 3, 5, 10, -1}) {
      LatencySamples samples;
      double bytes = 0;
      int errors = 0;
      for (const std::string& s : starts) {
        const std::string target = "/api/v1/lineage/" + s + "?direction=" + direction +
                                   "&depth=" + std::to_string(depth) + "&level=dataset" + extra;
        Stopwatch clock;
        get(target, &bytes, &errors);
        samples.Add(clock.Micros());
      }
      const std::string query = std::string(direction[0] == 'u' ? "up " : "down ") +
                                (depth < 0 ? std::string("all") : "d" + std::to_string(depth));
      table.push_back({query, FormatCount(bytes / static_cast<double>(starts.size())) + " B",
                       FormatMicros(samples.Percentile(50)), FormatMicros(samples.Percentile(99)),
                       std::to_string(errors)});
      char line[256];
      std::snprintf(line, sizeof line, "tidemark HTTP\t%s\t%.1f\t%.1f\t%.1f\n", query.c_str(),
                    samples.Percentile(50), samples.Percentile(99),
                    bytes / static_cast<double>(starts.size()));
      rows += line;
    }
  }
  std::printf(
      "http_lineage_client: GET /api/v1/lineage from %zu start nodes, 1 keep-alive "
      "connection\n\n",
      starts.size());
  PrintTable(table);
  AppendTsv(tsv, rows);
  return 0;
}

}  // namespace
}  // namespace tidemark::bench

int main(int argc, char** argv) {
  std::string url, wait_url, ingest, data, tsv, extra;
  double timeout = 120;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--url") {
      url = value;
    } else if (flag == "--wait") {
      wait_url = value;
    } else if (flag == "--timeout") {
      timeout = std::atof(value.c_str());
    } else if (flag == "--ingest") {
      ingest = value;
    } else if (flag == "--data") {
      data = value;
    } else if (flag == "--tsv") {
      tsv = value;
    } else if (flag == "--extra") {
      extra = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (!wait_url.empty()) return tidemark::bench::Wait(wait_url, timeout);
  if (!url.empty() && !ingest.empty()) return tidemark::bench::Ingest(url, ingest, tsv);
  if (!url.empty() && !data.empty()) return tidemark::bench::Queries(url, data, tsv, extra);
  std::fprintf(stderr,
               "usage: http_lineage_client --wait URL | --url URL --ingest FILE | --url URL --data "
               "DIR [--tsv FILE] [--extra QUERY]\n");
  return 2;
}
