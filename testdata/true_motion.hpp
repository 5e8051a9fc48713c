#pragma once
// Known rigid head motion per volume, in the convention of
// axon/image/rigid.hpp (volume 0 is the reference: all zeros).
#include <cstdint>
#include <string>
#include <vector>

#include "axon/core/random.hpp"
#include "axon/image/rigid.hpp"

namespace axon::testdata {

enum class MotionKind {
  none,   // the head never moves
  jumps,  // a slow smooth drift plus sudden steps at a few volumes
};
MotionKind parse_motion_kind(const std::string& name);  // "none" | "jumps"
const char* motion_kind_name(MotionKind kind);

struct MotionTruth {
  std::vector<RigidParams> params;       // one per volume
  std::vector<int64_t> jump_volumes;     // ascending: the head moved between volume v-1 and v
  std::vector<RigidParams> jump_steps;   // the step added at each jump volume
};

// Slow drift: per parameter, two cosines with periods of 0.5 to 2 run
// lengths and random phases, amplitudes 0.1 mm / 0.1 degree each, shifted so
// that volume 0 is zero; it moves at most 0.8 pi / volumes mm or degree per
// volume (0.025 for 100 volumes), far less than a jump.
// Jumps (`kind` jumps): `jumps` distinct volumes in [1, volumes-1], at
// least 3 volumes apart; each step has a random-direction translation of
// norm U[0.5, 2] mm and adds a random-axis vector of norm U[0.5, 2] degrees
// to (rot_x, rot_y, rot_z); the head stays where the step put it.
MotionTruth make_true_motion(int64_t volumes, MotionKind kind, int jumps, Rng& rng);

}  // namespace axon::testdata
