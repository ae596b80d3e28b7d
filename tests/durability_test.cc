// Durability: a child `tidemark serve` is killed with SIGKILL while clients stream writes to it.
// After a restart on the same directory, every write the server acknowledged must be there, the
// change log must have no gaps, and the store must open cleanly.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "server/http_client.h"
#include "tests/testing/temp_dir.h"

namespace tidemark {
namespace {

namespace json = boost::json;

// A `tidemark serve` child process on an ephemeral port.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir, const std::string& log_path) {
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDERR_FILENO);
      dup2(fd, STDOUT_FILENO);
      execl(TIDEMARK_BINARY, TIDEMARK_BINARY, "serve", "--data-dir", data_dir.c_str(), "--listen",
            "127.0.0.1:0", "--threads", "2", static_cast<char*>(nullptr));
      _exit(127);
    }
    // The server prints "serving ... on http://127.0.0.1:PORT" once it accepts connections.
    std::regex serving("on (http://127\\.0\\.0\\.1:[0-9]+)");
    for (int i = 0; i < 600 && url_.empty(); ++i) {
      std::ifstream log(log_path);
      std::stringstream text;
      text << log.rdbuf();
      std::smatch m;
      std::string s = text.str();
      if (std::regex_search(s, m, serving)) url_ = m[1];
      if (url_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServerProcess() { Kill(SIGTERM); }
  void Kill(int signal) {
    if (pid_ <= 0) return;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

std::string DatasetUrn(int writer, int i) {
  return "urn:li:dataset:(urn:li:dataPlatform:trino,lake.durability.w" + std::to_string(writer) +
         "_t" + std::to_string(i) + ",PROD)";
}

TEST(DurabilityTest, EveryAcknowledgedWriteSurvivesSigkill) {
  testing::TempDir dir;
  std::string data_dir = (dir.path() / "db").string();
  std::string log = (dir.path() / "server.log").string();

  struct Ack {
    std::string urn;
    std::string description;
  };
  std::mutex mu;
  std::vector<Ack> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> attempts{0};
  {
    ServerProcess server(data_dir, log);
    ASSERT_FALSE(server.url().empty()) << "server did not start; see " << log;
    std::vector<std::thread> writers;
    for (int w = 0; w < 3; ++w) {
      writers.emplace_back([&, w] {
        auto client = server::HttpClient::Connect(server.url());
        if (!client.ok()) return;
        for (int i = 0; !stop; ++i) {
          std::string urn = DatasetUrn(w, i % 50);  // revisit URNs so versions pile up too
          std::string description = "w" + std::to_string(w) + "-" + std::to_string(i);
          ++attempts;
          auto r = (*client)->Request("PUT",
                                      "/api/v1/entities/" + server::PercentEncodePathSegment(urn) +
                                          "/aspects/datasetProperties",
                                      R"({"description":")" + description + R"("})",
                                      {{"X-Tidemark-User", "writer"}});
          if (!r.ok()) return;  // the server is gone
          if (r->status == 201) {
            std::lock_guard lock(mu);
            acknowledged.push_back({urn, description});
          }
        }
      });
    }
    // Let writes flow, then kill the server while requests are in flight.
    for (int i = 0; i < 400; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::lock_guard lock(mu);
      if (acknowledged.size() >= 300) break;
    }
    server.Kill(SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
  }
  ASSERT_GE(acknowledged.size(), 50u) << "too few writes before the kill to prove anything";
  std::cerr << "acknowledged " << acknowledged.size() << " of " << attempts
            << " attempted writes\n";

  // The last acknowledged description of each URN must be at least as new as what is stored:
  // since every acknowledged write is durable, the latest stored value is the last one acknowledged
  // for that URN, or a later one that was written but whose answer was lost to the kill.
  ServerProcess restarted(data_dir, log + ".2");
  ASSERT_FALSE(restarted.url().empty()) << "restart failed; see " << log << ".2";
  auto client = server::HttpClient::Connect(restarted.url());
  ASSERT_TRUE(client.ok());
  std::map<std::string, std::set<std::string>> history;
  for (const auto& ack : acknowledged) {
    if (history.contains(ack.urn)) continue;
    auto r =
        (*client)->Request("GET", "/api/v1/entities/" + server::PercentEncodePathSegment(ack.urn) +
                                      "/aspects/datasetProperties/history?limit=1000");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << ack.urn << " lost: " << r->body;
    auto& seen = history[ack.urn];
    json::value doc = json::parse(r->body);
    for (const auto& v : doc.at("versions").as_array()) {
      seen.insert(std::string(v.at("value").at("description").as_string()));
    }
  }
  for (const auto& ack : acknowledged) {
    EXPECT_TRUE(history[ack.urn].contains(ack.description))
        << ack.urn << " lost " << ack.description;
  }
  // The change log is gap-free and covers at least every acknowledged write.
  uint64_t since = 0, count = 0;
  while (true) {
    auto r =
        (*client)->Request("GET", "/api/v1/changes?limit=10000&since=" + std::to_string(since));
    ASSERT_TRUE(r.ok() && r->status == 200);
    auto events = json::parse(r->body).at("events").as_array();
    if (events.empty()) break;
    for (const auto& e : events) {
      EXPECT_EQ(e.at("seq").as_int64(), static_cast<int64_t>(since + 1));
      since = e.at("seq").as_int64();
      ++count;
    }
  }
  EXPECT_GE(count, acknowledged.size());
}

}  // namespace
}  // namespace tidemark
