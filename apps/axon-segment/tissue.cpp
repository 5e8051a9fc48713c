#include <cmath>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/report/raster.hpp"
#include "axon/segment/qc_figure.hpp"
#include "axon/segment/tissue_classes.hpp"
#include "commands.hpp"
#include "input_checks.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

axon::cli::Command tissue_command() {
  return Command("tissue", "tissue classes (GMM + Potts MRF, interleaved bias correction) and partial-volume maps")
      .positional(argument("IN", ValueKind::input_file, "3D image (T1-weighted: CSF < GM < WM)"))
      .option(required(value(ValueKind::input_file, "mask", "M", "brain mask (voxels > 0), same grid")))
      .option(required(value(ValueKind::output_file, "out-labels", "L", "labels 1..K by increasing mean (0 outside)")))
      .option(value(ValueKind::integer, "classes", "K", "number of classes (2 to 10)", "3"))
      .option(value(ValueKind::real, "mrf", "BETA", "Potts interaction per neighbour (0: no spatial prior)", "0.1"))
      .option(choice("neighbourhood", {"6", "26"}, "6", "MRF neighbours: faces (6) or all (26)"))
      .option(choice("bias", {"auto", "off"}, "auto", "estimate a smooth bias field between EM iterations"))
      .option(choice("init", {"kmeans", "otsu"}, "kmeans", "initial classes: 1D k-means or multi-level Otsu"))
      .option(value(ValueKind::integer, "iterations", "N", "at most N EM iterations", "20"))
      .option(value(ValueKind::text, "pve", "PREFIX", "write partial-volume fractions PREFIX_pve_1..K.nii.gz"))
      .option(value(ValueKind::output_file, "out-bias", "F", "write the estimated multiplicative bias field"))
      .option(qc_figure_option())
      .description(
          "Gaussian mixture EM with a Potts MRF prior by mean field (Zhang, Brady & Smith 2001, as FSL FAST), "
          "interleaved with a smooth (cubic polynomial) log bias field fitted to the residuals (Wells et al. 1996; "
          "as FAST and antsAtroposN4 alternate segmentation and bias correction). Classes are numbered by "
          "increasing mean: for T1, 1 CSF, 2 GM, 3 WM. Partial-volume fractions: 1 for the class of a voxel whose "
          "26 neighbours share it; at boundaries the bias-corrected intensity is unmixed linearly between the two "
          "class means around it. Deterministic: same output for any --threads. See docs/axon-segment.md.")
      .example("axon-segment tissue t1.nii.gz --mask brain.nii.gz --out-labels seg.nii.gz --pve t1", "CSF/GM/WM")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), labels_path = args.text("out-labels");
        sg::TissueOptions o;
        const long long k = args.integer("classes"), iterations = args.integer("iterations");
        if (k < 2 || k > 10) throw axon::UsageError("--classes must be between 2 and 10");
        if (iterations < 1 || iterations > 1000) throw axon::UsageError("--iterations must be between 1 and 1000");
        o.classes = static_cast<int>(k);
        o.max_iterations = static_cast<int>(iterations);
        o.mrf_beta = args.real("mrf");
        if (!(o.mrf_beta >= 0) || !std::isfinite(o.mrf_beta)) throw axon::UsageError("--mrf must be >= 0");
        o.neighbourhood = args.text("neighbourhood") == "26" ? 26 : 6;
        o.bias = args.text("bias") == "auto";
        o.init = args.text("init") == "otsu" ? sg::TissueInit::otsu : sg::TissueInit::kmeans;
        if (o.init == sg::TissueInit::otsu && o.classes > 4) throw axon::UsageError("--init otsu supports 2 to 4 classes");
        const auto prefix = args.maybe_text("pve");
        const auto bias_path = args.maybe_text("out-bias");
        std::vector<std::string> pve_paths;
        if (prefix)
          for (int c = 1; c <= o.classes; ++c) pve_paths.push_back(*prefix + "_pve_" + std::to_string(c) + ".nii.gz");
        for (const auto& p : pve_paths) axon::check_output_path(p, ctx.force);

        const auto image = read_intensity_volume(in_path);
        const auto mask = read_mask_like(args.maybe_text("mask"), image, in_path);
        const sg::TissueResult r = sg::classify_tissues(image, mask, o, in_path);

        const nlohmann::json details{{"method", "GMM EM + Potts MRF (mean field), interleaved polynomial bias"},
                                     {"classes", o.classes}, {"mrf_beta", o.mrf_beta},
                                     {"neighbourhood", o.neighbourhood}, {"bias", args.text("bias")},
                                     {"init", args.text("init")}, {"iterations", r.iterations},
                                     {"class_means", r.means}, {"class_sds", r.sds},
                                     {"class_proportions", r.proportions}};
        axon::OutputSet outputs(ctx.force);
        auto labels = axon::image_like<int32_t>(image, axon::DataType::uint8);
        labels.data = r.labels;
        axon::write_image(labels, outputs.add(labels_path));
        axon::write_sidecar(outputs, labels_path, ctx, {{"TissueClasses", details}});
        const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());
        for (int c = 0; c < o.classes; ++c) {
          if (!prefix) break;
          auto pve = axon::image_like<float>(image, axon::DataType::float32);
          std::copy_n(r.pve.begin() + static_cast<std::ptrdiff_t>(c * n), n, pve.data.begin());
          axon::write_image(pve, outputs.add(pve_paths[c]));
          axon::write_sidecar(outputs, pve_paths[c], ctx, {{"PartialVolume", {{"class", c + 1}}}, {"TissueClasses", details}});
        }
        if (bias_path) {
          auto field = axon::image_like<float>(image, axon::DataType::float32);
          field.data = r.bias;
          axon::write_image(field, outputs.add(*bias_path));
          axon::write_sidecar(outputs, *bias_path, ctx, {{"TissueClasses", details}});
        }
        if (const auto qc = args.maybe_text("qc"))
          axon::write_png(sg::label_overlay_figure(image, r.labels), outputs.add(*qc));
        outputs.commit_all();
        ctx.summary = {{"labels", labels_path}, {"iterations", r.iterations}, {"class_means", r.means},
                       {"class_sds", r.sds}, {"class_proportions", r.proportions}};
        axon::log::info("EM iterations: " + std::to_string(r.iterations));
      });
}
