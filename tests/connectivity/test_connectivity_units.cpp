// Censoring, confound selection and output names of lib/axon/connectivity.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "axon/connectivity/censoring.hpp"
#include "axon/connectivity/confounds.hpp"
#include "axon/connectivity/measures.hpp"
#include "axon/connectivity/output_names.hpp"
#include "axon/connectivity/sliding_window.hpp"
#include "axon/core/error.hpp"

namespace axon::connectivity {
namespace {

const double nan = std::nan("");

TEST(Censoring, ThresholdsDummyScansAndShortSegments) {
  CensorOptions o;
  o.dummy_scans = 2;
  o.fd_threshold = 0.5;
  o.std_dvars_threshold = 1.5;
  o.min_segment = 3;
  //                        0    1    2    3    4    5    6    7    8    9
  std::vector<double> fd = {nan, 0.1, 0.1, 0.9, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1};
  std::vector<double> dv = {nan, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0};
  const auto r = censor_volumes(10, fd, dv, o);
  EXPECT_EQ(r[0], CensorReason::dummy);
  EXPECT_EQ(r[1], CensorReason::dummy);
  EXPECT_EQ(r[2], CensorReason::short_segment);  // kept run 2..2 is shorter than 3
  EXPECT_EQ(r[3], CensorReason::fd);
  EXPECT_EQ(r[4], CensorReason::short_segment);  // 4..5
  EXPECT_EQ(r[6], CensorReason::dvars);
  for (int t = 7; t < 10; ++t) EXPECT_EQ(r[t], CensorReason::kept);
}

TEST(Censoring, NaNNeverCensors) {
  CensorOptions o;
  o.fd_threshold = 0.2;
  const auto r = censor_volumes(3, {nan, 0.1, 0.3}, {}, o);
  EXPECT_EQ(r[0], CensorReason::kept);
  EXPECT_EQ(r[2], CensorReason::fd);
}

Table confound_table() {
  Table t;
  t.columns = {"trans_x", "trans_x_derivative1", "cosine00", "cosine01", "csf"};
  t.rows = {{"0.1", "n/a", "1", "2", "5"}, {"0.2", "0.1", "1", "2", "6"}, {"0.4", "0.2", "1", "2", "7"}};
  return t;
}

TEST(Confounds, PresetsHaveTheDocumentedSizes) {
  EXPECT_EQ(strategy_columns("6P").names.size(), 6u);
  EXPECT_EQ(strategy_columns("24P").names.size(), 24u);
  EXPECT_EQ(strategy_columns("36P").names.size(), 36u);
  EXPECT_EQ(strategy_columns("acompcor").names.size(), 17u);
  EXPECT_TRUE(strategy_columns("none").names.empty());
  EXPECT_THROW(strategy_columns("9P"), UsageError);
}

TEST(Confounds, LeadingNaIsZeroPatternsMatchWholeNames) {
  const Confounds c = select_confounds(confound_table(), "c.tsv", spec_from_list({"trans_x_derivative1", "cosine.*"}), 3);
  ASSERT_EQ(c.columns.size(), 3u);
  EXPECT_EQ(c.columns[1], "cosine00");
  EXPECT_EQ(c.values(0, 0), 0.0);
  EXPECT_EQ(c.values(2, 0), 0.2);
}

TEST(Confounds, ErrorsNameTheProblem) {
  try {
    select_confounds(confound_table(), "c.tsv", spec_from_list({"trans_x", "rot_y", "global_signal"}), 3);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("rot_y, global_signal"), std::string::npos) << e.what();
  }
  EXPECT_THROW(select_confounds(confound_table(), "c.tsv", spec_from_list({"csf"}), 4), InputError);
  Table gap = confound_table();
  gap.rows[1][4] = "n/a";
  EXPECT_THROW(select_confounds(gap, "c.tsv", spec_from_list({"csf"}), 3), InputError);
}

TEST(Confounds, AbsentExpansionsAreDerivedFromTheirBase) {
  // fMRIPrep 1.0 writes only the base columns: 24P's expansions come from them.
  const Confounds c = select_confounds(confound_table(), "c.tsv",
                                       spec_from_list({"csf", "csf_derivative1", "csf_power2",
                                                       "csf_derivative1_power2", "trans_x_derivative1"}),
                                       3);
  ASSERT_EQ(c.columns.size(), 5u);
  EXPECT_EQ(c.derived, (std::vector<std::string>{"csf_derivative1", "csf_power2", "csf_derivative1_power2"}));
  // csf = 5, 6, 7: differences n/a (-> 0), 1, 1; squares 25, 36, 49.
  EXPECT_EQ(c.values(0, 1), 0.0);
  EXPECT_EQ(c.values(2, 1), 1.0);
  EXPECT_EQ(c.values(1, 2), 36.0);
  EXPECT_EQ(c.values(2, 3), 1.0);
  EXPECT_EQ(c.values(2, 4), 0.2);  // present in the table: read, not derived
  try {
    select_confounds(confound_table(), "c.tsv", spec_from_list({"rot_x_power2", "csf_derivative2"}), 3);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("rot_x_power2, csf_derivative2"), std::string::npos) << e.what();
  }
}

TEST(Confounds, DummyScansFromNonSteadyStateColumns) {
  Table t;
  t.columns = {"non_steady_state_outlier00", "non_steady_state_outlier01", "csf"};
  t.rows = {{"1", "0", "1"}, {"0", "1", "2"}, {"0", "0", "3"}};
  EXPECT_EQ(dummy_scans_from_table(t, "c.tsv"), 2);
  EXPECT_EQ(dummy_scans_from_table(confound_table(), "c.tsv"), 0);
}

TEST(SlidingWindow, WindowsInTimeSkipCensoredVolumes) {
  // Onsets every 2 s, volume 3 (6 s) censored; windows of 8 s every 4 s.
  const std::vector<double> times = {0, 2, 4, 8, 10, 12, 14, 16, 18};
  const auto w = sliding_windows(times, 2.0, 8.0, 4.0);
  ASSERT_EQ(w.size(), 4u);  // starts 0, 4, 8, 12 (12 + 8 = 20 = last onset + TR)
  EXPECT_EQ(w[0].rows, (std::vector<Eigen::Index>{0, 1, 2}));
  EXPECT_EQ(w[1].rows, (std::vector<Eigen::Index>{2, 3, 4}));
  EXPECT_DOUBLE_EQ(w[3].centre_s, 16.0);
  EXPECT_EQ(w[3].rows.size(), 4u);
}

TEST(Confounds, YamlStrategyFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("axon_strategy_" + std::to_string(::getpid()) + ".yaml")).string();
  std::ofstream(path) << "strategy: 6P\ncolumns: [csf, trans_x, \"cosine[0-9]+\"]\n";
  const ConfoundSpec spec = strategy_from_yaml(path);
  EXPECT_EQ(spec.names.size(), 7u);  // 6P + csf (trans_x once)
  ASSERT_EQ(spec.patterns.size(), 1u);
  EXPECT_EQ(spec.patterns[0], "cosine[0-9]+");
  std::ofstream(path) << "strategy: 99P\n";
  EXPECT_THROW(strategy_from_yaml(path), InputError);
  std::ofstream(path) << "colums: [csf]\n";
  EXPECT_THROW(strategy_from_yaml(path), InputError);
  std::filesystem::remove(path);
}

TEST(OutputNames, EntitiesFromTheBoldName) {
  EXPECT_EQ(bids_entities("/d/sub-01_ses-2_task-rest_run-1_space-MNI_desc-preproc_bold.nii.gz"),
            "sub-01_ses-2_task-rest_run-1_space-MNI");
  EXPECT_EQ(bids_entities("bold.nii.gz"), "bold");
  EXPECT_EQ(entity_value("harvard-oxford-cort"), "harvardoxfordcort");
  // An atlas by path: its own atlas-X entity when it has one, else its stem.
  EXPECT_EQ(atlas_entity_of_path("/o/sub-01_task-rest_atlas-aal_dseg.nii.gz"), "aal");
  EXPECT_EQ(atlas_entity_of_path("/o/my-parcels.v2.nii.gz"), "myparcels");
  EXPECT_EQ(atlas_entity_of_path("atlas-_x.nii"), "atlasx");
}

TEST(Measures, ExcludedParcelsStayInPlaceAsNa) {
  Eigen::MatrixXd s = Eigen::MatrixXd::Random(40, 3);
  for (auto m : {Measure::correlation, Measure::partial, Measure::covariance, Measure::precision}) {
    const MeasureResult r = compute_measure(s, {true, false, true}, m);
    ASSERT_EQ(r.matrix.rows(), 3);
    EXPECT_TRUE(std::isnan(r.matrix(1, 0)) && std::isnan(r.matrix(1, 1)) && std::isnan(r.matrix(2, 1)));
    EXPECT_TRUE(std::isfinite(r.matrix(0, 2)));
  }
}

}  // namespace
}  // namespace axon::connectivity
