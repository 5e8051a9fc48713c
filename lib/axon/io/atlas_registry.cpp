#include "axon/io/atlas_registry.hpp"

#include <filesystem>

#include "axon/core/error.hpp"
#include "axon/io/json.hpp"
#include "axon/io/manifest_folders.hpp"

#ifndef AXON_ATLAS_DIR
#define AXON_ATLAS_DIR "atlases"
#endif

namespace axon {
namespace fs = std::filesystem;

std::vector<std::string> atlas_search_path() {
  return manifest_search_path("AXON_ATLAS_PATH", "atlases", AXON_ATLAS_DIR);
}

namespace {
AtlasManifest parse_manifest(const std::string& path) {
  nlohmann::json j = read_json(path);
  AtlasManifest m;
  try {
    m.name = j.at("name").get<std::string>();
    m.description = j.value("description", "");
    m.space = j.value("space", "");
    m.image = j.at("image").get<std::string>();
    m.labels = j.value("labels", "");
    m.package = j.value("package", "");
    m.sha256 = j.value("sha256", "");
    m.name_prefix = j.value("name_prefix", "label_");
    m.n_labels = j.value("n_labels", 0);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("invalid atlas manifest: ") + e.what());
  }
  // Relative paths in a manifest are relative to the manifest's folder.
  fs::path dir = fs::path(path).parent_path();
  if (!m.labels.empty() && fs::path(m.labels).is_relative()) m.labels = (dir / m.labels).string();
  if (fs::path(m.image).is_relative()) m.image = (dir / m.image).string();
  m.manifest_path = path;
  return m;
}
}  // namespace

std::vector<AtlasManifest> list_atlases() {
  return first_of_each_name<AtlasManifest>(manifest_files(atlas_search_path()), parse_manifest);
}

AtlasManifest find_atlas(const std::string& name) {
  AtlasManifest m = named(list_atlases(), name, "atlas", "or give the path of a label image");
  verify_manifest_image("atlas", name, m.image, m.package, m.sha256, m.manifest_path);
  return m;
}

LabelTable atlas_labels(const AtlasManifest& atlas) {
  LabelTable table;
  if (!atlas.labels.empty()) table = read_label_table(atlas.labels);
  table.prefix = atlas.name_prefix;  // names for labels the table does not list
  return table;
}

}  // namespace axon
