#pragma once
// The confound-cleaning options of axon-connectivity, declared once for
// every subcommand that cleans BOLD series (roi, voxel): confounds and
// strategy, filter, detrending, scaling, dummy scans and censoring. Their
// meaning is docs/axon-connectivity.md's; the cleaning itself is
// lib/axon/signal/clean.hpp.
#include <Eigen/Core>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "axon/connectivity/censoring.hpp"
#include "axon/core/command.hpp"
#include "axon/image/header.hpp"
#include "axon/signal/clean.hpp"

struct CleaningPlan {
  axon::signal::CleanOptions clean;  // keep: one flag per volume after the dummy scans
  axon::connectivity::CensorOptions censor;
  std::vector<axon::connectivity::CensorReason> reasons;  // one per volume of the run
  Eigen::MatrixXd confounds;                              // volumes after the dummy scans x columns
  std::vector<std::string> confound_columns;
  std::vector<std::string> derived_columns;  // computed from base columns the table has (sidecar, stderr)
  std::string strategy;
  long volumes = 0, first = 0, kept = 0;  // first: volumes dropped as dummy scans
  // The cleaning settings as sidecar parameters.
  nlohmann::json parameters(const axon::cli::Args& args) const;
};

// Declares the options on `command`.
axon::cli::Command& add_cleaning_options(axon::cli::Command& command);

// Validates the options against the BOLD header and reads the confounds.
// Everything that can be refused is refused here, before the long read.
// `need_tr`: the caller needs a repetition time even without filtering.
CleaningPlan plan_cleaning(const axon::cli::Args& args, const axon::ImageHeader& header, const std::string& bold,
                           bool need_tr);
