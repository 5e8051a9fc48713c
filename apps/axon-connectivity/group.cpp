// axon-connectivity group: confound regression, PCA-LDA classification and
// tangent-space embedding of a group's connectivity matrices; classification
// also from voxel maps.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/core/output_folder.hpp"
#include "axon/group/classify.hpp"
#include "axon/group/confound_regression.hpp"
#include "axon/group/design.hpp"
#include "axon/group/map_files.hpp"
#include "axon/group/matrix_files.hpp"
#include "axon/group/tangent.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace grp = axon::group;

namespace {

// Comma-separated values of a repeated option, flattened.
std::vector<std::string> names(const Args& args, const std::string& option) {
  std::vector<std::string> out;
  for (const auto& entry : args.list(option)) {
    std::stringstream ss(entry);
    std::string n;
    while (std::getline(ss, n, ','))
      if (!n.empty()) out.push_back(n);
  }
  return out;
}

void write_square(const Eigen::MatrixXd& m, const std::vector<std::string>& labels, const std::string& path) {
  axon::Table t;
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    t.add_column(labels[j], std::vector<double>(m.col(j).data(), m.col(j).data() + m.rows()));
  axon::write_tsv(t, path);
}

// "x_relmat.tsv" -> "x_desc-<desc>_relmat.tsv" in `outdir`.
std::string derived_name(const std::string& input, const std::string& desc, const std::string& outdir) {
  std::string name = std::filesystem::path(input).filename().string();
  const std::string suffix = "_relmat.tsv";
  if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    name = name.substr(0, name.size() - suffix.size()) + "_desc-" + desc + suffix;
  else
    name = name.substr(0, name.rfind('.')) + "_desc-" + desc + ".tsv";
  return (std::filesystem::path(outdir) / name).string();
}

grp::Design covariate_design(const Args& args, const std::vector<std::string>& subjects) {
  const std::vector<std::string> covariates = names(args, "regress-out");
  if (covariates.empty()) return {Eigen::MatrixXd(static_cast<Eigen::Index>(subjects.size()), 0), {}};
  if (!args.has("covariates")) throw axon::UsageError("--regress-out needs --covariates");
  const std::string path = args.text("covariates");
  return grp::design_from_table(axon::read_tsv(path), path, subjects, covariates, names(args, "categorical"));
}

void check_outputs(const std::vector<std::string>& paths, bool force) {
  for (const auto& p : paths) {
    axon::check_output_path(p, force);
    axon::check_output_path(axon::sidecar_path(p), force);
  }
}

void run_regress(const Args& args, Context& ctx, const grp::MatrixSet& set, const std::string& outdir) {
  if (!args.has("regress-out")) throw axon::UsageError("group regress needs --regress-out");
  const grp::Design design = covariate_design(args, set.subjects);
  const Eigen::Index n = static_cast<Eigen::Index>(set.subjects.size()), p = set.matrices[0].rows();
  std::vector<bool> train(n, true);
  if (args.has("train")) {
    std::set<std::string> keys;
    for (const auto& id : names(args, "train")) keys.insert(grp::subject_key(id));
    for (Eigen::Index s = 0; s < n; ++s) train[s] = keys.count(grp::subject_key(set.subjects[s])) > 0;
    std::size_t found = 0;
    for (bool t : train) found += t ? 1 : 0;
    if (found != keys.size()) throw axon::UsageError("--train names subjects without a matrix");
  }
  std::vector<std::string> paths;
  for (const auto& in : set.paths) paths.push_back(derived_name(in, "regressed", outdir));
  const std::string r2_path = (std::filesystem::path(outdir) / "group_stat-r2_relmat.tsv").string();
  paths.push_back(r2_path);
  check_outputs(paths, ctx.force);

  const Eigen::MatrixXd features = grp::upper_triangle_features(set.matrices);
  const Eigen::MatrixXd x_train = grp::select_rows(design.x, train);
  // Edges with n/a in any training subject are left n/a.
  std::vector<Eigen::Index> usable;
  for (Eigen::Index e = 0; e < features.cols(); ++e)
    if (grp::select_rows(features.col(e), train).allFinite()) usable.push_back(e);
  Eigen::MatrixXd y(n, static_cast<Eigen::Index>(usable.size()));
  for (std::size_t k = 0; k < usable.size(); ++k) y.col(static_cast<Eigen::Index>(k)) = features.col(usable[k]);
  grp::ConfoundFit fit;
  try {
    fit = grp::fit_confounds(x_train, grp::select_rows(y, train));
  } catch (const std::invalid_argument& e) {
    throw axon::InputError(args.text("covariates"), e.what());
  }
  const Eigen::MatrixXd cleaned = grp::remove_confounds(fit, design.x, y);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd out = Eigen::MatrixXd::Constant(n, features.cols(), nan);
  Eigen::VectorXd r2 = Eigen::VectorXd::Constant(features.cols(), nan);
  for (std::size_t k = 0; k < usable.size(); ++k) {
    out.col(usable[k]) = cleaned.col(static_cast<Eigen::Index>(k));
    r2[usable[k]] = fit.r2[static_cast<Eigen::Index>(k)];
  }
  axon::OutputSet outputs(ctx.force);
  const nlohmann::json extra = {{"RegressedOut", design.columns},
                                {"TrainingSubjects", std::count(train.begin(), train.end(), true)},
                                {"Method", "OLS with intercept on the training subjects; cleaned = y - (x - "
                                           "mean_train(x)) b, so each edge keeps its training mean"}};
  for (Eigen::Index s = 0; s < n; ++s) {
    Eigen::MatrixXd m = grp::from_upper_triangle(out.row(s).transpose(), p, 0);
    m.diagonal() = set.matrices[s].diagonal();
    write_square(m, set.labels, outputs.add(paths[s]));
    axon::write_sidecar(outputs, paths[s], ctx, extra);
  }
  write_square(grp::from_upper_triangle(r2, p, nan), set.labels, outputs.add(r2_path));
  nlohmann::json r2_extra = extra;
  r2_extra["Description"] = "fraction of each edge's variance over the training subjects explained by the covariates";
  axon::write_sidecar(outputs, r2_path, ctx, r2_extra);
  outputs.commit_all();
  ctx.summary = {{"subjects", n}, {"edges", features.cols()}, {"regressors", design.columns}, {"r2", r2_path},
                 {"mean_r2", r2.array().isNaN().all() ? nan : r2.array().isNaN().select(0, r2.array()).sum() /
                                                                  static_cast<double>(usable.size())}};
}

// Features of the matrix set: the upper triangles, edges with n/a in any
// subject left out (with a warning).
Eigen::MatrixXd matrix_features(const grp::MatrixSet& set) {
  const Eigen::MatrixXd features = grp::upper_triangle_features(set.matrices);
  std::vector<Eigen::Index> usable;
  for (Eigen::Index e = 0; e < features.cols(); ++e)
    if (features.col(e).allFinite()) usable.push_back(e);
  if (usable.size() < static_cast<std::size_t>(features.cols()))
    axon::log::warn(std::to_string(features.cols() - static_cast<Eigen::Index>(usable.size())) +
                    " edges with n/a in some subject are left out of the features");
  if (usable.empty()) throw axon::InputError(set.paths[0], "no edge is finite in every subject");
  Eigen::MatrixXd f(features.rows(), static_cast<Eigen::Index>(usable.size()));
  for (std::size_t k = 0; k < usable.size(); ++k) f.col(static_cast<Eigen::Index>(k)) = features.col(usable[k]);
  return f;
}

// `f`: subjects x features (edges, or in-mask voxels of maps); `source`
// describes them in the sidecars.
template <class Matrix>
void run_classify(const Args& args, Context& ctx, const std::vector<std::string>& subjects, const Matrix& f,
                  const nlohmann::json& source, const std::string& outdir) {
  if (!args.has("labels")) throw axon::UsageError("group classify needs --labels");
  if (args.text("model") != "pca-lda") throw axon::UsageError("--model: only pca-lda is available");
  const std::string labels_path = args.text("labels");
  const axon::Table lt = axon::read_tsv(labels_path);
  const std::string column = args.text("label-column");
  if (!lt.has_column(column)) throw axon::InputError(labels_path, "no column '" + column + "' (see --label-column)");
  const std::size_t id_col = lt.has_column("participant_id") ? lt.column_index("participant_id") : 0;
  std::map<std::string, std::string> label_of;
  for (const auto& row : lt.rows) label_of[grp::subject_key(row[id_col])] = row[lt.column_index(column)];
  std::vector<std::string> labels;
  for (const auto& s : subjects) {
    auto it = label_of.find(grp::subject_key(s));
    if (it == label_of.end() || it->second == "n/a") throw axon::InputError(labels_path, "no label for subject " + s);
    labels.push_back(it->second);
  }
  const grp::Design design = covariate_design(args, subjects);

  grp::ClassifyOptions o;
  o.folds = static_cast<int>(args.integer("folds"));
  o.components = static_cast<int>(args.integer("components"));
  o.permutations = static_cast<int>(args.integer("permutations"));
  o.seed = ctx.seed;
  if (o.permutations < 0) throw axon::UsageError("--permutations must not be negative");
  const auto out = [&](const std::string& n) { return (std::filesystem::path(outdir) / n).string(); };
  std::vector<std::string> paths = {out("classify_folds.tsv"), out("classify_predictions.tsv"),
                                    out("classify_confusion.tsv")};
  if (o.permutations > 0) paths.push_back(out("classify_permutations.tsv"));
  check_outputs(paths, ctx.force);
  grp::ClassifyResult r;
  try {
    r = grp::classify_pca_lda(f, labels, design.x, o);
  } catch (const std::invalid_argument& e) {
    throw axon::InputError(labels_path, e.what());
  }
  axon::OutputSet outputs(ctx.force);
  const nlohmann::json extra = {{"Model", "StandardScaler + PCA + LDA (scikit-learn's definitions)"},
                                {"Folds", o.folds},
                                {"Components", r.components},
                                {"RegressedOutInFolds", design.columns},
                                {"Classes", r.classes},
                                {"Features", f.cols()},
                                {"FeatureSource", source},
                                {"Permutations", o.permutations},
                                {"PermutationP", r.permutation_p}};
  {
    axon::Table t;
    t.columns = {"fold", "train", "test", "accuracy", "balanced_accuracy", "auc"};
    for (std::size_t k = 0; k < r.folds.size(); ++k) {
      const auto& m = r.folds[k];
      t.rows.push_back({std::to_string(k), std::to_string(m.train), std::to_string(m.test),
                        axon::format_number(m.accuracy), axon::format_number(m.balanced_accuracy),
                        axon::format_number(m.auc)});
    }
    t.rows.push_back({"mean", "n/a", "n/a", axon::format_number(r.mean.accuracy),
                      axon::format_number(r.mean.balanced_accuracy), axon::format_number(r.mean.auc)});
    axon::write_tsv(t, outputs.add(paths[0]));
    axon::write_sidecar(outputs, paths[0], ctx, extra);
  }
  {
    axon::Table t;
    t.columns = {"participant_id", "label", "fold", "predicted", "decision"};
    for (std::size_t s = 0; s < labels.size(); ++s)
      t.rows.push_back({subjects[s], labels[s], std::to_string(r.fold[s]), r.classes[r.predicted[s]],
                        axon::format_number(r.decision[s])});
    axon::write_tsv(t, outputs.add(paths[1]));
    axon::write_sidecar(outputs, paths[1], ctx, extra);
  }
  {
    axon::Table t;
    t.columns = {"true_label"};
    for (const auto& c : r.classes) t.columns.push_back("predicted_" + c);
    for (std::size_t a = 0; a < r.classes.size(); ++a) {
      std::vector<std::string> row = {r.classes[a]};
      for (std::size_t b = 0; b < r.classes.size(); ++b)
        row.push_back(std::to_string(r.confusion(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b))));
      t.rows.push_back(row);
    }
    axon::write_tsv(t, outputs.add(paths[2]));
    axon::write_sidecar(outputs, paths[2], ctx, extra);
  }
  if (o.permutations > 0) {
    axon::Table t;
    t.add_column("mean_accuracy", r.permutation_accuracy);
    axon::write_tsv(t, outputs.add(paths[3]));
    axon::write_sidecar(outputs, paths[3], ctx, extra);
  }
  outputs.commit_all();
  ctx.summary = {{"subjects", labels.size()},  {"classes", r.classes},
                 {"features", f.cols()},       {"components", r.components},
                 {"accuracy", r.mean.accuracy}, {"balanced_accuracy", r.mean.balanced_accuracy},
                 {"auc", std::isnan(r.mean.auc) ? nlohmann::json() : nlohmann::json(r.mean.auc)},
                 {"permutation_p", r.permutation_p}, {"folds", paths[0]}};
}

void run_tangent(const Args&, Context& ctx, const grp::MatrixSet& set, const std::string& outdir) {
  std::vector<std::string> paths;
  for (const auto& in : set.paths) paths.push_back(derived_name(in, "tangent", outdir));
  const std::string mean_path = (std::filesystem::path(outdir) / "group_desc-geometricmean_relmat.tsv").string();
  paths.push_back(mean_path);
  check_outputs(paths, ctx.force);
  grp::TangentResult r;
  try {
    r = grp::tangent_embedding(set.matrices);
  } catch (const std::invalid_argument& e) {
    throw axon::InputError(set.paths[0], e.what());
  }
  axon::OutputSet outputs(ctx.force);
  const nlohmann::json extra = {{"Kind", "tangent (nilearn): logm(G^-1/2 C G^-1/2), G the geometric mean"},
                                {"Iterations", r.iterations}};
  for (std::size_t s = 0; s < set.paths.size(); ++s) {
    write_square(r.tangent[s], set.labels, outputs.add(paths[s]));
    axon::write_sidecar(outputs, paths[s], ctx, extra);
  }
  write_square(r.mean, set.labels, outputs.add(mean_path));
  axon::write_sidecar(outputs, mean_path, ctx, extra);
  outputs.commit_all();
  ctx.summary = {{"subjects", set.paths.size()}, {"mean", mean_path}, {"iterations", r.iterations}};
}

}  // namespace

axon::cli::Command group_command() {
  return Command("group", "group-level analysis of connectivity matrices: regress, classify, tangent")
      .synopsis("regress|classify|tangent --matrices LIST|GLOB --out DIR [options] "
                "(classify: or --maps LIST|GLOB --mask MASK)")
      .positional(argument("ACTION", ValueKind::text,
                           "regress: remove covariate effects from every edge; classify: PCA-LDA with stratified "
                           "k-fold cross-validation; tangent: tangent-space embedding around the geometric mean"))
      .option(repeated(value(ValueKind::text, "matrices", "LIST|GLOB",
                             "relmat TSVs: paths, glob patterns (quoted) or a .txt list of paths")))
      .option(repeated(value(ValueKind::text, "maps", "LIST|GLOB",
                             "classify, instead of --matrices: voxel maps (NIfTI, on the --mask grid), listed as "
                             "--matrices; several kinds per subject (e.g. degree and reho) are concatenated")))
      .option(value(ValueKind::input_file, "mask", "MASK", "classify --maps: the voxels used as features (> 0)"))
      .option(value(ValueKind::input_file, "covariates", "TSV", "participant_id plus covariate columns"))
      .option(repeated(value(ValueKind::text, "regress-out", "COLS", "covariates to remove (comma-separated)")))
      .option(repeated(value(ValueKind::text, "categorical", "COLS", "covariates to one-hot code (comma-separated)")))
      .option(repeated(value(ValueKind::text, "train", "IDS",
                             "regress: fit on these subjects only (comma-separated), apply to all")))
      .option(value(ValueKind::input_file, "labels", "TSV", "classify: participant_id plus the label column"))
      .option(value(ValueKind::text, "label-column", "NAME", "classify: the labels' column", "label"))
      .option(choice("model", {"pca-lda"}, "pca-lda", "classify: the model"))
      .option(value(ValueKind::integer, "components", "N", "classify: PCA components (capped by the training size)", "10"))
      .option(value(ValueKind::integer, "folds", "K", "classify: stratified folds", "10"))
      .option(value(ValueKind::integer, "permutations", "N", "classify: label permutations for a p-value; 0: none", "0"))
      .option(required(value(ValueKind::text, "out", "DIR", "output folder (created if missing, like mkdir -p)")))
      .description(
          "regress: ordinary least squares of every edge on the covariates (categorical ones one-hot coded) plus "
          "an intercept, fitted on --train subjects (default all) and applied to every subject; writes each "
          "cleaned matrix (_desc-regressed_relmat.tsv) and group_stat-r2_relmat.tsv, the variance explained per "
          "edge. classify: the upper triangles as features, StandardScaler, PCA, LDA on scikit-learn's "
          "StratifiedKFold folds, with --regress-out fitted inside each training fold; writes per-fold and mean "
          "accuracy, balanced accuracy and AUC, predictions, the confusion matrix and, with --permutations, the "
          "permutation p-value (1 + #{permuted >= observed}) / (1 + N). classify --maps: the in-mask voxel values "
          "of each subject's maps (all kinds, sorted by kind) are the features instead. tangent: nilearn's tangent "
          "kind.")
      .example("axon-connectivity group regress --matrices 'derivatives/sub-*_meas-correlation_relmat.tsv' "
               "--covariates participants.tsv --regress-out age,sex,site --categorical sex,site --out cleaned/",
               "remove age, sex and site from every edge")
      .example("axon-connectivity group classify --matrices list.txt --labels participants.tsv --label-column "
               "diagnosis --regress-out age --covariates participants.tsv --folds 10 --permutations 1000 --out cv/",
               "PCA-LDA with age regressed inside the folds, and a permutation p-value")
      .example("axon-connectivity group classify --maps 'maps/sub-*_stat-degree_boldmap.nii.gz' --mask "
               "group_mask.nii.gz --labels participants.tsv --label-column diagnosis --out cv/",
               "PCA-LDA on voxel-wise degree maps")
      .run([](const Args& args, Context& ctx) {
        const std::string action = args.text("ACTION"), outdir = args.text("out");
        if (action != "regress" && action != "classify" && action != "tangent")
          throw axon::UsageError("ACTION must be regress, classify or tangent, not '" + action + "'");
        if (args.has("maps")) {
          if (action != "classify") throw axon::UsageError("--maps is for classify only");
          if (args.has("matrices")) throw axon::UsageError("give --matrices or --maps, not both");
          if (!args.has("mask")) throw axon::UsageError("--maps needs --mask");
          const std::string mask_path = args.text("mask");
          const axon::Mask mask = axon::mask_from_image(axon::read_volume<float>(mask_path), mask_path);
          const grp::MapSet maps = grp::read_map_set(args.list("maps"), mask, mask_path);
          const nlohmann::json source = {
              {"Kind", "voxel maps"}, {"Mask", mask_path}, {"MaskVoxels", mask.count()}, {"MapKinds", maps.kinds}};
          run_classify(args, ctx, maps.subjects, maps.features, source, outdir);
          return;
        }
        if (!args.has("matrices")) throw axon::UsageError("give --matrices (or, for classify, --maps)");
        const grp::MatrixSet set = grp::read_matrix_set(args.list("matrices"));
        // A missing --out folder is made now and removed again if the command
        // fails before committing its outputs.
        axon::OutputFolder folder(outdir);
        folder.create();
        if (action == "regress") run_regress(args, ctx, set, outdir);
        else if (action == "classify")
          run_classify(args, ctx, set.subjects, matrix_features(set), {{"Kind", "matrix upper triangles"}}, outdir);
        else run_tangent(args, ctx, set, outdir);
        folder.keep();
      });
}
