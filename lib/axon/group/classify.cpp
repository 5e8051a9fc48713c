#include "axon/group/classify.hpp"

#include <omp.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "axon/core/random.hpp"
#include "axon/group/confound_regression.hpp"

namespace axon::group {

std::vector<int> stratified_folds(const std::vector<int>& labels, int k) {
  const int n = static_cast<int>(labels.size());
  if (k < 2) throw std::invalid_argument("at least 2 folds are needed");
  if (n < k) throw std::invalid_argument(std::to_string(n) + " subjects are fewer than " + std::to_string(k) + " folds");
  // Classes re-encoded by first appearance, as sklearn does.
  std::map<int, int> code;
  std::vector<int> y(n);
  for (int i = 0; i < n; ++i) {
    auto it = code.find(labels[i]);
    if (it == code.end()) it = code.emplace(labels[i], static_cast<int>(code.size())).first;
    y[i] = it->second;
  }
  const int classes = static_cast<int>(code.size());
  std::vector<int> count(classes, 0);
  for (int v : y) ++count[v];
  for (int c = 0; c < classes; ++c)
    if (count[c] < k)
      throw std::invalid_argument("a class has " + std::to_string(count[c]) + " subjects, fewer than " +
                                  std::to_string(k) + " folds");
  std::vector<int> order = y;
  std::sort(order.begin(), order.end());
  // allocation[f][c]: members of class c in fold f = how many of the sorted
  // labels at positions f, f + k, f + 2k, ... are c.
  std::vector<std::vector<int>> allocation(k, std::vector<int>(classes, 0));
  for (int i = 0; i < n; ++i) ++allocation[i % k][order[i]];
  std::vector<int> fold(n);
  for (int c = 0; c < classes; ++c) {
    int f = 0, used = 0;
    for (int i = 0; i < n; ++i) {
      if (y[i] != c) continue;
      while (used == allocation[f][c]) {
        ++f;
        used = 0;
      }
      fold[i] = f;
      ++used;
    }
  }
  return fold;
}

namespace {

// Mann-Whitney AUC of scores for class 1 against class 0; ties count 1/2.
double auc(const std::vector<double>& score, const std::vector<int>& truth) {
  double pairs = 0, wins = 0;
  for (std::size_t a = 0; a < score.size(); ++a)
    for (std::size_t b = 0; b < score.size(); ++b)
      if (truth[a] == 1 && truth[b] == 0) {
        pairs += 1;
        wins += score[a] > score[b] ? 1.0 : score[a] == score[b] ? 0.5 : 0.0;
      }
  return pairs > 0 ? wins / pairs : std::numeric_limits<double>::quiet_NaN();
}

struct Prediction {
  std::vector<int> predicted;
  std::vector<double> decision;
};

// The standardised training features' Gram matrix xs xs^T and the test
// subjects' products with them, ts xs^T: all that PCA then LDA needs (the
// PCA basis is spanned by the training subjects). Accumulated over blocks of
// feature columns, each cleaned of the confounds (fitted on the training
// rows) and standardised (training mean and population sd; sd 0 -> 1, as
// StandardScaler) on its own, so that no double-precision copy of all the
// features is held: a voxel-map feature set stays in its float32 storage.
struct FoldProducts {
  Eigen::MatrixXd gram, cross;
};

template <class Matrix>
FoldProducts fold_products(const Matrix& features, const std::vector<Eigen::Index>& train,
                           const std::vector<Eigen::Index>& test, const Eigen::MatrixXd& c_train,
                           const Eigen::MatrixXd& c_test) {
  constexpr Eigen::Index kBlock = 2048;
  const Eigen::Index n = static_cast<Eigen::Index>(train.size()), m = static_cast<Eigen::Index>(test.size());
  FoldProducts p{Eigen::MatrixXd::Zero(n, n), Eigen::MatrixXd::Zero(m, n)};
  for (Eigen::Index j0 = 0; j0 < features.cols(); j0 += kBlock) {
    const Eigen::Index b = std::min(kBlock, features.cols() - j0);
    Eigen::MatrixXd xs(n, b), ts(m, b);
    for (Eigen::Index j = 0; j < b; ++j) {
      for (Eigen::Index i = 0; i < n; ++i) xs(i, j) = static_cast<double>(features(train[i], j0 + j));
      for (Eigen::Index i = 0; i < m; ++i) ts(i, j) = static_cast<double>(features(test[i], j0 + j));
    }
    if (c_train.cols() > 0) {
      const ConfoundFit fit = fit_confounds(c_train, xs);
      xs = remove_confounds(fit, c_train, xs);
      ts = remove_confounds(fit, c_test, ts);
    }
    const Eigen::RowVectorXd mean = xs.colwise().mean();
    Eigen::RowVectorXd sd = ((xs.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(n)).sqrt();
    for (Eigen::Index j = 0; j < sd.size(); ++j)
      if (!(sd[j] > 0)) sd[j] = 1;
    xs = (xs.rowwise() - mean).array().rowwise() / sd.array();
    ts = (ts.rowwise() - mean).array().rowwise() / sd.array();
    p.gram.selfadjointView<Eigen::Lower>().rankUpdate(xs);
    p.cross.noalias() += ts * xs.transpose();
  }
  p.gram.triangularView<Eigen::StrictlyUpper>() = p.gram.transpose();
  return p;
}

// PCA from the training Gram matrix, LDA with the pooled within-class
// covariance (divisor n - K) and priors from training frequencies.
Prediction fit_predict(const FoldProducts& products, const std::vector<int>& y_train, int classes, int components) {
  const Eigen::Index n = products.gram.rows();
  // PCA: xs = U S V^T; scores are U S (train) and ts V = ts xs^T U / S.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(products.gram);
  Eigen::MatrixXd u(n, components);
  Eigen::VectorXd s(components);
  for (int c = 0; c < components; ++c) {
    const Eigen::Index k = n - 1 - c;  // eigenvalues ascend
    s[c] = std::sqrt(std::max(eig.eigenvalues()[k], 0.0));
    u.col(c) = eig.eigenvectors().col(k);
  }
  Eigen::MatrixXd z_train = u * s.asDiagonal();
  Eigen::MatrixXd z_test = products.cross * u;
  for (int c = 0; c < components; ++c) z_test.col(c) /= s[c] > 0 ? s[c] : 1.0;

  Eigen::MatrixXd means = Eigen::MatrixXd::Zero(classes, components);
  std::vector<double> count(classes, 0);
  for (Eigen::Index i = 0; i < n; ++i) {
    means.row(y_train[i]) += z_train.row(i);
    count[y_train[i]] += 1;
  }
  for (int c = 0; c < classes; ++c)
    if (count[c] > 0) means.row(c) /= count[c];
  Eigen::MatrixXd within = Eigen::MatrixXd::Zero(components, components);
  int present = 0;
  for (int c = 0; c < classes; ++c) present += count[c] > 0 ? 1 : 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const Eigen::RowVectorXd d = z_train.row(i) - means.row(y_train[i]);
    within += d.transpose() * d;
  }
  within /= static_cast<double>(n - present);
  const Eigen::MatrixXd inv = within.ldlt().solve(Eigen::MatrixXd::Identity(components, components));
  Eigen::MatrixXd score = z_test * inv * means.transpose();  // test x classes
  for (int c = 0; c < classes; ++c) {
    const double b = count[c] > 0 ? -0.5 * means.row(c) * inv * means.row(c).transpose() +
                                        std::log(count[c] / static_cast<double>(n))
                                  : -std::numeric_limits<double>::infinity();
    score.col(c).array() += b;
  }
  Prediction p;
  for (Eigen::Index i = 0; i < score.rows(); ++i) {
    Eigen::Index best = 0;
    score.row(i).maxCoeff(&best);
    p.predicted.push_back(static_cast<int>(best));
    p.decision.push_back(classes == 2 ? score(i, 1) - score(i, 0) : std::numeric_limits<double>::quiet_NaN());
  }
  return p;
}

// One cross-validation; labels are class indices (sorted classes).
template <class Matrix>
ClassifyResult cross_validate(const Matrix& features, const std::vector<int>& y, int classes,
                              const Eigen::MatrixXd& confounds, int folds, int components) {
  const int n = static_cast<int>(y.size());
  ClassifyResult r;
  r.fold = stratified_folds(y, folds);
  r.predicted.assign(n, -1);
  r.decision.assign(n, std::numeric_limits<double>::quiet_NaN());
  r.confusion = Eigen::MatrixXi::Zero(classes, classes);
  r.components = components;
  // The folds in parallel (unless already inside the permutations'
  // parallel loop): Eigen's products then always run single-threaded, so
  // every fold gives the same bits for any thread count.
  std::vector<Prediction> fold_predictions(folds);
  std::vector<std::vector<Eigen::Index>> fold_tests(folds);
  std::vector<std::vector<int>> fold_y_train(folds), fold_y_test(folds);
#pragma omp parallel for schedule(dynamic, 1) if (!omp_in_parallel())
  for (int f = 0; f < folds; ++f) {
    std::vector<bool> in_train(n), in_test(n);
    std::vector<Eigen::Index> train_index;
    for (int i = 0; i < n; ++i) {
      in_train[i] = r.fold[i] != f;
      in_test[i] = !in_train[i];
      (in_train[i] ? fold_y_train[f] : fold_y_test[f]).push_back(y[i]);
      (in_train[i] ? train_index : fold_tests[f]).push_back(i);
    }
    Eigen::MatrixXd c_train, c_test;
    if (confounds.cols() > 0) {
      c_train = select_rows(confounds, in_train);
      c_test = select_rows(confounds, in_test);
    }
    fold_predictions[f] = fit_predict(fold_products(features, train_index, fold_tests[f], c_train, c_test),
                                      fold_y_train[f], classes, components);
  }
  for (int f = 0; f < folds; ++f) {
    const Prediction& p = fold_predictions[f];
    const std::vector<int>&y_train = fold_y_train[f], &y_test = fold_y_test[f];
    const std::vector<Eigen::Index>& test_index = fold_tests[f];
    FoldMetrics m;
    m.train = static_cast<int>(y_train.size());
    m.test = static_cast<int>(y_test.size());
    std::vector<double> correct(classes, 0), total(classes, 0);
    int right = 0;
    for (std::size_t t = 0; t < y_test.size(); ++t) {
      r.predicted[test_index[t]] = p.predicted[t];
      r.decision[test_index[t]] = p.decision[t];
      ++r.confusion(y_test[t], p.predicted[t]);
      total[y_test[t]] += 1;
      if (p.predicted[t] == y_test[t]) {
        ++right;
        correct[y_test[t]] += 1;
      }
    }
    m.accuracy = static_cast<double>(right) / static_cast<double>(y_test.size());
    double recall = 0;
    int seen = 0;
    for (int c = 0; c < classes; ++c)
      if (total[c] > 0) {
        recall += correct[c] / total[c];
        ++seen;
      }
    m.balanced_accuracy = recall / seen;
    m.auc = classes == 2 ? auc(p.decision, y_test) : std::numeric_limits<double>::quiet_NaN();
    r.folds.push_back(m);
  }
  for (const auto& m : r.folds) {
    r.mean.accuracy += m.accuracy / folds;
    r.mean.balanced_accuracy += m.balanced_accuracy / folds;
    r.mean.auc += m.auc / folds;
  }
  return r;
}

template <class Matrix>
ClassifyResult classify(const Matrix& features, const std::vector<std::string>& labels,
                                const Eigen::MatrixXd& confounds, const ClassifyOptions& o) {
  const int n = static_cast<int>(labels.size());
  if (features.rows() != n) throw std::invalid_argument("features and labels differ in subjects");
  if (confounds.cols() > 0 && confounds.rows() != n) throw std::invalid_argument("confounds and labels differ in subjects");
  std::vector<std::string> classes = labels;
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  if (classes.size() < 2) throw std::invalid_argument("the labels hold a single class");
  std::vector<int> y(n);
  for (int i = 0; i < n; ++i)
    y[i] = static_cast<int>(std::lower_bound(classes.begin(), classes.end(), labels[i]) - classes.begin());
  const std::vector<int> folds = stratified_folds(y, o.folds);  // validates subjects vs folds
  int smallest_train = n;
  for (int f = 0; f < o.folds; ++f)
    smallest_train = std::min(smallest_train, static_cast<int>(std::count_if(folds.begin(), folds.end(),
                                                                             [&](int v) { return v != f; })));
  if (o.components < 1) throw std::invalid_argument("at least 1 PCA component is needed");
  const int components = std::min({o.components, smallest_train - static_cast<int>(classes.size()),
                                   static_cast<int>(features.cols())});
  if (components < 1) throw std::invalid_argument("too few training subjects for PCA-LDA");
  ClassifyResult r = cross_validate(features, y, static_cast<int>(classes.size()), confounds, o.folds, components);
  r.classes = classes;
  if (o.permutations > 0) {
    r.permutation_accuracy.assign(o.permutations, 0);
    // Each permutation draws from its own stream: the same p-value for
    // any thread count.
#pragma omp parallel for schedule(dynamic, 1)
    for (int p = 0; p < o.permutations; ++p) {
      Rng rng = Rng::stream(o.seed, static_cast<std::uint64_t>(p));
      std::vector<int> shuffled = y;
      for (int i = n - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng.uniform_int(0, i)]);
      r.permutation_accuracy[p] =
          cross_validate(features, shuffled, static_cast<int>(classes.size()), confounds, o.folds, components)
              .mean.accuracy;
    }
    int at_least = 0;
    for (double a : r.permutation_accuracy) at_least += a >= r.mean.accuracy - 1e-12 ? 1 : 0;
    r.permutation_p = (1.0 + at_least) / (1.0 + o.permutations);
  }
  return r;
}

}  // namespace

ClassifyResult classify_pca_lda(const Eigen::MatrixXd& features, const std::vector<std::string>& labels,
                                const Eigen::MatrixXd& confounds, const ClassifyOptions& options) {
  return classify(features, labels, confounds, options);
}

ClassifyResult classify_pca_lda(const Eigen::MatrixXf& features, const std::vector<std::string>& labels,
                                const Eigen::MatrixXd& confounds, const ClassifyOptions& options) {
  return classify(features, labels, confounds, options);
}

}  // namespace axon::group
