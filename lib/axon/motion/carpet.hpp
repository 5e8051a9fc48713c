#pragma once
// The carpet plot of a BOLD run (Power 2017, NeuroImage 154:150, "A simple
// but useful way to assess fMRI scan qualities"): every voxel of a mask as
// one grey row over time (its series demeaned and divided by its sd, shown
// on [-2, 2]), rows in mask order (slice by slice), with the framewise
// displacement and DVARS traces drawn above it on the same time axis.
#include <Eigen/Core>

#include "axon/report/raster.hpp"

namespace axon::motion {

struct CarpetOptions {
  int max_rows = 600;        // voxels beyond this are subsampled evenly
  int min_width = 600;       // pixels; each volume is at least one column
  int trace_height = 90;     // pixels per trace panel
  double fd_threshold = 0.5;     // drawn as a red line on the FD panel
  double dvars_threshold = 1.5;  // on the std_dvars panel
};

// `series`: mask voxels x volumes; `fd` and `std_dvars`: one value per
// volume (NaN where undefined, e.g. volume 0). Layout, top to bottom: the
// FD panel (0 to max(FD, threshold)), the std_dvars panel, the carpet.
Raster carpet_plot(const Eigen::MatrixXf& series, const Eigen::VectorXd& fd, const Eigen::VectorXd& std_dvars,
                   const CarpetOptions& options = {});

}  // namespace axon::motion
