#pragma once
// Cross-validated classification of subjects from connectivity features
// with PCA then linear discriminant analysis (the ADHD seed paper's
// PCA-LDA), as scikit-learn's Pipeline(StandardScaler, PCA(n), LDA())
// evaluated on StratifiedKFold(k) folds: the folds are sklearn's (no
// shuffling), and every step, including the optional confound regression,
// is fitted on the training subjects of each fold only.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace axon::group {

// sklearn's StratifiedKFold(n_splits=k, shuffle=False).split test folds:
// classes in order of first appearance, each class's subjects (in order)
// dealt to folds in contiguous runs sized so that every fold gets about
// the same share. `labels` are class indices. Throws std::invalid_argument
// when there are fewer subjects than folds or a class has fewer members
// than folds.
std::vector<int> stratified_folds(const std::vector<int>& labels, int folds);

struct FoldMetrics {
  double accuracy = 0, balanced_accuracy = 0, auc = 0;  // auc: NaN unless two classes
  int train = 0, test = 0;
};

struct ClassifyResult {
  std::vector<std::string> classes;     // sorted (sklearn's classes_)
  std::vector<int> fold;                // test fold of each subject
  std::vector<int> predicted;           // class index per subject (from its test fold)
  std::vector<double> decision;         // binary: decision_function per subject; else NaN
  std::vector<FoldMetrics> folds;
  FoldMetrics mean;                     // mean over folds
  Eigen::MatrixXi confusion;            // true class x predicted, summed over folds
  int components = 0;                   // PCA components used
  std::vector<double> permutation_accuracy;  // mean accuracy of each permutation
  double permutation_p = 1;             // (1 + #{perm >= observed}) / (1 + permutations)
};

struct ClassifyOptions {
  int folds = 10;
  int components = 10;       // capped at the smallest training fold - 1 and the features
  int permutations = 0;
  std::uint64_t seed = 42;   // permutations
};

// `features`: subjects x features; `labels`: one text label per subject;
// `confounds`: subjects x regressors (no columns: none), regressed out of
// the features inside each training fold. Throws std::invalid_argument.
// Each fold works on blocks of feature columns (cleaned, standardised and
// reduced to subjects x subjects products block by block), so the extra
// memory is a few subjects x 2048 blocks whatever the number of features;
// float32 features (voxel maps) are widened block by block.
ClassifyResult classify_pca_lda(const Eigen::MatrixXd& features, const std::vector<std::string>& labels,
                                const Eigen::MatrixXd& confounds, const ClassifyOptions& options);
ClassifyResult classify_pca_lda(const Eigen::MatrixXf& features, const std::vector<std::string>& labels,
                                const Eigen::MatrixXd& confounds, const ClassifyOptions& options);

}  // namespace axon::group
