#include <cmath>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/report/raster.hpp"
#include "axon/segment/qc_figure.hpp"
#include "axon/segment/tissue_classes.hpp"
#include "axon/segment/tissue_learned.hpp"
#include "commands.hpp"
#include "input_checks.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

namespace {

// What both methods hand the writer: labels 1..K, per-class fractions, the sidecar's details.
struct Classified {
  std::vector<int32_t> labels;
  std::vector<float> pve;   // K volumes (class k at k*n + i)
  std::vector<float> bias;  // classical only
  int classes = 3;
  nlohmann::json details, summary;
};

Classified run_classical(const Args& args, const axon::Image<float>& image, const std::vector<std::uint8_t>& mask,
                         const std::string& in_path) {
  sg::TissueOptions o;
  const long long k = args.integer("classes"), iterations = args.integer("iterations");
  if (iterations < 1 || iterations > 1000) throw axon::UsageError("--iterations must be between 1 and 1000");
  o.classes = static_cast<int>(k);
  o.max_iterations = static_cast<int>(iterations);
  o.mrf_beta = args.real("mrf");
  if (!(o.mrf_beta >= 0) || !std::isfinite(o.mrf_beta)) throw axon::UsageError("--mrf must be >= 0");
  o.neighbourhood = args.text("neighbourhood") == "26" ? 26 : 6;
  o.bias = args.text("bias") == "auto";
  o.init = args.text("init") == "otsu" ? sg::TissueInit::otsu : sg::TissueInit::kmeans;
  if (o.init == sg::TissueInit::otsu && o.classes > 4) throw axon::UsageError("--init otsu supports 2 to 4 classes");
  sg::TissueResult r = sg::classify_tissues(image, mask, o, in_path);
  const nlohmann::json details{{"method", "GMM EM + Potts MRF (mean field), interleaved polynomial bias"},
                               {"classes", o.classes}, {"mrf_beta", o.mrf_beta},
                               {"neighbourhood", o.neighbourhood}, {"bias", args.text("bias")},
                               {"init", args.text("init")}, {"iterations", r.iterations},
                               {"class_means", r.means}, {"class_sds", r.sds},
                               {"class_proportions", r.proportions}};
  const nlohmann::json summary{{"iterations", r.iterations}, {"class_means", r.means}, {"class_sds", r.sds},
                               {"class_proportions", r.proportions}};
  axon::log::info("EM iterations: " + std::to_string(r.iterations));
  return {std::move(r.labels), std::move(r.pve), std::move(r.bias), o.classes, details, summary};
}

Classified run_learned(const Args& args, const LoadedModel& m, const axon::Image<float>& image,
                       const std::vector<std::uint8_t>& mask, const std::string& in_path) {
  sg::LearnedTissueOptions o;
  o.mirror = args.text("tta") == "mirror";
  sg::LearnedTissueResult r = sg::classify_tissues_learned(image, mask, in_path, m.card, m.ensemble, o);
  nlohmann::json details = r.details;
  details["method"] = "learned: 3D U-Net regions parenchyma and wm (sliding window, mirror TTA, mean over the "
                      "card's networks); CSF where neither";
  details["label_convention"] = m.card.label_convention;
  details["tta"] = args.text("tta");
  details["class_proportions"] = r.proportions;
  details["timing_s"]["load_model"] = m.load_s;
  details["model"] = axon::learn::card_provenance(m.card);
  const nlohmann::json summary{{"class_proportions", r.proportions}};
  return {std::move(r.labels), std::move(r.probabilities), {}, 3, details, summary};
}

}  // namespace

axon::cli::Command tissue_command() {
  return Command("tissue", "tissue classes (GMM + Potts MRF, interleaved bias correction) and partial-volume maps")
      .positional(argument("IN", ValueKind::input_file, "3D image (T1-weighted: CSF < GM < WM)"))
      .option(required(value(ValueKind::input_file, "mask", "M", "brain mask (voxels > 0), same grid")))
      .option(required(value(ValueKind::output_file, "out-labels", "L", "labels 1..K by increasing mean (0 outside)")))
      .option(choice("method", {"classical", "learned"}, "classical",
                     "classical: GMM + MRF, no model (CSF = every dark voxel); learned: the shipped 3D U-Net "
                     "(models/tissue-ibsr, IBSR's manual convention: CSF = ventricles, sulcal CSF in GM)"))
      .option(value(ValueKind::input_file, "model", "CARD",
                    "learned: model card of the network(s) (default: the shipped models/tissue-ibsr/card.json)"))
      .option(choice("tta", {"mirror", "none"}, "mirror", "learned: test-time mirroring over the card's axes"))
      .option(value(ValueKind::integer, "classes", "K", "number of classes (2 to 10; learned: 3)", "3"))
      .option(value(ValueKind::real, "mrf", "BETA", "classical: Potts interaction per neighbour (0: no spatial prior)", "0.1"))
      .option(choice("neighbourhood", {"6", "26"}, "6", "classical: MRF neighbours, faces (6) or all (26)"))
      .option(choice("bias", {"auto", "off"}, "auto", "classical: estimate a smooth bias field between EM iterations"))
      .option(choice("init", {"kmeans", "otsu"}, "kmeans", "classical: initial classes, 1D k-means or multi-level Otsu"))
      .option(value(ValueKind::integer, "iterations", "N", "classical: at most N EM iterations", "20"))
      .option(value(ValueKind::text, "pve", "PREFIX", "write partial-volume fractions PREFIX_pve_1..K.nii.gz (learned: class probabilities)"))
      .option(value(ValueKind::output_file, "out-bias", "F", "classical: write the estimated multiplicative bias field"))
      .option(qc_figure_option())
      .description(
          "Gaussian mixture EM with a Potts MRF prior by mean field (Zhang, Brady & Smith 2001, as FSL FAST), "
          "interleaved with a smooth (cubic polynomial) log bias field fitted to the residuals (Wells et al. 1996; "
          "as FAST and antsAtroposN4 alternate segmentation and bias correction). Classes are numbered by "
          "increasing mean: for T1, 1 CSF, 2 GM, 3 WM. Partial-volume fractions: 1 for the class of a voxel whose "
          "26 neighbours share it; at boundaries the bias-corrected intensity is unmixed linearly between the two "
          "class means around it. --method learned (3 classes): a small 3D U-Net trained on the 10 manually "
          "labelled IBSR scans (models/tissue-ibsr, 5-fold cross-validation by subject for its figures) predicts "
          "'parenchyma' (GM + WM) and 'wm' on the T1 zeroed outside the mask (reoriented to RAS, range-normalised, "
          "1 mm, sliding window with left-right mirroring); CSF where neither; --pve writes the class "
          "probabilities. It follows IBSR's convention (sulcal CSF is grey matter), the classical method FAST's. "
          "Deterministic: same output for any --threads. Accuracy on IBSR: docs/axon-segment.md#tissue.")
      .example("axon-segment tissue t1.nii.gz --mask brain.nii.gz --out-labels seg.nii.gz --pve t1", "CSF/GM/WM")
      .example("axon-segment tissue t1.nii.gz --mask brain.nii.gz --out-labels seg.nii.gz --method learned",
               "the learned classifier (IBSR's convention)")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), labels_path = args.text("out-labels");
        const bool learned = args.text("method") == "learned";
        if (!learned && args.maybe_text("model")) throw axon::UsageError("--model needs --method learned");
        if (learned && args.maybe_text("out-bias"))
          throw axon::UsageError("--out-bias needs --method classical (the network estimates no bias field)");
        const long long classes = args.integer("classes");
        if (classes < 2 || classes > 10) throw axon::UsageError("--classes must be between 2 and 10");
        if (learned && classes != 3) throw axon::UsageError("--method learned gives 3 classes (CSF, GM, WM)");
        const auto prefix = args.maybe_text("pve");
        const auto bias_path = args.maybe_text("out-bias");
        std::vector<std::string> pve_paths;
        if (prefix)
          for (long long c = 1; c <= classes; ++c) pve_paths.push_back(*prefix + "_pve_" + std::to_string(c) + ".nii.gz");
        for (const auto& p : pve_paths) axon::check_output_path(p, ctx.force);

        std::optional<LoadedModel> model;
        if (learned)
          model.emplace(load_model(args.maybe_text("model"), sg::default_tissue_card_path(), "tissue",
                                   "--model CARD or --method classical", sg::require_tissue_card, ctx.threads));
        const auto image = read_intensity_volume(in_path);
        const auto mask = read_mask_like(args.maybe_text("mask"), image, in_path);
        const Classified r = learned ? run_learned(args, *model, image, mask, in_path)
                                     : run_classical(args, image, mask, in_path);
        const nlohmann::json& details = r.details;
        axon::OutputSet outputs(ctx.force);
        auto labels = axon::image_like<int32_t>(image, axon::DataType::uint8);
        labels.data = r.labels;
        axon::write_image(labels, outputs.add(labels_path));
        axon::write_sidecar(outputs, labels_path, ctx, {{"TissueClasses", details}});
        const std::size_t n = static_cast<std::size_t>(image.voxels_per_volume());
        for (int c = 0; c < r.classes; ++c) {
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
        ctx.summary = r.summary;
        ctx.summary["labels"] = labels_path;
        ctx.summary["method"] = args.text("method");
      });
}
