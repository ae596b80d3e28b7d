// Front matter parsing with yaml-cpp; see front_matter.h.
#include "ingest/repo/front_matter.h"

#include <yaml-cpp/yaml.h>

#include "ingest/runs/str_util.h"

namespace tidemark::ingest {
namespace {

bool IsFence(std::string_view line) {
  line = Trim(line);
  return line == "---" || line == "-- ---";
}

std::vector<std::string> StringOrList(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) out.push_back(item.as<std::string>());
    }
  }
  return out;
}

absl::Status FillFrom(const std::string& yaml, FrontMatter& fm) {
  try {
    YAML::Node root = YAML::Load(yaml);
    if (root.IsNull()) return absl::OkStatus();
    if (!root.IsMap()) return absl::InvalidArgumentError("front matter is not a YAML mapping");
    for (const auto& kv : root) {
      const std::string key = Lower(kv.first.as<std::string>());
      const YAML::Node& v = kv.second;
      if (key == "owner" || key == "owners") {
        for (auto& o : StringOrList(v)) fm.owners.push_back(std::move(o));
      } else if (key == "depends_on" || key == "depends-on") {
        fm.depends_on = StringOrList(v);
      } else if (key == "tags") {
        fm.tags = StringOrList(v);
      } else if (key == "description" && v.IsScalar()) {
        fm.description = v.as<std::string>();
      } else if (key == "schedule" && v.IsScalar()) {
        fm.schedule = v.as<std::string>();
      } else if (key == "name" && v.IsScalar()) {
        fm.name = v.as<std::string>();
      } else if (v.IsScalar()) {
        fm.extra[key] = v.as<std::string>();
      } else if (v.IsSequence()) {
        std::string joined;
        for (const auto& s : StringOrList(v)) joined += (joined.empty() ? "" : ",") + s;
        fm.extra[key] = joined;
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(Cat("front matter is not valid YAML: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FrontMatter> ParseFrontMatter(std::string_view text) {
  FrontMatter fm;
  fm.body = text;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  // Leading blank lines are allowed before the opening fence.
  size_t pos = 0;
  int line = 1;
  auto next_line = [&](std::string_view* out) {
    if (pos >= text.size()) return false;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    *out = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    return true;
  };
  std::string_view l;
  bool got = false;
  while ((got = next_line(&l)) && Trim(l).empty()) {
  }
  if (!got || !IsFence(l)) return fm;
  std::vector<std::string_view> lines;
  bool closed = false;
  while (next_line(&l)) {
    if (IsFence(l)) {
      closed = true;
      break;
    }
    lines.push_back(l);
  }
  if (!closed) return absl::InvalidArgumentError("front matter opened with --- is not closed");
  bool commented = !lines.empty();
  for (std::string_view x : lines) {
    std::string_view t = Trim(x);
    if (!t.empty() && t.substr(0, 2) != "--") commented = false;
  }
  std::string yaml;
  for (std::string_view x : lines) {
    if (commented) {
      x = Trim(x);
      x.remove_prefix(std::min<size_t>(2, x.size()));
      if (!x.empty() && x.front() == ' ') x.remove_prefix(1);
    }
    yaml.append(x);
    yaml.push_back('\n');
  }
  fm.present = true;
  if (absl::Status s = FillFrom(yaml, fm); !s.ok()) return s;
  fm.body = pos >= text.size() ? std::string_view() : text.substr(pos);
  fm.body_first_line = line;
  return fm;
}

}  // namespace tidemark::ingest
