#include <iostream>

#include "axon/io/template_registry.hpp"
#include "commands.hpp"

using namespace axon::cli;

axon::cli::Command templates_command() {
  return Command("templates", "list the templates of the registry (reference anatomies), or check one by name")
      .positional(optional_argument("NAME", ValueKind::text, "a template to look up and verify (image present, checksum)"))
      .description("A template's name is accepted wherever axon-image, axon-segment and axon-register take an input "
                "image (when no file of that name exists): axon-register run colin27-brain t1_brain.nii.gz ...")
      .run([](const Args& args, Context& ctx) {
        nlohmann::json list = nlohmann::json::array();
        auto report = [&](const axon::TemplateManifest& m) {
          list.push_back({{"name", m.name}, {"description", m.description}, {"space", m.space},
                          {"contents", m.contents}, {"image", m.image}, {"package", m.package},
                          {"manifest", m.manifest_path}});
          if (!ctx.json) std::cout << m.name << "\t" << m.contents << "\t" << m.space << "\t" << m.image << "\n";
        };
        if (args.has("NAME")) {
          report(axon::find_template(args.text("NAME")));
        } else {
          for (const auto& m : axon::list_templates()) report(m);
        }
        ctx.summary = {{"templates", list}};
      });
}
