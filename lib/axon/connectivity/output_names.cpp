#include "axon/connectivity/output_names.hpp"

#include <cctype>
#include <filesystem>
#include <sstream>
#include <vector>

namespace axon::connectivity {

std::string bids_entities(const std::string& path) {
  std::string stem = std::filesystem::path(path).filename().string();
  for (const std::string ext : {".nii.gz", ".nii", ".gz"})
    if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0) {
      stem.resize(stem.size() - ext.size());
      break;
    }
  std::string out;
  std::istringstream parts(stem);
  std::string part;
  while (std::getline(parts, part, '_')) {
    const auto dash = part.find('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == part.size()) continue;  // a suffix such as "bold"
    if (part.compare(0, dash, "desc") == 0) continue;  // the input's description is not ours
    out += (out.empty() ? "" : "_") + part;
  }
  return out.empty() ? entity_value(stem) : out;
}

std::string atlas_entity_of_path(const std::string& path) {
  std::string stem = std::filesystem::path(path).filename().string();
  stem = stem.substr(0, stem.find('.'));
  std::istringstream parts(stem);
  std::string part;
  while (std::getline(parts, part, '_'))
    if (part.rfind("atlas-", 0) == 0 && part.size() > 6) return entity_value(part.substr(6));
  return entity_value(stem);
}

std::string entity_value(const std::string& name) {
  std::string out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
  return out.empty() ? "atlas" : out;
}

}  // namespace axon::connectivity
