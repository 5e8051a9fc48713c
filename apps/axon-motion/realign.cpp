#include <cmath>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/image/series_matrix.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/motion/bold_input.hpp"
#include "axon/motion/carpet.hpp"
#include "axon/motion/compcor.hpp"
#include "axon/motion/confounds.hpp"
#include "axon/motion/epi_mask.hpp"
#include "axon/motion/non_steady_state.hpp"
#include "axon/motion/realign.hpp"
#include "axon/motion/tsnr.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace mo = axon::motion;

namespace {

// A non-negative integer, or nullopt for `word`; anything else is a usage error.
std::optional<int64_t> integer_or(const std::string& text, const std::string& word, const std::string& option) {
  if (text == word) return std::nullopt;
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v < 0) throw axon::UsageError(option + ": '" + text + "' is neither " + word + " nor a non-negative integer");
  return v;
}

mo::RealignOptions realign_options(const std::string& reference, int64_t volumes) {
  mo::RealignOptions o;
  if (reference == "mean") o.reference = mo::ReferenceKind::mean;
  else if (reference == "median") o.reference = mo::ReferenceKind::median;
  else {
    o.reference = mo::ReferenceKind::volume;
    o.reference_volume = reference == "first" ? 0 : *integer_or(reference, "first", "--reference");
    if (o.reference_volume >= volumes)
      throw axon::UsageError("--reference " + reference + ": the series has volumes 0.." + std::to_string(volumes - 1));
  }
  return o;
}

// Which voxels of which file a tissue mask is (the sidecar's Settings).
nlohmann::json tissue_mask_json(const std::string& path, std::optional<int> label, const axon::Mask& mask) {
  return {{"path", path}, {"label", label ? nlohmann::json(*label) : nlohmann::json("> 0")}, {"voxels", mask.count()}};
}

const nlohmann::json kConvention{
    {"space", "RAS+ world millimetres of the input's sform/qform"},
    {"centre_of_rotation", "the world position of the voxel grid's centre ((n-1)/2 along each axis)"},
    {"rotation_order", "R = Rz(rot_z) Ry(rot_y) Rx(rot_x), fixed world axes, right-handed, radians"},
    {"mapping", "a head point at p in volume 0 is at R (p - c) + c + t in volume T (t = trans_x, trans_y, trans_z mm)"},
    {"relative_to", "volume 0 (volume 0 is all zeros), whatever the registration reference"}};

}  // namespace

axon::cli::Command realign_command() {
  return Command("realign", "rigid realignment of a BOLD run and fMRIPrep-compatible motion confounds")
      .option(required(value(ValueKind::input_file, "bold", "BOLD", "4D BOLD series (at least 3 volumes)")))
      .option(required(value(ValueKind::output_file, "out-confounds", "TSV",
                             "confounds table with fMRIPrep's column names (+ JSON sidecar)")))
      .option(value(ValueKind::output_file, "out-bold", "IMG", "the realigned series (float32, linear interpolation)"))
      .option(value(ValueKind::text, "reference", "mean|median|first|N",
                    "registration target: the mean or median of a first alignment to the middle volume "
                    "(MCFLIRT's two passes), volume 0, or volume N",
                    "mean"))
      .option(value(ValueKind::input_file, "mask", "MASK",
                    "brain mask on the BOLD grid for DVARS, the global signal and the carpet plot "
                    "(default: the mean image above 10 % of its 2-98 percentile range)"))
      .option(value(ValueKind::real, "head-radius", "MM", "sphere radius turning rotations into FD millimetres (Power 2012)", "50"))
      .option(value(ValueKind::real, "fd-threshold", "MM", "motion_outlier when FD exceeds this", "0.5"))
      .option(value(ValueKind::real, "dvars-threshold", "X", "motion_outlier when std_dvars exceeds this", "1.5"))
      .option(value(ValueKind::text, "dummy-scans", "N|auto",
                    "leading non-steady-state volumes: a count, or auto (nipype's NonSteadyStateDetector)", "auto"))
      .option(value(ValueKind::output_file, "out-tsnr", "IMG", "tSNR map (mean / sd over time of the realigned series)"))
      .option(value(ValueKind::output_file, "report", "PNG", "carpet plot with FD and std_dvars traces"))
      .option(value(ValueKind::input_file, "wm-mask", "MASK", "white-matter mask: white_matter column and aCompCor"))
      .option(value(ValueKind::input_file, "csf-mask", "MASK", "CSF mask: csf column and aCompCor"))
      .option(value(ValueKind::integer, "wm-label", "N",
                    "the white matter is the voxels of --wm-mask with value N (a tissue segmentation; "
                    "default: voxels > 0)"))
      .option(value(ValueKind::integer, "csf-label", "N", "the CSF is the voxels of --csf-mask with value N (default: voxels > 0)"))
      .option(value(ValueKind::real, "tr", "SECONDS", "repetition time, overriding a missing or implausible header value"))
      .description(
          "Every volume is registered rigidly (6 parameters, ITK v4, normalised correlation, 3 resolution levels) "
          "to the reference, volumes in parallel; the parameters are reported relative to volume 0. DVARS, the "
          "global and tissue signals, aCompCor, tSNR and the carpet plot use the realigned series. aCompCor "
          "(with --wm-mask and --csf-mask): the union of both masks eroded once, cosine high-pass at 128 s, "
          "components up to 50 % of the variance (fMRIPrep's rule). Column definitions and the parameter "
          "convention: docs/axon-motion.md.")
      .example("axon-motion realign --bold bold.nii.gz --out-confounds confounds.tsv --mask brain.nii.gz",
               "Motion parameters, FD, DVARS and outliers")
      .example("axon-motion realign --bold bold.nii.gz --out-confounds c.tsv --out-bold mc.nii.gz --report carpet.png --json",
               "Also the realigned series and a carpet plot; a JSON summary on stdout")
      .run([](const Args& args, Context& ctx) {
        const std::string bold_path = args.text("bold"), confounds_path = args.text("out-confounds");
        const auto out_bold = args.maybe_text("out-bold"), out_tsnr = args.maybe_text("out-tsnr"),
                   report = args.maybe_text("report");
        // Outputs are checked before any work (exit 4 early, not after minutes).
        for (const auto& p : {std::optional<std::string>(confounds_path), out_bold, out_tsnr, report})
          if (p) axon::check_output_path(*p, ctx.force);
        for (const auto& p : {std::optional<std::string>(confounds_path), out_bold, out_tsnr})
          if (p) axon::check_output_path(axon::sidecar_path(*p), ctx.force);
        const auto wm_path = args.maybe_text("wm-mask"), csf_path = args.maybe_text("csf-mask");
        if (wm_path.has_value() != csf_path.has_value())
          throw axon::UsageError("--wm-mask and --csf-mask go together (aCompCor uses both)");
        auto label_of = [&](const std::string& tissue, const std::optional<std::string>& mask) -> std::optional<int> {
          if (!args.has(tissue + "-label")) return std::nullopt;
          if (!mask) throw axon::UsageError("--" + tissue + "-label selects a label of --" + tissue + "-mask: give that too");
          return static_cast<int>(args.integer(tissue + "-label"));
        };
        const auto wm_label = label_of("wm", wm_path), csf_label = label_of("csf", csf_path);

        const auto bold = axon::read_image<float>(bold_path);
        mo::require_bold_series(bold, bold_path);
        const int64_t nt = bold.nt();
        const double tr = mo::repetition_time(bold.header, bold_path,
                                              args.has("tr") ? std::optional<double>(args.real("tr")) : std::nullopt);
        const axon::Grid grid = axon::grid_of(bold.header);
        std::optional<axon::Mask> wm, csf, brain;
        if (auto p = args.maybe_text("mask")) brain = mo::read_mask_on_grid(*p, grid, bold_path);
        if (wm_path) wm = mo::read_mask_on_grid(*wm_path, grid, bold_path, wm_label);
        if (csf_path) csf = mo::read_mask_on_grid(*csf_path, grid, bold_path, csf_label);
        const mo::RealignOptions options = realign_options(args.text("reference"), nt);

        mo::ConfoundSettings settings;
        settings.head_radius_mm = args.real("head-radius");
        settings.fd_threshold_mm = args.real("fd-threshold");
        settings.dvars_threshold = args.real("dvars-threshold");
        if (!(settings.head_radius_mm > 0)) throw axon::UsageError("--head-radius must be positive");
        const auto dummy = integer_or(args.text("dummy-scans"), "auto", "--dummy-scans");
        settings.non_steady_volumes = dummy ? *dummy : mo::detect_non_steady_state(bold);
        if (settings.non_steady_volumes >= nt) throw axon::UsageError("--dummy-scans leaves no volume");

        const mo::RealignResult realigned = mo::realign_series(bold, options);
        const mo::ParameterSeries params = mo::parameter_series(realigned.relative_to_first);
        const axon::Image<float> resliced = mo::reslice_series(bold, realigned.to_reference);
        if (!brain) brain = mo::intensity_mask(mo::series_mean(resliced));
        const Eigen::MatrixXf brain_series = axon::series_to_matrix(resliced, *brain);
        const mo::DvarsResult dvars = mo::compute_dvars(brain_series);

        mo::TissueSignals tissue;
        nlohmann::json compcor_meta = nlohmann::json::object();
        if (wm && csf) {
          tissue.white_matter = mo::mean_signal(axon::series_to_matrix(resliced, *wm));
          tissue.csf = mo::mean_signal(axon::series_to_matrix(resliced, *csf));
          const axon::Mask noise = mo::erode_mask(mo::union_mask(*wm, *csf), 1);
          if (noise.indices.empty())
            throw axon::InputError(*wm_path, "the WM + CSF mask is empty after one erosion: aCompCor needs voxels");
          mo::CompCorOptions cc;
          cc.tr_seconds = tr;
          tissue.acompcor = mo::acompcor(axon::series_to_matrix(resliced, noise), cc);
          const auto& r = *tissue.acompcor;
          for (int64_t c = 0; c < r.singular_values.size(); ++c) {
            char name[32];
            std::snprintf(name, sizeof name, "a_comp_cor_%02lld", static_cast<long long>(c));
            compcor_meta[name] = {{"Method", "aCompCor"}, {"Mask", "combined WM+CSF, eroded once (6-neighbourhood)"},
                                  {"SingularValue", r.singular_values[c]},
                                  {"VarianceExplained", r.variance_explained[c]},
                                  {"CumulativeVarianceExplained", r.cumulative_variance[c]},
                                  {"Retained", c < r.kept}};
          }
        }
        const mo::MotionConfounds confounds = mo::build_confounds(params, dvars, tissue, settings);

        nlohmann::json sidecar{
            {"MotionParameters", kConvention},
            {"Settings",
             {{"reference", args.text("reference")}, {"registration", mo::describe(options.registration)},
              {"head_radius_mm", settings.head_radius_mm}, {"rmsd_radius_mm", settings.rms_radius_mm},
              {"fd_threshold_mm", settings.fd_threshold_mm}, {"dvars_threshold", settings.dvars_threshold},
              {"motion_outlier_rule", "framewise_displacement > fd_threshold or std_dvars > dvars_threshold"},
              {"dummy_scans", args.text("dummy-scans")}, {"non_steady_state_volumes", settings.non_steady_volumes},
              {"repetition_time_s", tr}, {"brain_mask", args.has("mask") ? args.text("mask") : "intensity (10 % of p2-p98)"},
              {"brain_mask_voxels", brain->count()},
              {"tissue_masks", wm ? nlohmann::json{{"white_matter", tissue_mask_json(*wm_path, wm_label, *wm)},
                                                   {"csf", tissue_mask_json(*csf_path, csf_label, *csf)}}
                                  : nlohmann::json(nullptr)},
              {"acompcor", wm ? nlohmann::json{{"high_pass", "cosine basis, period cut 128 s"},
                                               {"components", "until 50 % cumulative variance"},
                                               {"retained", tissue.acompcor->kept},
                                               {"voxels", tissue.acompcor->voxels}}
                              : nlohmann::json(nullptr)}}}};
        if (report)  // a figure has no sidecar of its own: its layout is described with the table
          sidecar["Report"] = {{"path", *report},
                               {"layout", "top: framewise_displacement (mm, red line: threshold); middle: std_dvars "
                                          "(red line: threshold); bottom: brain-mask voxels in mask order x volumes, "
                                          "each voxel z-scored over time, grey scale -2..2"}};
        sidecar.update(compcor_meta);

        axon::OutputSet outputs(ctx.force);
        axon::write_tsv(confounds.table, outputs.add(confounds_path));
        axon::write_sidecar(outputs, confounds_path, ctx, sidecar);
        if (out_bold) {
          auto image = resliced;
          image.header.datatype = static_cast<int>(axon::DataType::float32);
          image.header.scl_slope = image.header.scl_inter = 0;
          axon::write_image(image, outputs.add(*out_bold));
          axon::write_sidecar(outputs, *out_bold, ctx, {{"MotionParameters", kConvention}});
        }
        if (out_tsnr) {
          axon::write_image(mo::tsnr_map(resliced), outputs.add(*out_tsnr));
          axon::write_sidecar(outputs, *out_tsnr, ctx, {{"Definition", "mean / sd (population) over time of the realigned series; 0 where sd <= 1e-3"}});
        }
        if (report) {
          mo::CarpetOptions co;
          co.fd_threshold = settings.fd_threshold_mm;
          co.dvars_threshold = settings.dvars_threshold;
          axon::write_png(mo::carpet_plot(brain_series, confounds.framewise_displacement, dvars.std_dvars, co),
                          outputs.add(*report));
        }
        outputs.commit_all();
        ctx.summary = mo::motion_summary(params, confounds, settings);
        ctx.summary["confounds"] = confounds_path;
        if (!ctx.json)
          axon::log::info("mean FD " + std::to_string(ctx.summary["mean_fd_mm"].get<double>()) + " mm, " +
                          std::to_string(confounds.motion_outliers.size()) + " motion outlier volumes of " +
                          std::to_string(nt));
      });
}
