#pragma once
// What axon-register run does, as one value: stages, metric, resolution
// schedules, initialisation. Defaults follow ANTs' (antsRegistrationSyN.sh):
// shrink 8/4/2/1 with smoothing 3/2/1/0 voxels, Mattes MI with 32 bins on
// 25 % of the voxels (regular grid, seeded jitter) for the linear stages,
// SyN with local cross-correlation (radius 4 mm), gradient step 0.1, update
// field variance 3 voxels^2, total field variance 0; iterations capped
// (ANTs' 1000x500x250x100 and 100x70x50x20 lowered) so that a 2 mm head
// registers to a 2 mm template in well under a minute on two cores.
#include <cstdint>
#include <string>
#include <vector>

#include "axon/image/grid.hpp"

namespace axon::registration {

enum class Stage { rigid, affine, syn };
enum class Metric { mattes, correlation, mean_squares };  // of the linear stages
enum class Initialisation { centre, moments, none };

// One resolution level: the virtual grid shrunk by the integer factor
// `shrink` along each axis, both images smoothed with a Gaussian of sigma
// `smoothing` voxels (of their full-resolution grids), at most `iterations`
// optimiser iterations.
struct Level {
  unsigned shrink = 1;
  double smoothing = 0;
  unsigned iterations = 0;
};

struct RegistrationOptions {
  std::vector<Stage> stages{Stage::rigid, Stage::affine, Stage::syn};
  Metric metric = Metric::mattes;
  Initialisation initialisation = Initialisation::moments;
  std::uint64_t seed = 42;  // metric sampling
  // Iteration caps per ANTs level (shrink 8, 4, 2, 1), for the schedules
  // default_*_levels make (levels left out for a small image drop theirs).
  std::vector<unsigned> linear_iterations{100, 100, 50, 25};
  std::vector<unsigned> syn_iterations{100, 70, 20, 5};
  // Linear stages.
  std::vector<Level> linear_levels;  // empty: default_linear_levels(fixed grid, linear_iterations)
  double sampling_fraction = 0.25;   // of the voxels of each level (regular grid, jittered)
  std::uint64_t max_samples = 60000; // per level (caps the fraction on large grids)
  unsigned histogram_bins = 32;      // Mattes MI
  // SyN.
  std::vector<Level> syn_levels;     // empty: default_syn_levels(fixed grid, syn_iterations)
  // Levels at or coarser than this spacing (mm) run on the images brought
  // to it (coarse_grid.hpp); SyN goes no finer. 0: every level on the full
  // images, as ANTs.
  double grid_spacing_mm = 2;
  double cc_radius_mm = 4;           // neighbourhood of the local correlation (at least 1 voxel)
  double syn_gradient_step = 0.1;    // voxels of the level per iteration (ITK's SyN learning rate)
  double update_field_variance = 3;  // voxels^2
  double total_field_variance = 0;   // voxels^2
};

// "rigid,affine,syn" (any non-empty subsequence of rigid, affine, syn, in
// that order); UsageError otherwise.
std::vector<Stage> parse_stages(const std::string& text);
Metric parse_metric(const std::string& text);                  // mi | cc | ms
Initialisation parse_initialisation(const std::string& text);  // centre | moments | none
const char* stage_name(Stage stage);
const char* metric_name(Metric metric);

// ANTs' schedule (shrink 8/4/2/1, smoothing 3/2/1/0 voxels) without the
// levels at which the shortest axis of the shrunk grid would have fewer
// than 12 voxels (a small or coarse image gets fewer levels), with the
// given iteration caps for the four levels (coarse to fine).
// A level of shrink `shrink` fits a grid whose shortest axis has
// `shortest` voxels: the shrunk axis keeps at least 12 voxels (shrink 1
// always fits).
bool level_fits(int64_t shortest, unsigned shrink);

std::vector<Level> default_linear_levels(const Grid& fixed, const std::vector<unsigned>& iterations = {100, 100, 50, 25});
std::vector<Level> default_syn_levels(const Grid& fixed, const std::vector<unsigned>& iterations = {100, 70, 20, 5});

// `levels` (of a grid) split at a grid `factor` (a power of two) times
// coarser: `coarse` holds the levels at shrink >= factor at the same
// physical resolution on that grid (shrink and smoothing divided by
// `factor`), `fine` the others as they are.
struct SplitLevels {
  std::vector<Level> coarse, fine;
};
SplitLevels split_levels(const std::vector<Level>& levels, unsigned factor);

// "100x70x40x5": four iteration caps, coarse to fine (UsageError naming
// `option` otherwise).
std::vector<unsigned> parse_iterations(const std::string& text, const std::string& option);

// "S/s/I,S/s/I,..." in --help and sidecars.
std::string describe_levels(const std::vector<Level>& levels);

}  // namespace axon::registration
