#pragma once
// JSON sidecars: every output image or table gets one, with provenance
// (tool, version, commit, command line, parameters, inputs and SHA-256).
#include <string>

#include <nlohmann/json.hpp>

#include "axon/core/atomic_output.hpp"
#include "axon/core/command.hpp"

namespace axon {

// "x.nii.gz" / "x.nii" / "x.tsv" / "x.vtk" / "x.stl" ... -> "x.json"; "x.json" -> "x.sidecar.json".
std::string sidecar_path(const std::string& output_path);

// Adds the sidecar of `output_path` to `outputs` and writes it (to its
// temporary): ctx.provenance() plus the entries of `extra`.
void write_sidecar(OutputSet& outputs, const std::string& output_path, const cli::Context& ctx,
                   const nlohmann::json& extra = nlohmann::json::object());

}  // namespace axon
