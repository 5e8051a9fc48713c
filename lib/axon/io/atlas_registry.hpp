#pragma once
// The atlas registry: one JSON manifest per atlas in atlases/ (name,
// description, space, where the image is found on the system, label table,
// number of labels, SHA-256, the Debian package that ships it). Atlases are
// looked up by name (`--atlas aal`) or used from a path.
#include <string>
#include <vector>

#include "axon/io/label_table.hpp"

namespace axon {

struct AtlasManifest {
  std::string name, description, space, image, labels, package, sha256, name_prefix;
  int n_labels = 0;
  std::string manifest_path;
};

// Folders searched for manifests: $AXON_ATLAS_PATH (colon-separated), then
// <prefix>/share/axon/atlases beside an installed executable, else the source
// tree's atlases/ folder (core/install_layout.hpp).
std::vector<std::string> atlas_search_path();
std::vector<AtlasManifest> list_atlases();
// Throws InputError for an unknown name (listing the known ones), a missing
// image (naming the package to install) or a checksum mismatch.
AtlasManifest find_atlas(const std::string& name);
// The label table of an atlas (from its file, or generated names).
LabelTable atlas_labels(const AtlasManifest& atlas);

}  // namespace axon
