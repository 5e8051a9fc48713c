#include "axon/io/template_registry.hpp"

#include <algorithm>
#include <filesystem>

#include "axon/core/error.hpp"
#include "axon/core/input_names.hpp"
#include "axon/io/json.hpp"
#include "axon/io/manifest_folders.hpp"

#ifndef AXON_TEMPLATE_DIR
#define AXON_TEMPLATE_DIR "templates"
#endif

namespace axon {
namespace fs = std::filesystem;

std::vector<std::string> template_search_path() {
  return manifest_search_path("AXON_TEMPLATE_PATH", "templates", AXON_TEMPLATE_DIR);
}

namespace {

TemplateManifest parse_manifest(const std::string& path) {
  const nlohmann::json j = read_json(path);
  TemplateManifest m;
  try {
    m.name = j.at("name").get<std::string>();
    m.image = j.at("image").get<std::string>();
    m.description = j.value("description", "");
    m.space = j.value("space", "");
    m.contents = j.value("contents", "");
    m.package = j.value("package", "");
    m.sha256 = j.value("sha256", "");
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, std::string("invalid template manifest: ") + e.what());
  }
  // A relative image path is relative to the manifest's folder.
  if (fs::path(m.image).is_relative()) m.image = (fs::path(path).parent_path() / m.image).string();
  m.manifest_path = path;
  return m;
}

}  // namespace

std::vector<TemplateManifest> list_templates() {
  return first_of_each_name<TemplateManifest>(manifest_files(template_search_path()), parse_manifest);
}

TemplateManifest find_template(const std::string& name) {
  TemplateManifest m = named(list_templates(), name, "template", "or give the path of an image");
  verify_manifest_image("template", name, m.image, m.package, m.sha256, m.manifest_path);
  return m;
}

std::optional<std::string> template_image_for(const std::string& given) {
  // A name is one path component; anything with a slash or an image
  // extension is a path and never looked up.
  if (given.empty() || given.find('/') != std::string::npos || given.find(".nii") != std::string::npos) return {};
  const auto all = list_templates();
  if (std::none_of(all.begin(), all.end(), [&](const TemplateManifest& m) { return m.name == given; })) return {};
  return find_template(given).image;
}

void accept_template_names() { cli::set_input_name_resolver(template_image_for); }

}  // namespace axon
