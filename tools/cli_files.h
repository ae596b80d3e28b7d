// Reading the input files CLI commands are given. Header-only.
#pragma once

#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

namespace tidemark::tools {

// The whole file; nullopt after printing "tidemark: cannot read PATH" to `err`.
inline std::optional<std::string> ReadInputFile(const std::string& path, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "tidemark: cannot read " << path << "\n";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace tidemark::tools
