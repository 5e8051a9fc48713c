// Group analyses against scikit-learn / scipy (tests/group/sklearn_peer.py)
// and against the ground truth of simulated subjects.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "common/python_peer.hpp"
#include "axon/core/error.hpp"
#include "axon/group/classify.hpp"
#include "axon/group/confound_regression.hpp"
#include "axon/group/design.hpp"
#include "axon/group/map_files.hpp"
#include "axon/group/tangent.hpp"
#include "axon/io/nifti.hpp"

namespace axon::group {
namespace {

// Subjects whose edges depend on age (a confound that differs between the
// groups) and, when `effect` > 0, on the diagnosis itself.
struct Cohort {
  Eigen::MatrixXd features, age;
  std::vector<std::string> labels;
};

Cohort simulate(int subjects, int edges, double effect, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Cohort c;
  c.features.resize(subjects, edges);
  c.age.resize(subjects, 1);
  Eigen::VectorXd age_pattern(edges), label_pattern(edges);
  for (int e = 0; e < edges; ++e) {
    age_pattern[e] = normal(rng);
    label_pattern[e] = e % 3 == 0 ? 1.0 : 0.0;
  }
  for (int s = 0; s < subjects; ++s) {
    const int label = (s * 7) % 5 < 2 ? 1 : 0;  // 40 % patients, interleaved
    c.labels.push_back(label ? "patient" : "control");
    c.age(s, 0) = 30 + 8 * label + 4 * normal(rng);
    for (int e = 0; e < edges; ++e)
      c.features(s, e) = 0.1 * c.age(s, 0) * age_pattern[e] + effect * label * label_pattern[e] + normal(rng);
  }
  return c;
}

TEST(GroupFolds, SameAsSklearnStratifiedKFold) {
  if (!test::python_has("sklearn")) GTEST_SKIP() << "sklearn missing (scripts/bootstrap)";
  const std::vector<std::vector<int>> cases = {
      {1, 0, 0, 1, 2, 2, 0, 1, 0, 0, 2, 1, 1, 0, 0, 2, 0, 1}, {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, {3, 1, 3, 1, 3, 1, 3, 3}};
  test::ScratchDir dir;
  {
    std::ofstream out(dir / "cases.txt");
    for (int k : {2, 3})
      for (const auto& labels : cases) {
        out << k;
        for (int l : labels) out << " c" << l;
        out << "\n";
      }
  }
  ASSERT_TRUE(test::run_peer("group/sklearn_peer.py", "folds " + dir.str()));
  std::ifstream ref(dir / "ref_folds.txt");
  for (int k : {2, 3})
    for (const auto& labels : cases) {
      const std::vector<int> folds = stratified_folds(labels, k);
      for (std::size_t i = 0; i < labels.size(); ++i) {
        int f = -1;
        ref >> f;
        EXPECT_EQ(folds[i], f) << "k " << k << ", subject " << i;
      }
    }
  EXPECT_THROW(stratified_folds({0, 1, 0, 1}, 5), std::invalid_argument);   // fewer subjects than folds
  EXPECT_THROW(stratified_folds({0, 1, 0, 0, 0}, 2), std::invalid_argument);  // a class smaller than the folds
}

// `features` as given (double edges, or float32 voxel values: sklearn reads
// the same float32 values, written exactly).
template <class Matrix>
void compare_with_sklearn(const Cohort& c, const Matrix& features, bool with_confounds) {
  if (!test::python_has("sklearn")) GTEST_SKIP() << "sklearn missing (scripts/bootstrap)";
  ClassifyOptions o;
  o.folds = 5;
  o.components = 8;
  const Eigen::MatrixXd confounds = with_confounds ? c.age : Eigen::MatrixXd(60, 0);
  const ClassifyResult r = classify_pca_lda(features, c.labels, confounds, o);
  test::ScratchDir dir;
  test::write_matrix(features, dir / "features.txt");
  {
    std::ofstream out(dir / "labels.txt");
    for (const auto& l : c.labels) out << l << "\n";
    std::ofstream(dir / "params.txt") << o.folds << " " << r.components << "\n";
  }
  if (with_confounds) test::write_matrix(c.age, dir / "confounds.txt");
  else std::ofstream(dir / "confounds.txt") << "";
  ASSERT_TRUE(test::run_peer("group/sklearn_peer.py", "classify " + dir.str()));
  std::ifstream pred(dir / "ref_predicted.txt");
  const Eigen::MatrixXd decision = test::read_matrix(dir / "ref_decision.txt");
  const double scale = decision.cwiseAbs().maxCoeff();
  for (int s = 0; s < 60; ++s) {
    std::string label;
    pred >> label;
    EXPECT_EQ(r.classes[r.predicted[s]], label) << "subject " << s;
    EXPECT_NEAR(r.decision[s], decision(s, 0), 1e-6 * scale) << "subject " << s;
  }
}

TEST(GroupClassify, SamePredictionsAsSklearnPcaLda) {
  const Cohort c = simulate(60, 45, 0.8, 3);
  compare_with_sklearn(c, c.features, false);
}
TEST(GroupClassify, SamePredictionsAsSklearnWithConfoundRegressionInFolds) {
  const Cohort c = simulate(60, 45, 0.8, 3);
  compare_with_sklearn(c, c.features, true);
}
// Voxel-map features: float32, more features than one column block (2048),
// so the blocked products are checked too.
TEST(GroupClassify, SamePredictionsAsSklearnOnFloat32VoxelFeatures) {
  const Cohort c = simulate(60, 2100, 0.3, 5);
  const Eigen::MatrixXf voxels = c.features.cast<float>();
  compare_with_sklearn(c, voxels, false);
  compare_with_sklearn(c, voxels, true);
}

TEST(GroupClassify, ConfoundDrivenAccuracyVanishesAfterRegression) {
  ClassifyOptions o;
  o.folds = 10;
  o.components = 10;
  o.permutations = 40;
  const Cohort none = simulate(100, 45, 0.0, 7), real = simulate(100, 45, 1.2, 7);
  const Eigen::MatrixXd no_confounds(100, 0);
  // Age alone separates the groups when it is left in...
  const ClassifyResult leaked = classify_pca_lda(none.features, none.labels, no_confounds, o);
  // ...and nothing is left once it is regressed out inside the folds.
  const ClassifyResult cleaned = classify_pca_lda(none.features, none.labels, none.age, o);
  const ClassifyResult effect = classify_pca_lda(real.features, real.labels, real.age, o);
  std::printf("balanced accuracy: age left in %.3f, age regressed (no effect) %.3f (p %.3f), "
              "with a diagnosis effect %.3f (p %.3f, AUC %.3f)\n",
              leaked.mean.balanced_accuracy, cleaned.mean.balanced_accuracy, cleaned.permutation_p,
              effect.mean.balanced_accuracy, effect.permutation_p, effect.mean.auc);
  EXPECT_GT(leaked.mean.balanced_accuracy, 0.7);
  EXPECT_LT(cleaned.mean.balanced_accuracy, 0.62);
  EXPECT_GT(cleaned.permutation_p, 0.05);
  EXPECT_GT(effect.mean.balanced_accuracy, 0.7);  // chance is 0.5
  EXPECT_LT(effect.permutation_p, 0.05);
  EXPECT_EQ(effect.confusion.sum(), 100);
}

TEST(GroupClassify, SamePermutationsForAnyThreadCount) {
  const Cohort c = simulate(40, 20, 0.5, 2);
  ClassifyOptions o;
  o.folds = 4;
  o.components = 5;
  o.permutations = 12;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const ClassifyResult one = classify_pca_lda(c.features, c.labels, c.age, o);
  omp_set_num_threads(3);
  const ClassifyResult three = classify_pca_lda(c.features, c.labels, c.age, o);
  omp_set_num_threads(saved);
  EXPECT_EQ(one.permutation_accuracy, three.permutation_accuracy);
  EXPECT_EQ(one.permutation_p, three.permutation_p);
  EXPECT_EQ(one.decision, three.decision);  // the folds run in parallel: same bits
  // Float32 features over several column blocks.
  Eigen::MatrixXf wide(40, 4500);
  for (Eigen::Index j = 0; j < wide.cols(); ++j) wide.col(j) = c.features.col(j % 20).cast<float>() * (1.0f + j % 7);
  omp_set_num_threads(1);
  const ClassifyResult wide_one = classify_pca_lda(wide, c.labels, c.age, o);
  omp_set_num_threads(3);
  const ClassifyResult wide_three = classify_pca_lda(wide, c.labels, c.age, o);
  omp_set_num_threads(saved);
  EXPECT_EQ(wide_one.decision, wide_three.decision);
  EXPECT_EQ(wide_one.permutation_accuracy, wide_three.permutation_accuracy);
}

// Maps on a 10 x 9 x 8 grid of 3 mm voxels; the mask is a ball.
struct MapGrid {
  Image<float> like;
  Mask mask;
};

MapGrid map_grid(int nx = 10) {
  MapGrid g;
  g.like.header.dim = {3, nx, 9, 8, 1, 1, 1, 1};
  g.like.header.pixdim = {1, 3, 3, 3, 1, 1, 1, 1};
  Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
  affine.diagonal() << 3, 3, 3, 1;
  g.like.header.set_affine(affine, 1, 1);
  g.like.header.datatype = static_cast<int>(DataType::float32);
  g.like.data.assign(static_cast<std::size_t>(g.like.voxels_per_volume()), 0.0f);
  for (int64_t k = 0; k < 8; ++k)
    for (int64_t j = 0; j < 9; ++j)
      for (int64_t i = 0; i < nx; ++i) {
        const double r2 = (i - 4.5) * (i - 4.5) / 20.25 + (j - 4) * (j - 4) / 16.0 + (k - 3.5) * (k - 3.5) / 12.25;
        g.like.at(i, j, k) = r2 <= 1.0 ? 1.0f : 0.0f;
      }
  g.mask = mask_from_image(g.like, "mask.nii");
  return g;
}

// Writes `values` (one per mask voxel; 0 outside) as a map on the grid.
void write_map(const MapGrid& g, const Eigen::VectorXf& values, const std::string& path) {
  Image<float> img = g.like;
  std::fill(img.data.begin(), img.data.end(), 0.0f);
  for (std::size_t v = 0; v < g.mask.count(); ++v) img.data[g.mask.indices[v]] = values[static_cast<Eigen::Index>(v)];
  write_image(img, path);
}

TEST(GroupMaps, ReadsKindsPerSubjectOnTheMaskGrid) {
  const MapGrid g = map_grid();
  const Eigen::Index v = static_cast<Eigen::Index>(g.mask.count());
  test::ScratchDir dir;
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::map<std::string, Eigen::VectorXf> truth;
  for (const std::string subject : {"sub-02", "sub-01", "sub-10"})
    for (const std::string kind : {"reho", "degree"}) {
      Eigen::VectorXf x(v);
      for (Eigen::Index i = 0; i < v; ++i) x[i] = normal(rng);
      truth[subject + kind] = x;
      write_map(g, x, dir / (subject + "_task-rest_stat-" + kind + "_boldmap.nii"));
    }
  const MapSet s = read_map_set({dir / "sub-*_boldmap.nii"}, g.mask, "mask.nii");
  ASSERT_EQ(s.subjects, (std::vector<std::string>{"sub-01", "sub-02", "sub-10"}));
  ASSERT_EQ(s.kinds, (std::vector<std::string>{"task-rest_stat-degree_boldmap.nii", "task-rest_stat-reho_boldmap.nii"}));
  ASSERT_EQ(s.features.rows(), 3);
  ASSERT_EQ(s.features.cols(), 2 * v);
  for (int r = 0; r < 3; ++r) {
    EXPECT_TRUE(s.features.row(r).head(v).transpose() == truth[s.subjects[r] + "degree"]) << s.subjects[r];
    EXPECT_TRUE(s.features.row(r).tail(v).transpose() == truth[s.subjects[r] + "reho"]) << s.subjects[r];
  }
  // A subject lacking a kind, a map on another grid, two maps of one kind.
  write_map(g, truth["sub-01reho"], dir / "sub-03_task-rest_stat-reho_boldmap.nii");
  EXPECT_THROW(read_map_set({dir / "sub-*_boldmap.nii"}, g.mask, "mask.nii"), InputError);
  const MapGrid other = map_grid(11);
  write_map(other, Eigen::VectorXf::Zero(static_cast<Eigen::Index>(other.mask.count())), dir / "x_sub-04.nii");
  EXPECT_THROW(read_map_set({dir / "x_sub-04.nii"}, g.mask, "mask.nii"), InputError);
  EXPECT_THROW(read_map_set({dir / "sub-01_task-rest_stat-reho_boldmap.nii", dir / "sub-01_task-rest_stat-reho_boldmap.nii"},
                            g.mask, "mask.nii"),
               InputError);
}

// Simulated voxel maps: a spatial pattern scaled by age (older patients) in
// every subject and, when `effect` > 0, a blob raised in patients.
TEST(GroupClassify, VoxelMapEffectAboveChanceOnlyWhenPresent) {
  const MapGrid g = map_grid();
  const Eigen::Index v = static_cast<Eigen::Index>(g.mask.count());
  const int subjects = 100;
  test::ScratchDir dir;
  std::mt19937 rng(11);
  std::normal_distribution<double> normal;
  Eigen::VectorXd age_pattern(v), blob(v);
  for (Eigen::Index i = 0; i < v; ++i) {
    const int64_t x = g.mask.indices[i] % 10;
    age_pattern[i] = normal(rng);
    blob[i] = x < 4 ? 1.0 : 0.0;
  }
  Eigen::MatrixXd age(subjects, 1);
  std::vector<std::string> labels;
  for (int s = 0; s < subjects; ++s) {
    const int label = (s * 7) % 5 < 2 ? 1 : 0;
    labels.push_back(label ? "patient" : "control");
    age(s, 0) = 30 + 8 * label + 4 * normal(rng);
    Eigen::VectorXf none(v), real(v);
    for (Eigen::Index i = 0; i < v; ++i) {
      const double base = 0.1 * age(s, 0) * age_pattern[i] + normal(rng);
      none[i] = static_cast<float>(base);
      real[i] = static_cast<float>(base + 0.8 * label * blob[i]);
    }
    char id[16];
    std::snprintf(id, sizeof id, "sub-%03d", s);
    write_map(g, none, dir / (std::string(id) + "_desc-none_map.nii"));
    write_map(g, real, dir / (std::string(id) + "_desc-real_map.nii"));
  }
  const MapSet none = read_map_set({dir / "sub-*_desc-none_map.nii"}, g.mask, "mask.nii");
  const MapSet real = read_map_set({dir / "sub-*_desc-real_map.nii"}, g.mask, "mask.nii");
  ASSERT_EQ(none.features.cols(), v);
  ClassifyOptions o;
  o.folds = 10;
  o.components = 10;
  o.permutations = 40;
  const ClassifyResult leaked = classify_pca_lda(none.features, labels, Eigen::MatrixXd(subjects, 0), o);
  const ClassifyResult cleaned = classify_pca_lda(none.features, labels, age, o);
  const ClassifyResult effect = classify_pca_lda(real.features, labels, age, o);
  std::printf("voxel maps (%d voxels), balanced accuracy: age left in %.3f, age regressed (no effect) %.3f "
              "(p %.3f), with a diagnosis effect %.3f (p %.3f, AUC %.3f)\n",
              static_cast<int>(v), leaked.mean.balanced_accuracy, cleaned.mean.balanced_accuracy,
              cleaned.permutation_p, effect.mean.balanced_accuracy, effect.permutation_p, effect.mean.auc);
  EXPECT_GT(leaked.mean.balanced_accuracy, 0.7);
  EXPECT_LT(cleaned.mean.balanced_accuracy, 0.62);
  EXPECT_GT(cleaned.permutation_p, 0.05);
  EXPECT_GT(effect.mean.balanced_accuracy, 0.7);
  EXPECT_LT(effect.permutation_p, 0.05);
}

TEST(GroupRegress, RemovesCovariateEffectsAndReportsVariance) {
  const Cohort c = simulate(50, 10, 0.0, 4);
  const ConfoundFit fit = fit_confounds(c.age, c.features);
  const Eigen::MatrixXd cleaned = remove_confounds(fit, c.age, c.features);
  const Eigen::VectorXd a = c.age.col(0).array() - c.age.mean();
  for (Eigen::Index e = 0; e < cleaned.cols(); ++e) {
    const Eigen::VectorXd y = cleaned.col(e).array() - cleaned.col(e).mean();
    EXPECT_NEAR(a.dot(y), 0.0, 1e-8 * a.norm() * y.norm());               // orthogonal to age
    EXPECT_NEAR(cleaned.col(e).mean(), c.features.col(e).mean(), 1e-10);  // mean kept
    EXPECT_GE(fit.r2[e], 0.0);
    EXPECT_LE(fit.r2[e], 1.0);
  }
  EXPECT_THROW(fit_confounds(Eigen::MatrixXd::Ones(2, 1), Eigen::MatrixXd::Ones(2, 3)), std::invalid_argument);
}

TEST(GroupDesign, OneHotAndClearErrors) {
  Table t;
  t.columns = {"participant_id", "age", "sex", "site", "constant"};
  t.rows = {{"sub-01", "30", "F", "A", "1"}, {"sub-02", "41", "M", "B", "1"}, {"sub-03", "25", "F", "C", "1"}};
  const Design d = design_from_table(t, "demo.tsv", {"03", "sub-01", "sub-02"}, {"age", "sex", "site"}, {"sex", "site"});
  ASSERT_EQ(d.columns, (std::vector<std::string>{"age", "sex[M]", "site[B]", "site[C]"}));
  EXPECT_EQ(d.x(0, 0), 25);
  EXPECT_EQ(d.x(2, 1), 1);
  EXPECT_EQ(d.x(0, 3), 1);
  EXPECT_THROW(design_from_table(t, "demo.tsv", {"sub-04"}, {"age"}, {}), InputError);           // missing subject
  EXPECT_THROW(design_from_table(t, "demo.tsv", {"sub-01", "sub-02"}, {"constant"}, {}), InputError);  // constant
  EXPECT_THROW(design_from_table(t, "demo.tsv", {"sub-01"}, {"sex"}, {}), InputError);           // not numeric
  EXPECT_THROW(design_from_table(t, "demo.tsv", {"sub-01"}, {"height"}, {}), InputError);        // no column
}

TEST(GroupTangent, MatchesScipyRiemannianMean) {
  if (!test::python_has("scipy")) GTEST_SKIP() << "scipy missing (scripts/bootstrap)";
  std::mt19937 rng(9);
  std::normal_distribution<double> normal;
  const int p = 6, subjects = 8;
  std::vector<Eigen::MatrixXd> mats;
  Eigen::MatrixXd all(subjects * p, p);
  for (int s = 0; s < subjects; ++s) {
    Eigen::MatrixXd x(40, p);
    for (int t = 0; t < 40; ++t)
      for (int j = 0; j < p; ++j) x(t, j) = normal(rng) + (j > 0 ? 0.5 * x(t, j - 1) : 0.0);
    const Eigen::MatrixXd xc = x.rowwise() - x.colwise().mean();
    mats.push_back(xc.transpose() * xc / 40.0);
    all.middleRows(s * p, p) = mats.back();
  }
  test::ScratchDir dir;
  test::write_matrix(all, dir / "matrices.txt");
  ASSERT_TRUE(test::run_peer("group/sklearn_peer.py", "tangent " + dir.str()));
  const TangentResult r = tangent_embedding(mats);
  const Eigen::MatrixXd ref_mean = test::read_matrix(dir / "ref_mean.txt");
  const Eigen::MatrixXd ref_tangent = test::read_matrix(dir / "ref_tangent.txt");
  EXPECT_LT((r.mean - ref_mean).cwiseAbs().maxCoeff(), 1e-6 * ref_mean.cwiseAbs().maxCoeff());
  for (int s = 0; s < subjects; ++s)
    EXPECT_LT((r.tangent[s] - ref_tangent.middleRows(s * p, p)).cwiseAbs().maxCoeff(), 1e-6) << "subject " << s;
  // The tangent vectors of the mean itself average to zero.
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(p, p);
  for (const auto& t : r.tangent) sum += t;
  EXPECT_LT(sum.cwiseAbs().maxCoeff() / subjects, 1e-8);
  mats[2](0, 0) = -1;
  EXPECT_THROW(tangent_embedding(mats), std::invalid_argument);
}

}  // namespace
}  // namespace axon::group
