// Group analyses against scikit-learn / scipy (tests/group/sklearn_peer.py)
// and against the ground truth of simulated subjects.
#include <omp.h>

#include <cmath>
#include <fstream>
#include <random>

#include "common/python_peer.hpp"
#include "axon/core/error.hpp"
#include "axon/group/classify.hpp"
#include "axon/group/confound_regression.hpp"
#include "axon/group/design.hpp"
#include "axon/group/tangent.hpp"

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

void compare_with_sklearn(bool with_confounds) {
  if (!test::python_has("sklearn")) GTEST_SKIP() << "sklearn missing (scripts/bootstrap)";
  const Cohort c = simulate(60, 45, 0.8, 3);
  ClassifyOptions o;
  o.folds = 5;
  o.components = 8;
  const Eigen::MatrixXd confounds = with_confounds ? c.age : Eigen::MatrixXd(60, 0);
  const ClassifyResult r = classify_pca_lda(c.features, c.labels, confounds, o);
  test::ScratchDir dir;
  test::write_matrix(c.features, dir / "features.txt");
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

TEST(GroupClassify, SamePredictionsAsSklearnPcaLda) { compare_with_sklearn(false); }
TEST(GroupClassify, SamePredictionsAsSklearnWithConfoundRegressionInFolds) { compare_with_sklearn(true); }

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
