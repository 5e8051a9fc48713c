// Experiment driver: realign a synthetic run and print errors vs truth.
#include <Eigen/Dense>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "axon/io/nifti.hpp"
#include "axon/io/tsv.hpp"
#include "axon/motion/framewise.hpp"
#include "axon/motion/realign.hpp"

using namespace axon;
using namespace axon::motion;

static std::vector<double> list_env(const char* name, std::vector<double> def) {
  const char* v = std::getenv(name);
  if (!v) return def;
  std::vector<double> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(std::stod(item));
  return out;
}

int main(int argc, char** argv) {
  const auto bold = read_image<float>(argv[1]);
  const Table t = read_tsv(argv[2]);
  std::vector<RigidParams> truth(static_cast<size_t>(bold.nt()));
  const char* cols[6] = {"trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z"};
  for (int j = 0; j < 6; ++j) {
    auto c = t.numeric(cols[j]);
    for (size_t i = 0; i < truth.size(); ++i) {
      double* f[6] = {&truth[i].tx, &truth[i].ty, &truth[i].tz, &truth[i].rx, &truth[i].ry, &truth[i].rz};
      *f[j] = c[i];
    }
  }
  RealignOptions o;
  if (argc > 3) o.reference = std::string(argv[3]) == "first" ? ReferenceKind::volume : ReferenceKind::mean;
  auto& r = o.registration;
  auto lv = list_env("AX_LEVELS", {});
  if (!lv.empty()) {
    r.shrink_factors.assign(lv.begin(), lv.end());
    r.smoothing_sigmas = list_env("AX_SIGMAS", {});
  }
  if (getenv("AX_ITER")) r.iterations = std::atoi(getenv("AX_ITER"));
  if (getenv("AX_MS")) r.metric = RegistrationMetric::mean_squares;
  if (getenv("AX_REGULAR_STEP")) r.optimizer = RigidOptimizer::regular_step;
  if (getenv("AX_FRAC")) r.sample_fraction = std::atof(getenv("AX_FRAC"));
  if (getenv("AX_NOGF")) r.gradient_filter = false;
  if (getenv("AX_LR")) r.learning_rate = std::atof(getenv("AX_LR"));
  if (getenv("AX_MINSTEP")) r.minimum_step = std::atof(getenv("AX_MINSTEP"));
  if (getenv("AX_RELAX")) r.relaxation = std::atof(getenv("AX_RELAX"));
  if (getenv("AX_STOL")) r.step_tolerance = std::atof(getenv("AX_STOL"));
  const auto t0 = std::chrono::steady_clock::now();
  const RealignResult res = realign_series(bold, o);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Eigen::Vector3d c = grid_centre_ras(bold.header);
  const double deg = 180 / M_PI;
  // (a) relative to first
  auto rms = [&](const std::vector<RigidParams>& est, double& mm, double& dg) {
    double a = 0, b = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
      const auto &e = est[i], &p = truth[i];
      a += std::pow(e.tx - p.tx, 2) + std::pow(e.ty - p.ty, 2) + std::pow(e.tz - p.tz, 2);
      b += (std::pow(e.rx - p.rx, 2) + std::pow(e.ry - p.ry, 2) + std::pow(e.rz - p.rz, 2)) * deg * deg;
    }
    mm = std::sqrt(a / (3.0 * truth.size()));
    dg = std::sqrt(b / (3.0 * truth.size()));
  };
  double mm, dg;
  rms(res.relative_to_first, mm, dg);
  // (b) fitted reference pose: P_t = T_t^-1 M_t, average params.
  RigidParams P;
  for (size_t i = 0; i < truth.size(); ++i) {
    RigidParams q = rigid_params_from_matrix(rigid_matrix(truth[i], c).inverse() * rigid_matrix(res.to_reference[i], c), c);
    P.tx += q.tx / truth.size(); P.ty += q.ty / truth.size(); P.tz += q.tz / truth.size();
    P.rx += q.rx / truth.size(); P.ry += q.ry / truth.size(); P.rz += q.rz / truth.size();
  }
  std::vector<RigidParams> fitted(truth.size());
  const Eigen::Matrix4d Pinv = rigid_matrix(P, c).inverse();
  for (size_t i = 0; i < truth.size(); ++i)
    fitted[i] = rigid_params_from_matrix(rigid_matrix(res.to_reference[i], c) * Pinv, c);
  double mm2, dg2;
  rms(fitted, mm2, dg2);
  const auto fd_e = framewise_displacement(parameter_series(res.relative_to_first));
  const auto fd_t = framewise_displacement(parameter_series(truth));
  double fde = 0;
  std::string fl_e, fl_t;
  for (Eigen::Index i = 1; i < fd_e.size(); ++i) {
    fde += std::pow(fd_e[i] - fd_t[i], 2);
    if (fd_e[i] > 0.5) fl_e += " " + std::to_string(i);
    if (fd_t[i] > 0.5) fl_t += " " + std::to_string(i);
  }
  fde = std::sqrt(fde / (fd_e.size() - 1));
  std::printf("time %.1f s | rel-first %.4f mm %.4f deg | fitted-ref %.4f mm %.4f deg | FD rms %.4f | flagged [%s] truth [%s]\n",
              secs, mm, dg, mm2, dg2, fde, fl_e.c_str(), fl_t.c_str());
  if (getenv("AX_VERBOSE"))
    for (size_t i = 0; i < truth.size(); ++i) {
      const auto &e = fitted[i], &p = truth[i];
      std::printf("%3zu %7.3f %7.3f %7.3f  %7.3f %7.3f %7.3f  fd %.3f %.3f\n", i, e.tx - p.tx, e.ty - p.ty, e.tz - p.tz,
                  (e.rx - p.rx) * deg, (e.ry - p.ry) * deg, (e.rz - p.rz) * deg, i ? fd_e[i] : 0., i ? fd_t[i] : 0.);
    }
}
