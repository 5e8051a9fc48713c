#pragma once
// The confounds table of a BOLD run with fMRIPrep's column names, so that
// it can stand in for fMRIPrep's desc-confounds_timeseries.tsv, built from
// the realignment parameters and the realigned series. Column definitions:
// docs/axon-motion.md.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/io/tsv.hpp"
#include "axon/motion/compcor.hpp"
#include "axon/motion/dvars.hpp"
#include "axon/motion/framewise.hpp"

namespace axon::motion {

struct ConfoundSettings {
  double head_radius_mm = 50.0;   // FD (Power 2012)
  double rms_radius_mm = 80.0;    // rmsd (Jenkinson 1999, FSL's value)
  double fd_threshold_mm = 0.5;   // motion_outlier: FD above this ...
  double dvars_threshold = 1.5;   // ... or std_dvars above this (fMRIPrep's rule)
  int64_t non_steady_volumes = 0;  // leading volumes flagged non_steady_state_outlier_XX
};

// Tissue signals, present when the masks were given.
struct TissueSignals {
  Eigen::VectorXd white_matter;  // mean over the WM mask, per volume
  Eigen::VectorXd csf;           // mean over the CSF mask, per volume
  std::optional<CompCorResult> acompcor;
};

struct MotionConfounds {
  Table table;
  Eigen::VectorXd framewise_displacement;
  std::vector<int64_t> motion_outliers;  // volumes over either threshold
  std::vector<int64_t> fd_outliers, dvars_outliers;
};

// Columns, in order: trans_x..rot_z, then per parameter _derivative1,
// _power2, _derivative1_power2 (fMRIPrep's grouping), framewise_displacement,
// rmsd, dvars, std_dvars, global_signal, [white_matter, csf,
// a_comp_cor_XX], non_steady_state_outlier_XX, motion_outlier_XX.
MotionConfounds build_confounds(const ParameterSeries& params, const DvarsResult& dvars,
                                const TissueSignals& tissue, const ConfoundSettings& settings);

// The --json summary: mean FD, volumes over the thresholds (count and
// percent of the volumes that have an FD), the largest displacement from
// volume 0 (translation norm and rotation, and the largest FD).
nlohmann::json motion_summary(const ParameterSeries& params, const MotionConfounds& confounds,
                              const ConfoundSettings& settings);

// The mean over the mask rows of a voxels x volumes matrix, per volume.
Eigen::VectorXd mean_signal(const Eigen::MatrixXf& series);

}  // namespace axon::motion
