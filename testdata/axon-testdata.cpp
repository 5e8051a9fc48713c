// axon-testdata: write synthetic data with known ground truth (not
// installed; used by tests, benchmarks and the demo).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "axon/core/atomic_output.hpp"
#include "axon/core/command.hpp"
#include "axon/core/error.hpp"
#include "testdata/noisy_t1.hpp"
#include "testdata/synthetic_fmri.hpp"
#include "testdata/tissue_phantom.hpp"

using namespace axon::cli;

namespace {

// "RX,RY,RZ,TX,TY,TZ" in degrees and mm.
axon::RigidParams scanner_move(const std::string& text) {
  std::vector<double> v;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::size_t used = 0;
    try {
      v.push_back(std::stod(item, &used));
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size()) break;
    start = comma + 1;
  }
  if (v.size() != 6) throw axon::UsageError("--scanner-space " + text + ": expected six numbers RX,RY,RZ,TX,TY,TZ (degrees, mm)");
  const double rad = M_PI / 180;
  axon::RigidParams p;
  p.rx = v[0] * rad;
  p.ry = v[1] * rad;
  p.rz = v[2] * rad;
  p.tx = v[3];
  p.ty = v[4];
  p.tz = v[5];
  return p;
}

Command fmri_command() {
  return Command("fmri", "a synthetic BOLD run on Colin27 + AAL (3 mm) with known connectivity, confounds and motion")
      .positional(argument("OUTDIR", ValueKind::text, "folder for bold.nii.gz, atlas.nii.gz and the truth files "
                                                      "(created when missing)"))
      .option(value(ValueKind::integer, "volumes", "N", "number of volumes", "100"))
      .option(value(ValueKind::real, "tr", "S", "repetition time in seconds (written to the header)", "2.0"))
      .option(choice("motion", {"none", "jumps"}, "jumps", "true head motion: none, or a slow drift plus sudden jumps"))
      .option(value(ValueKind::integer, "jumps", "K", "number of sudden jumps with --motion jumps", "3"))
      .option(value(ValueKind::real, "noise", "X", "Gaussian noise sd, in % of the brain's mean signal (1000)", "1.0"))
      .option(value(ValueKind::real, "signal", "A", "region signal amplitude, % signal change per unit", "2.0"))
      .option(value(ValueKind::text, "scanner-space", "RX,RY,RZ,TX,TY,TZ",
                    "move the run out of MNI space: rewrite the headers of bold, atlas and brainmask by this rigid "
                    "transform (degrees, mm; about the grid centre, RAS); the voxel arrays are unchanged"))
      .description("Region time series are drawn from a known covariance (networks of correlated AAL regions plus "
                   "independent ones), scaled onto the Colin27 T1 baseline, with drift, global/white-matter/CSF and "
                   "motion-related confounds, then moved by known rigid motion (trans_x..rot_z, mm and radians, "
                   "about the grid centre in RAS) and given scanner noise. The same --seed gives byte-identical "
                   "files for any --threads. Writes bold.nii.gz, atlas.nii.gz, brainmask.nii.gz, true_motion.tsv, "
                   "true_confounds.tsv, true_region_signals.tsv, true_covariance.tsv, true_correlation.tsv and "
                   "ground_truth.json.")
      .example("axon-testdata fmri synth --volumes 40 --seed 7", "A short run with the default motion")
      .example("axon-testdata fmri clean --motion none --noise 0", "No motion and no noise: connectivity only")
      .run([](const Args& args, Context& ctx) {
        axon::testdata::FmriOptions options;
        options.volumes = args.integer("volumes");
        options.tr = args.real("tr");
        options.motion = axon::testdata::parse_motion_kind(args.text("motion"));
        const long long jumps = args.integer("jumps");
        if (jumps < 0 || jumps > 1000) throw axon::UsageError("--jumps must be between 0 and 1000");
        options.jumps = static_cast<int>(jumps);
        options.noise_percent = args.real("noise");
        options.signal_percent = args.real("signal");
        options.seed = ctx.seed;
        const std::string outdir = args.text("OUTDIR");

        std::error_code ec;
        std::filesystem::create_directories(outdir, ec);
        if (ec) throw axon::OutputError(outdir, "cannot create the folder: " + ec.message());
        for (const char* name : {"bold.nii.gz", "ground_truth.json"})
          axon::check_output_path(outdir + "/" + name, ctx.force);  // fail before the work, not after

        auto fmri = axon::testdata::make_synthetic_fmri(options);
        if (args.has("scanner-space")) axon::testdata::move_to_scanner_space(fmri, scanner_move(args.text("scanner-space")));
        axon::OutputSet outputs(ctx.force);
        axon::testdata::write_synthetic_fmri(fmri, outdir, outputs, {{"Provenance", ctx.provenance()}});
        outputs.commit_all();
        ctx.summary = {{"outdir", outdir},
                       {"volumes", options.volumes},
                       {"jump_volumes", fmri.motion.jump_volumes},
                       {"seed", options.seed}};
      });
}

Command noisy_t1_command() {
  return Command("noisy-t1", "Colin27's brain scaled to [0, 1000] with Rician noise of known sigma")
      .positional(argument("OUT_NOISY", ValueKind::output_file, "noisy image (.nii.gz); its .json holds sigma"))
      .positional(argument("OUT_CLEAN", ValueKind::output_file, "the clean image"))
      .option(required(value(ValueKind::real, "sigma-percent", "P", "noise sigma in % of 1000")))
      .description("noisy = sqrt((clean + n1)^2 + n2^2) with n1, n2 ~ N(0, sigma^2), sigma = P % of 1000; clean is "
                   "ch2bet.nii.gz scaled linearly to [0, 1000].")
      .example("axon-testdata noisy-t1 noisy.nii.gz clean.nii.gz --sigma-percent 5", "5 % Rician noise")
      .run([](const Args& args, Context& ctx) {
        const std::string noisy = args.text("OUT_NOISY"), clean = args.text("OUT_CLEAN");
        const auto t1 = axon::testdata::make_noisy_t1(args.real("sigma-percent"), ctx.seed);
        axon::OutputSet outputs(ctx.force);
        axon::testdata::write_noisy_t1(t1, noisy, clean, outputs, {{"Provenance", ctx.provenance()}});
        outputs.commit_all();
        ctx.summary = {{"noisy", noisy}, {"clean", clean}, {"sigma", t1.sigma}, {"seed", t1.seed}};
      });
}


Command tissue_phantom_command() {
  return Command("tissue-phantom", "a 3-class T1-like phantom with known labels and partial-volume fractions")
      .positional(argument("OUTDIR", ValueKind::text, "folder for t1, labels, fractions, mask, bias (.nii.gz) and truth.json"))
      .option(value(ValueKind::text, "dims", "XxYxZ", "grid size", "72x84x66"))
      .option(value(ValueKind::real, "voxel", "MM", "isotropic voxel size", "2"))
      .option(value(ValueKind::real, "noise", "P", "Rician noise sigma, % of the white-matter mean (850)", "3"))
      .option(value(ValueKind::real, "bias", "A", "amplitude of the log bias field", "0.2"))
      .description("See testdata/tissue_phantom.hpp and docs/testdata.md. Labels: 1 CSF, 2 GM, 3 WM.")
      .example("axon-testdata tissue-phantom phantom --dims 144x168x132 --voxel 1", "the benchmark's size")
      .run([](const Args& args, Context& ctx) {
        axon::testdata::TissuePhantomOptions o;
        const std::string dims = args.text("dims"), outdir = args.text("OUTDIR");
        long long a = 0, b = 0, c = 0;
        if (std::sscanf(dims.c_str(), "%lldx%lldx%lld", &a, &b, &c) != 3 || a < 8 || b < 8 || c < 8 || a > 1024 ||
            b > 1024 || c > 1024)
          throw axon::UsageError("--dims: '" + dims + "' is not like 72x84x66 (8 to 1024 each)");
        o.dims = {a, b, c};
        o.voxel_mm = args.real("voxel");
        o.noise_percent = args.real("noise");
        o.bias_amplitude = args.real("bias");
        if (!(o.voxel_mm > 0) || !(o.noise_percent >= 0)) throw axon::UsageError("--voxel must be > 0, --noise >= 0");
        o.seed = ctx.seed;
        std::error_code ec;
        std::filesystem::create_directories(outdir, ec);
        if (ec) throw axon::OutputError(outdir, "cannot create the folder: " + ec.message());
        const auto phantom = axon::testdata::make_tissue_phantom(o);
        axon::OutputSet outputs(ctx.force);
        axon::testdata::write_tissue_phantom(phantom, outdir, outputs, {{"Provenance", ctx.provenance()}});
        outputs.commit_all();
        ctx.summary = {{"outdir", outdir}, {"noise_sigma", phantom.sigma}};
      });
}

}  // namespace

int main(int argc, char** argv) {
  return Tool("axon-testdata", "synthetic data with known ground truth (deterministic for a --seed)")
      .add(fmri_command())
      .add(noisy_t1_command())
      .add(tissue_phantom_command())
      .main(argc, argv);
}
