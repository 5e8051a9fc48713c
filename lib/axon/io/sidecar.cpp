#include "axon/io/sidecar.hpp"

#include "axon/io/json.hpp"

namespace axon {

std::string sidecar_path(const std::string& output_path) {
  for (const char* ext : {".nii.gz", ".nii", ".tsv.gz", ".tsv", ".png", ".html", ".vtk", ".vtp", ".stl", ".obj", ".ply"}) {
    std::string e(ext);
    if (output_path.size() > e.size() && output_path.compare(output_path.size() - e.size(), e.size(), e) == 0)
      return output_path.substr(0, output_path.size() - e.size()) + ".json";
  }
  // A JSON output cannot share its sidecar's name: x.json -> x.sidecar.json.
  const std::string json = ".json";
  if (output_path.size() > json.size() && output_path.compare(output_path.size() - json.size(), json.size(), json) == 0)
    return output_path.substr(0, output_path.size() - json.size()) + ".sidecar.json";
  return output_path + ".json";
}

void write_sidecar(OutputSet& outputs, const std::string& output_path, const cli::Context& ctx,
                   const nlohmann::json& extra) {
  nlohmann::json j = extra;
  j["Provenance"] = ctx.provenance();
  write_json(j, outputs.add(sidecar_path(output_path)));
}

}  // namespace axon
