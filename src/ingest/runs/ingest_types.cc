// Batch bodies for sending a Mapping over HTTP; see ingest_types.h.
#include "ingest/runs/ingest_types.h"

#include <boost/json.hpp>

#include "catalog/aspect_registry.h"

namespace tidemark::ingest {

std::vector<std::string> BatchBodies(const std::vector<MappedAspect>& aspects, size_t max_writes,
                                     size_t max_bytes) {
  std::vector<std::string> bodies;
  std::string current;
  size_t count = 0;
  auto flush = [&] {
    if (count == 0) return;
    current += "]}";
    bodies.push_back(std::move(current));
    current.clear();
    count = 0;
  };
  for (const MappedAspect& a : aspects) {
    std::string item = "{\"urn\":";
    item += boost::json::serialize(boost::json::string(a.urn.ToString()));
    item += ",\"aspect\":";
    item += boost::json::serialize(boost::json::string(a.aspect));
    item += ",\"value\":";
    item += catalog::AspectRegistry::ToJson(*a.value);
    item += "}";
    if (count > 0 && (count >= max_writes || current.size() + item.size() + 2 > max_bytes)) {
      flush();
    }
    current += count == 0 ? "{\"writes\":[" : ",";
    current += item;
    ++count;
  }
  flush();
  return bodies;
}

}  // namespace tidemark::ingest
