#include "testdata/synthetic_fmri.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "axon/core/error.hpp"
#include "axon/core/random.hpp"
#include "axon/core/version.hpp"
#include "axon/io/json.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/tsv.hpp"

namespace axon::testdata {
namespace {
constexpr int kUnitsSec = 8;  // NIFTI_UNITS_SEC
constexpr double kPi = 3.14159265358979323846;
constexpr double kBrainMean = 1000.0;
constexpr double kOutsideBrainFactor = 0.1;
constexpr double kRotationArmMm = 50.0;  // rotation (rad) -> displacement at a typical head radius

// One RNG stream per random ingredient (see random.hpp: why streams).
enum Stream : std::uint64_t {
  kStreamCovariance = 1,
  kStreamRegionSignals = 2,
  kStreamConfounds = 3,
  kStreamMotion = 4,
  kStreamDrift = 5,
  kStreamNoise = 1000,  // + volume * slices + slice
};

// Zero-mean AR(1) series (phi 0.8: slow, like physiological confounds),
// scaled to sample standard deviation `sd` exactly.
Eigen::VectorXd smooth_series(int64_t length, double sd, Rng& rng) {
  const double phi = 0.8;
  Eigen::VectorXd x(length);
  double state = rng.normal();  // the stationary distribution has unit variance
  for (int64_t t = 0; t < length; ++t) {
    if (t > 0) state = phi * state + std::sqrt(1 - phi * phi) * rng.normal();
    x[t] = state;
  }
  x.array() -= x.mean();
  const double norm = length > 1 ? std::sqrt(x.squaredNorm() / static_cast<double>(length - 1)) : 0.0;
  return norm > 0 ? Eigen::VectorXd(x * (sd / norm)) : Eigen::VectorXd(x);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

bool is_zero(const RigidParams& p) {
  return p.tx == 0 && p.ty == 0 && p.tz == 0 && p.rx == 0 && p.ry == 0 && p.rz == 0;
}

void check_options(const FmriOptions& o) {
  if (o.volumes < 2) throw UsageError("--volumes must be at least 2");
  if (!(o.tr > 0)) throw UsageError("--tr must be positive");
  if (!(o.noise_percent >= 0)) throw UsageError("--noise must not be negative");
  if (!(o.signal_percent >= 0)) throw UsageError("the signal amplitude must not be negative");
  if (!(o.independent_fraction >= 0 && o.independent_fraction <= 1))
    throw UsageError("the independent fraction must lie in [0, 1]");
}

// The per-voxel ingredients of the model that do not change over time.
struct VoxelModel {
  std::vector<double> baseline;
  std::vector<int> region;         // index into labels, -1 outside the atlas
  std::vector<unsigned char> brain, white_matter, csf;
  std::vector<double> motion_loading;
};

VoxelModel voxel_model(const Anatomy& anatomy, SyntheticFmri& out) {
  const size_t n = anatomy.t1.data.size();
  VoxelModel m;
  m.baseline.resize(n);
  m.region.assign(n, -1);
  m.brain.assign(n, 0);
  m.white_matter.assign(n, 0);
  m.csf.assign(n, 0);
  m.motion_loading.assign(n, 0.0);

  double brain_sum = 0;
  std::vector<double> atlas_t1;
  for (size_t i = 0; i < n; ++i) {
    m.brain[i] = anatomy.brainmask.data[i] > 0;
    if (m.brain[i]) {
      brain_sum += anatomy.t1.data[i];
      ++out.brain_voxels;
    }
    const int32_t label = anatomy.atlas.data[i];
    if (label != 0) {
      m.region[i] = static_cast<int>(std::lower_bound(anatomy.labels.begin(), anatomy.labels.end(), label) -
                                     anatomy.labels.begin());
      atlas_t1.push_back(anatomy.t1.data[i]);
    }
  }
  if (out.brain_voxels == 0 || brain_sum <= 0) throw InputError(anatomy.template_dir, "the brain mask is empty");
  const double scale = kBrainMean / (brain_sum / static_cast<double>(out.brain_voxels));
  const double gm_median = median(atlas_t1);
  const Grid grid = grid_of(anatomy.t1.header);
  const double z_centre = grid_centre_ras(anatomy.t1.header).z();
  const int64_t nx = grid.dims[0], ny = grid.dims[1];
  for (size_t i = 0; i < n; ++i) {
    const double t1 = std::max(0.0, static_cast<double>(anatomy.t1.data[i]));
    m.baseline[i] = scale * t1 * (m.brain[i] ? 1.0 : kOutsideBrainFactor);
    if (!m.brain[i]) continue;
    if (m.region[i] < 0) {
      // Outside the (grey-matter) atlas: bright is white matter, dark is CSF.
      (t1 >= gm_median ? m.white_matter[i] : m.csf[i]) = 1;
      (t1 >= gm_median ? out.white_matter_voxels : out.csf_voxels) += 1;
    }
    const int64_t idx = static_cast<int64_t>(i);
    const double z = grid.world(static_cast<double>(idx % nx), static_cast<double>((idx / nx) % ny),
                                static_cast<double>(idx / (nx * ny)))
                         .z();
    m.motion_loading[i] = std::clamp((z - z_centre) / 60.0, -1.0, 1.0);
  }
  return m;
}

Table matrix_table(const Eigen::MatrixXd& m, const std::vector<std::string>& names) {
  Table t;
  for (Eigen::Index c = 0; c < m.cols(); ++c)
    t.add_column(names[static_cast<size_t>(c)], std::vector<double>(m.col(c).data(), m.col(c).data() + m.rows()));
  return t;
}

// The motion columns, named as fMRIPrep names them.
const std::pair<const char*, double RigidParams::*> kMotionColumns[6] = {
    {"trans_x", &RigidParams::tx}, {"trans_y", &RigidParams::ty}, {"trans_z", &RigidParams::tz},
    {"rot_x", &RigidParams::rx},   {"rot_y", &RigidParams::ry},   {"rot_z", &RigidParams::rz}};

nlohmann::json params_json(const RigidParams& p) {
  nlohmann::json j;
  for (const auto& [name, field] : kMotionColumns) j[name] = p.*field;
  return j;
}
}  // namespace

void move_to_scanner_space(SyntheticFmri& f, const RigidParams& params) {
  const Eigen::Matrix4d move = rigid_matrix(params, grid_centre_ras(f.bold.header));
  for (ImageHeader* h : {&f.bold.header, &f.atlas.header, &f.brainmask.header})
    h->set_affine(move * h->affine(), 1, 1);  // NIFTI_XFORM_SCANNER_ANAT: a raw scan's space
  f.scanner_space = params;
  f.scanner_move = move;
}

SyntheticFmri make_synthetic_fmri(const FmriOptions& options) {
  check_options(options);
  SyntheticFmri out;
  out.options = options;
  const int64_t volumes = options.volumes;
  const std::uint64_t seed = options.seed;

  // First, so that impossible motion options fail before any file is read.
  Rng motion_rng = Rng::stream(seed, kStreamMotion);
  out.motion = make_true_motion(volumes, options.motion, options.jumps, motion_rng);

  Anatomy anatomy = load_anatomy(options.template_dir, options.voxel_mm);
  out.labels = anatomy.labels;
  out.voxels_per_label = anatomy.voxels_per_label;
  for (int32_t label : out.labels) out.label_names.push_back(anatomy.label_table.name_of(label));
  const VoxelModel model = voxel_model(anatomy, out);

  Rng covariance_rng = Rng::stream(seed, kStreamCovariance);
  out.truth = make_region_covariance(static_cast<int>(out.labels.size()), options.networks,
                                     options.independent_fraction, covariance_rng);
  out.correlation = correlation_from_covariance(out.truth.covariance);
  Rng signal_rng = Rng::stream(seed, kStreamRegionSignals);
  out.region_signals = draw_multivariate_normal(out.truth.covariance, volumes, signal_rng);

  Rng drift_rng = Rng::stream(seed, kStreamDrift);
  out.drift_linear = drift_rng.uniform(-0.02, 0.02);
  out.drift_quadratic = drift_rng.uniform(-0.01, 0.01);

  // Confound time courses, as fractions of the baseline.
  Rng confound_rng = Rng::stream(seed, kStreamConfounds);
  out.confound_names = {"drift", "global_signal", "white_matter", "csf", "motion_signal"};
  out.confounds.resize(volumes, 5);
  for (int64_t t = 0; t < volumes; ++t) {
    const double tau = static_cast<double>(t) / static_cast<double>(volumes - 1) - 0.5;
    out.confounds(t, 0) = out.drift_linear * tau + out.drift_quadratic * (tau * tau - 1.0 / 12.0);
  }
  out.confounds.col(1) = smooth_series(volumes, 0.005, confound_rng);
  out.confounds.col(2) = smooth_series(volumes, 0.005, confound_rng);
  out.confounds.col(3) = smooth_series(volumes, 0.010, confound_rng);
  Eigen::Matrix<double, 6, 1> motion_weights;
  for (int j = 0; j < 6; ++j) motion_weights[j] = confound_rng.normal();
  motion_weights.normalize();
  for (int64_t t = 0; t < volumes; ++t) {
    const RigidParams& p = out.motion.params[static_cast<size_t>(t)];
    Eigen::Matrix<double, 6, 1> m;
    m << p.tx, p.ty, p.tz, kRotationArmMm * p.rx, kRotationArmMm * p.ry, kRotationArmMm * p.rz;
    out.confounds(t, 4) = 0.005 * motion_weights.dot(m);
  }

  out.atlas = std::move(anatomy.atlas);
  out.brainmask = std::move(anatomy.brainmask);
  out.bold = image_like<float>(anatomy.t1, DataType::float32, volumes);
  out.bold.header.pixdim[4] = options.tr;
  out.bold.header.time_units = kUnitsSec;
  out.bold.header.toffset = 0;
  out.bold.header.descrip = "axon synthetic fMRI, seed " + std::to_string(seed);
  out.bold.header.cal_min = out.bold.header.cal_max = 0;
  out.noise_sd = options.noise_percent / 100.0 * kBrainMean;
  const double amplitude = options.signal_percent / 100.0;

  const int64_t n = anatomy.t1.voxels_per_volume(), nz = anatomy.t1.nz(), slice = n / nz;
  Image<float> head = image_like<float>(anatomy.t1, DataType::float32);
  for (int64_t t = 0; t < volumes; ++t) {
    const double drift = out.confounds(t, 0), global = out.confounds(t, 1), wm = out.confounds(t, 2),
                 csf = out.confounds(t, 3), motion_signal = out.confounds(t, 4);
    for (int64_t i = 0; i < n; ++i) {
      const size_t v = static_cast<size_t>(i);
      double relative = 1.0 + drift;
      if (model.region[v] >= 0) relative += amplitude * out.region_signals(t, model.region[v]);
      if (model.brain[v]) relative += global + motion_signal * model.motion_loading[v];
      if (model.white_matter[v]) relative += wm;
      if (model.csf[v]) relative += csf;
      head.data[v] = static_cast<float>(model.baseline[v] * relative);
    }
    const RigidParams& params = out.motion.params[static_cast<size_t>(t)];
    const Image<float> moved = is_zero(params) ? head : apply_rigid(head, params, Interpolation::linear);
    float* dst = out.bold.volume(t);
    std::copy(moved.data.begin(), moved.data.end(), dst);
    if (out.noise_sd > 0) {
      // One stream per (volume, slice): the same noise for any thread count.
#pragma omp parallel for schedule(static)
      for (int64_t z = 0; z < nz; ++z) {
        Rng noise = Rng::stream(seed, kStreamNoise + static_cast<std::uint64_t>(t * nz + z));
        for (int64_t i = z * slice; i < (z + 1) * slice; ++i)
          dst[i] = static_cast<float>(dst[i] + out.noise_sd * noise.normal());
      }
    }
  }
  return out;
}

nlohmann::json synthetic_fmri_truth(const SyntheticFmri& f) {
  const FmriOptions& o = f.options;
  nlohmann::json j;
  j["generator"] = {{"function", "axon::testdata::make_synthetic_fmri"},
                    {"axon_version", version()},
                    {"git_commit", git_commit()}};
  j["seed"] = o.seed;
  j["volumes"] = o.volumes;
  j["repetition_time_s"] = o.tr;
  j["voxel_mm"] = o.voxel_mm;
  j["dims"] = {f.bold.nx(), f.bold.ny(), f.bold.nz()};
  const Eigen::Matrix4d affine = f.bold.header.affine();
  nlohmann::json rows = nlohmann::json::array();
  for (int r = 0; r < 4; ++r) rows.push_back({affine(r, 0), affine(r, 1), affine(r, 2), affine(r, 3)});
  j["affine_ras"] = rows;
  if (f.scanner_space) {
    nlohmann::json m = nlohmann::json::array();
    for (int r = 0; r < 4; ++r) m.push_back({f.scanner_move(r, 0), f.scanner_move(r, 1), f.scanner_move(r, 2), f.scanner_move(r, 3)});
    j["scanner_space"] = {{"params", params_json(*f.scanner_space)},
                          {"matrix_ras", m},
                          {"how", "headers rewritten (affine_ras = matrix_ras x the MNI-space affine), voxel arrays "
                                  "unchanged: atlas.nii.gz is the true label of every BOLD voxel"},
                          {"motion_world", "true_motion.tsv is in the MNI world, before the move"}};
  }
  j["templates"] = {{"t1", o.template_dir + "/ch2.nii.gz"},
                    {"brain", o.template_dir + "/ch2bet.nii.gz"},
                    {"atlas", o.template_dir + "/aal.nii.gz"},
                    {"labels", o.template_dir + "/aal.nii.txt"}};
  j["model"] =
      "y_v(t) = b_v (1 + A s_r(t) + drift(t) + global_signal(t) + [WM] white_matter(t) + [CSF] csf(t) + "
      "w_v motion_signal(t)), then moved by the true motion (linear interpolation), plus N(0, noise_sd^2)";
  j["baseline"] = {{"brain_mean", kBrainMean}, {"outside_brain_factor", kOutsideBrainFactor}};
  j["signal_percent"] = o.signal_percent;
  j["noise_percent"] = o.noise_percent;
  j["noise_sd"] = f.noise_sd;
  j["drift"] = {{"linear", f.drift_linear}, {"quadratic", f.drift_quadratic},
                {"form", "linear tau + quadratic (tau^2 - 1/12), tau = t/(T-1) - 1/2"}};
  j["confounds"] = {
      {"file", "true_confounds.tsv"},
      {"units", "fraction of the voxel baseline b_v"},
      {"columns",
       {{"drift", "every voxel"},
        {"global_signal", "every brain-mask voxel"},
        {"white_matter", "brain voxels outside the atlas with T1 >= the atlas voxels' median"},
        {"csf", "brain voxels outside the atlas with T1 < the atlas voxels' median"},
        {"motion_signal", "brain voxels, loading w_v = clamp((z - z_centre) / 60 mm, -1, 1)"}}}};
  j["tissue_voxels"] = {{"brain", f.brain_voxels}, {"white_matter", f.white_matter_voxels}, {"csf", f.csf_voxels}};
  j["motion"] = {{"kind", motion_kind_name(o.motion)},
                 {"file", "true_motion.tsv"},
                 {"columns", {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"}},
                 {"units", "mm and radians"},
                 {"convention",
                  "p' = R (p - c) + c + t in RAS+ world mm; R = Rz(rot_z) Ry(rot_y) Rx(rot_x), right-handed; "
                  "c = world centre of the voxel grid; volume 0 is the reference (zero motion); "
                  "moved(p') = reference(p)"},
                 {"interpolation", "linear"},
                 {"jumps_requested", o.motion == MotionKind::jumps ? o.jumps : 0},
                 {"jump_volumes", f.motion.jump_volumes}};
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : f.motion.jump_steps) steps.push_back(params_json(s));
  j["motion"]["jump_steps"] = steps;
  const Eigen::Vector3d c = grid_centre_ras(f.bold.header);
  j["motion"]["centre_ras"] = {c.x(), c.y(), c.z()};

  j["connectivity"] = {{"networks", f.truth.networks},
                       {"independent_fraction", o.independent_fraction},
                       {"factor_correlation_networks_0_1", f.truth.factor_correlation_01},
                       {"covariance_file", "true_covariance.tsv"},
                       {"correlation_file", "true_correlation.tsv"},
                       {"region_signals_file", "true_region_signals.tsv"},
                       {"samples", "region signals are iid over volumes (no autocorrelation)"}};
  nlohmann::json regions = nlohmann::json::array(), empty = nlohmann::json::array();
  for (size_t r = 0; r < f.labels.size(); ++r) {
    regions.push_back({{"label", f.labels[r]},
                       {"name", f.label_names[r]},
                       {"voxels", f.voxels_per_label[r]},
                       {"network", f.truth.network[r]},
                       {"loading", f.truth.loading[r]},
                       {"sd", f.truth.sd[r]}});
    if (f.voxels_per_label[r] == 0) empty.push_back({{"label", f.labels[r]}, {"name", f.label_names[r]}});
  }
  j["regions"] = regions;
  j["empty_regions"] = empty;
  return j;
}

void write_synthetic_fmri(const SyntheticFmri& f, const std::string& outdir, OutputSet& outputs,
                          const nlohmann::json& extra) {
  const std::string dir = outdir.empty() ? "." : outdir;
  write_image(f.bold, outputs.add(dir + "/bold.nii.gz"));
  write_image(f.atlas, outputs.add(dir + "/atlas.nii.gz"));
  write_image(f.brainmask, outputs.add(dir + "/brainmask.nii.gz"));

  Table motion;
  for (const auto& [name, field] : kMotionColumns) {
    std::vector<double> values;
    for (const auto& p : f.motion.params) values.push_back(p.*field);
    motion.add_column(name, values);
  }
  write_tsv(motion, outputs.add(dir + "/true_motion.tsv"));
  write_tsv(matrix_table(f.confounds, f.confound_names), outputs.add(dir + "/true_confounds.tsv"));
  write_tsv(matrix_table(f.region_signals, f.label_names), outputs.add(dir + "/true_region_signals.tsv"));
  write_tsv(matrix_table(f.truth.covariance, f.label_names), outputs.add(dir + "/true_covariance.tsv"));
  write_tsv(matrix_table(f.correlation, f.label_names), outputs.add(dir + "/true_correlation.tsv"));

  nlohmann::json truth = synthetic_fmri_truth(f);
  for (const auto& [key, value] : extra.items()) truth[key] = value;
  write_json(truth, outputs.add(dir + "/ground_truth.json"));
}

void write_synthetic_fmri(const SyntheticFmri& f, const std::string& outdir, bool force) {
  if (!outdir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(outdir, ec);
    if (ec) throw OutputError(outdir, "cannot create the folder: " + ec.message());
  }
  OutputSet outputs(force);
  write_synthetic_fmri(f, outdir, outputs);
  outputs.commit_all();
}

}  // namespace axon::testdata
