#pragma once
// Shared by the learn/ tests: raw float32 files exchanged with the Python
// reference (tests/learn/sliding_window_reference.py), and running it.
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/sliding_window.hpp"
#include "common/python_peer.hpp"

namespace axon::test {

inline std::vector<float> read_floats(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> v(static_cast<std::size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  return v;
}

// A case for the reference script: input (C, Z, Y, X), patch (z, y, x).
struct ReferenceCase {
  std::string kind = "sigmoid_regions";
  int64_t c = 4, z = 0, y = 0, x = 0;
  int64_t pz = 0, py = 0, px = 0;
  std::vector<int> mirror{0, 1, 2};
  int members = 2, channels_out = 3, width = 8;
  bool reference = true;  // false: only models, card and input
};

// Runs the script into `dir`; true on success.
inline bool run_reference(const ScratchDir& dir, const ReferenceCase& r) {
  std::string args = "'" + dir.str() + "' --kind " + r.kind + " --shape " + std::to_string(r.c) + " " +
                     std::to_string(r.z) + " " + std::to_string(r.y) + " " + std::to_string(r.x) + " --patch " +
                     std::to_string(r.pz) + " " + std::to_string(r.py) + " " + std::to_string(r.px) + " --members " +
                     std::to_string(r.members) + " --channels-out " + std::to_string(r.channels_out) + " --width " +
                     std::to_string(r.width) + " --mirror";
  for (int a : r.mirror) args += " " + std::to_string(a);
  if (!r.reference) args += " --no-reference";
  return run_peer("learn/sliding_window_reference.py", args);
}

inline learn::TensorVolume read_input(const ScratchDir& dir, const ReferenceCase& r) {
  learn::TensorVolume v(r.c, r.z, r.y, r.x);
  v.data = read_floats(dir / "input.bin");
  return v;
}

// Sliding-window options as a tool derives them from the card.
inline learn::SlidingWindowOptions options_from(const learn::ModelCard& card) {
  learn::SlidingWindowOptions o;
  o.patch_zyx = {card.patch_size[2], card.patch_size[1], card.patch_size[0]};
  o.mirror_axes_xyz = card.mirror_axes;
  o.output_kind = card.output_kind;
  o.channels_out = static_cast<int64_t>(card.outputs.size());
  o.want_uncertainty = true;
  return o;
}

}  // namespace axon::test
