#pragma once
// The folders of a registry of JSON manifests (atlases/, templates/) and the
// manifests in them, in one place so that every registry searches the same
// way: the folders of an environment variable (colon-separated) first, then
// <prefix>/share/axon/<what> beside an installed executable, else the source
// tree's folder compiled in by CMake (core/install_layout.hpp).
#include <algorithm>
#include <string>
#include <vector>

#include "axon/core/error.hpp"

namespace axon {

std::vector<std::string> manifest_search_path(const char* environment_variable, const std::string& what,
                                              const std::string& build_tree_dir);

// The *.json files of each folder (folders that do not exist are skipped),
// sorted within a folder, folders in the order given (an earlier folder's
// manifest of a name wins over a later one's: the caller keeps the first).
std::vector<std::string> manifest_files(const std::vector<std::string>& folders);

// The manifests parsed from `files`, the first of each name kept.
template <class Manifest, class Parse>
std::vector<Manifest> first_of_each_name(const std::vector<std::string>& files, Parse parse) {
  std::vector<Manifest> out;
  for (const auto& f : files) {
    Manifest m = parse(f);
    if (std::none_of(out.begin(), out.end(), [&](const Manifest& o) { return o.name == m.name; })) out.push_back(m);
  }
  return out;
}

// The manifest called `name`; InputError listing the known names otherwise
// ("unknown <kind> 'x' (known <kind>s: a, b; <alternative>)").
template <class Manifest>
Manifest named(const std::vector<Manifest>& all, const std::string& name, const std::string& kind,
               const std::string& alternative) {
  std::string known;
  for (const auto& m : all) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw InputError("", "unknown " + kind + " '" + name + "' (known " + kind + "s: " +
                           (known.empty() ? "none found" : known) + "; " + alternative + ")");
}

// The image a manifest names, checked before use: throws InputError naming
// the image when it is missing (naming the Debian package that ships it) or
// when its SHA-256 differs from the manifest's (an empty checksum is not
// checked). `kind` ("atlas", "template") and `name` word the message.
void verify_manifest_image(const std::string& kind, const std::string& name, const std::string& image,
                           const std::string& package, const std::string& sha256, const std::string& manifest_path);

}  // namespace axon
