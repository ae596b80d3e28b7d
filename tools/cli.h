// The command table of the `tidemark` CLI. Each area adds its subcommands through Add<Area>Commands
// (serve and the catalog clients in tidemark_main.cc, lineage, glossary, ingest, sql in their own
// cli_<area>.cc) and registers what to run when a subcommand was given. Nested groups such as
// `tidemark ingest dbt` are shared between areas through Group().
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tidemark::tools {

class CommandTable {
 public:
  explicit CommandTable(CLI::App& root) : root_(root) {}

  // Gets or creates a group subcommand, e.g. Group("ingest", "Ingest metadata from a source").
  CLI::App* Group(const std::string& name, const std::string& description) {
    auto it = groups_.find(name);
    if (it != groups_.end()) return it->second;
    CLI::App* group = root_.add_subcommand(name, description);
    group->require_subcommand(1);
    groups_[name] = group;
    return group;
  }
  // Registers `run` for `command` (returns the process exit code).
  void OnRun(CLI::App* command, std::function<int()> run) {
    runners_.emplace_back(command, std::move(run));
  }
  // Adds the standard --server option to `command`.
  void AddServerOption(CLI::App* command) {
    command->add_option("--server", server_url_, "Server URL (default http://127.0.0.1:8080)");
  }
  const std::string& server_url() const { return server_url_; }
  CLI::App& root() { return root_; }

  // Runs the parsed command; 2 if none matched.
  int Run() const {
    for (const auto& [command, run] : runners_) {
      if (command->parsed()) return run();
    }
    return 2;
  }

 private:
  CLI::App& root_;
  std::map<std::string, CLI::App*> groups_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners_;
  std::string server_url_ = "http://127.0.0.1:8080";
};

}  // namespace tidemark::tools
