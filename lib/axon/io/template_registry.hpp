#pragma once
// The template registry: one JSON manifest per template image in templates/
// (name, description, space, what it contains, where the image is found on
// the system, SHA-256, the Debian package that ships it), searched like the
// atlas registry ($AXON_TEMPLATE_PATH, then share/axon/templates beside an
// installed executable, else the source tree's templates/). A template is a
// reference anatomy to register to: `colin27` is the head the MNI-space
// atlases of the registry are drawn on (aal, brodmann), `colin27-brain` the
// same head skull-stripped. Tools accept a template's name wherever they take
// an input image path (Tool::resolve_input_names).
#include <optional>
#include <string>
#include <vector>

namespace axon {

struct TemplateManifest {
  std::string name, description, space, contents, image, package, sha256;
  std::string manifest_path;
};

std::vector<std::string> template_search_path();
std::vector<TemplateManifest> list_templates();
// Throws InputError for an unknown name (listing the known ones), a missing
// image (naming the package to install) or a checksum mismatch.
TemplateManifest find_template(const std::string& name);
// The checked image of the template called `given`, or nothing when no
// template has that name (then `given` is an ordinary path).
std::optional<std::string> template_image_for(const std::string& given);
// Installs template_image_for as the executable's input-name resolver
// (core/input_names.hpp): called first thing in main().
void accept_template_names();

}  // namespace axon
