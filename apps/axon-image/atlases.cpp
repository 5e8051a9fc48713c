#include <iostream>

#include "axon/io/atlas_registry.hpp"
#include "commands.hpp"

using namespace axon::cli;

axon::cli::Command atlases_command() {
  return Command("atlases", "list the atlases of the registry, or check one by name")
      .positional(optional_argument("NAME", ValueKind::text, "an atlas to look up and verify (image present, checksum)"))
      .run([](const Args& args, Context& ctx) {
        nlohmann::json list = nlohmann::json::array();
        auto report = [&](const axon::AtlasManifest& m) {
          list.push_back({{"name", m.name}, {"description", m.description}, {"space", m.space}, {"image", m.image},
                          {"labels", m.labels}, {"n_labels", m.n_labels}, {"package", m.package},
                          {"manifest", m.manifest_path}});
          if (!ctx.json)
            std::cout << m.name << "\t" << m.n_labels << " labels\t" << m.space << "\t" << m.description << "\n";
        };
        if (args.has("NAME")) {
          report(axon::find_atlas(args.text("NAME")));
        } else {
          for (const auto& m : axon::list_atlases()) report(m);
        }
        ctx.summary = {{"atlases", list}};
      });
}
