#pragma once
// What one stage did, for the sidecar and --json.
#include <string>
#include <vector>

namespace axon::registration {

struct StageReport {
  std::string stage;                  // "rigid", "affine", "syn"
  std::string method;                 // transform, metric, optimiser in words
  std::string levels;                 // describe_levels()
  std::vector<unsigned> iterations;   // per level, as run
  double metric_value = 0;            // at the end (ITK's sign: lower is better)
  double seconds = 0;
};

}  // namespace axon::registration
