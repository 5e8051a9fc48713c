#include <cmath>
#include <optional>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/report/raster.hpp"
#include "axon/segment/brain_extraction.hpp"
#include "axon/segment/brain_learned.hpp"
#include "axon/segment/qc_figure.hpp"
#include "commands.hpp"
#include "input_checks.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

namespace {

struct Extracted {
  sg::BinaryVolume mask;
  double volume_ml = 0;
  nlohmann::json details;
  std::vector<float> probability;  // learned, when asked
};

Extracted run_learned(const Args& args, const LoadedModel& m, const axon::Image<float>& image,
                      const std::string& in_path, double border_mm) {
  sg::LearnedBrainOptions o;
  o.include_csf = !args.flag("no-csf");
  o.mirror = args.text("tta") == "mirror";
  o.border_mm = border_mm;
  if (args.maybe_text("threshold")) {
    o.threshold = args.real("threshold");
    if (!(*o.threshold > 0 && *o.threshold < 1)) throw axon::UsageError("--threshold must be between 0 and 1");
  }
  o.want_probability = args.maybe_text("out-probability").has_value();
  sg::LearnedBrainResult r = sg::extract_brain_learned(image, in_path, m.card, m.ensemble, o);
  nlohmann::json details = r.details;
  details["method"] = "learned: 3D U-Net (sliding window, mirror TTA, mean over the card's networks), largest "
                      "component, hole filling";
  details["border_mm"] = border_mm;
  details["tta"] = args.text("tta");
  details["volume_ml"] = r.volume_ml;
  details["timing_s"]["load_model"] = m.load_s;
  details["model"] = axon::learn::card_provenance(m.card);
  return {std::move(r.mask), r.volume_ml, details, std::move(r.probability)};
}

Extracted run_classical(const Args& args, const axon::Image<float>& image, const std::string& in_path,
                        double border_mm) {
  sg::BrainOptions o;
  o.border_mm = border_mm;
  o.bias_correct = args.text("bias") == "auto";
  sg::BrainResult r = sg::extract_brain(image, o, in_path);
  const nlohmann::json details{{"method", "classical: N4 + Otsu thresholds + erosion/largest component/dilation + "
                                          "closing (after Shattuck 2001 BSE, Brummer 1993)"},
                               {"erosion_mm", r.erosion_mm}, {"erosion_stable", r.stable},
                               {"threshold_low", r.threshold_low}, {"threshold_high", r.threshold_high},
                               {"border_mm", border_mm}, {"bias_correction", args.text("bias")},
                               {"volume_ml", r.volume_ml}};
  return {std::move(r.mask), r.volume_ml, details, {}};
}

}  // namespace

axon::cli::Command brain_command() {
  return Command("brain", "brain extraction of a T1-weighted head image (learned network, or classical morphology)")
      .positional(argument("IN", ValueKind::input_file, "3D T1-weighted image of the head"))
      .option(required(value(ValueKind::output_file, "out-mask", "M", "binary brain mask (uint8), same grid")))
      .option(value(ValueKind::output_file, "out-brain", "B", "the input masked to the brain (float32)"))
      .option(choice("method", {"classical", "learned"}, "classical",
                     "classical: intensity + morphology, no model, no template; learned: the shipped 3D U-Net "
                     "(models/brain-ixi), better on real single-scan heads, worse on Colin27 (docs)"))
      .option(flag("no-csf", "learned: brain tissue and ventricles only, without the CSF around the brain "
                             "(default: the intracranial mask, CSF included, as SynthStrip and BET)"))
      .option(value(ValueKind::input_file, "model", "CARD",
                    "learned: model card of the network(s) (default: the shipped models/brain-ixi/card.json)"))
      .option(choice("tta", {"mirror", "none"}, "mirror", "learned: test-time mirroring over the card's axes"))
      .option(value(ValueKind::real, "threshold", "P",
                    "learned: probability above which a voxel is in the mask (default: the region's threshold in the "
                    "card, chosen by nested cross-validation)"))
      .option(value(ValueKind::output_file, "out-probability", "P",
                    "learned: the region's probability (float32, 0-1), same grid: a soft mask"))
      .option(value(ValueKind::real, "border", "MM", "grow (> 0) or shrink (< 0) the final mask by MM", "0"))
      .option(choice("bias", {"auto", "off"}, "auto", "classical: N4 bias correction before thresholding"))
      .option(qc_figure_option())
      .description(
          "What the mask holds: brain tissue, the ventricles and the CSF around the brain (the intracranial "
          "volume inside the dura), as SynthStrip's default and BET's masks; --no-csf (learned) leaves out the "
          "outer CSF. Which method: on 30 real IXI heads the learned one is better (out-of-fold Dice 0.969 against "
          "0.933), on Colin27 (an average of 27 scans) the classical one is (0.968 against 0.86); "
          "docs/axon-segment.md#brain has the tables. --method learned: a small 3D U-Net (models/brain-ixi) trained on 30 IXI heads with skull, neck "
          "and face (silver-standard DLMUSE masks), augmented in orientation, contrast, bias, noise, resolution, "
          "field of view and skull stripping, its accuracy estimated by 5-fold cross-validation by subject. The "
          "image is reoriented to RAS, its non-zero voxels' 0.5-99.5 percentile range mapped to [0, 1], resampled "
          "to 2 mm and run by sliding window with left-right mirroring; the region's probability, interpolated "
          "back to the input grid, is cut at the card's threshold (chosen by nested cross-validation; "
          "--threshold), and the mask is made one 6-connected piece without holes. --method classical "
          "(default): template-free, on the image block-averaged to about 2 mm: N4 inside a first mask, Gaussian smoothing "
          "(1 mm), thresholds from Otsu's method (head) and 3-class Otsu (brain tissue range), erosion in mm to "
          "cut the brain from the scalp (the smallest radius of 2 to 7 mm at which the brain's volume is stable), "
          "largest component, conditional dilation back, closing by 8 mm, hole filling (after the Brain Surface "
          "Extractor, Shattuck et al. 2001, and Brummer et al. 1993). Both: the output keeps the input's grid and "
          "header; --threads also caps LibTorch's threads and the output does not depend on it. Accuracy on real "
          "heads: docs/axon-segment.md#brain.")
      .example("axon-segment brain t1.nii.gz --out-mask brain_mask.nii.gz --out-brain brain.nii.gz", "mask and brain")
      .example("axon-segment brain t1.nii.gz --out-mask brain_mask.nii.gz --method learned",
               "the learned network (real single-scan heads)")
      .example("axon-segment brain t1.nii.gz --out-mask tissue_mask.nii.gz --method learned --no-csf",
               "brain tissue and ventricles, without the outer CSF")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN"), mask_path = args.text("out-mask");
        const auto brain_path = args.maybe_text("out-brain");
        const bool learned = args.text("method") == "learned";
        const double border_mm = args.real("border");
        if (!std::isfinite(border_mm) || std::abs(border_mm) > 50)
          throw axon::UsageError("--border must be between -50 and 50 mm");
        if (!learned && args.flag("no-csf"))
          throw axon::UsageError("--no-csf needs --method learned (the classical mask always holds the outer CSF)");
        for (const char* name : {"model", "threshold", "out-probability"})
          if (!learned && args.maybe_text(name))
            throw axon::UsageError(std::string("--") + name + " needs --method learned");
        const auto probability_path = args.maybe_text("out-probability");
        for (const auto& p : {std::optional<std::string>(mask_path), brain_path, probability_path})
          if (p) axon::check_output_path(axon::sidecar_path(*p), ctx.force);

        std::optional<LoadedModel> model;
        if (learned)
          model.emplace(load_model(args.maybe_text("model"), sg::default_brain_card_path(), "brain",
                                   "--model CARD or --method classical", sg::require_brain_card, ctx.threads));
        const auto image = read_intensity_volume(in_path);
        const Extracted r = learned ? run_learned(args, *model, image, in_path, border_mm)
                                    : run_classical(args, image, in_path, border_mm);

        axon::OutputSet outputs(ctx.force);
        auto mask = axon::image_like<int32_t>(image, axon::DataType::uint8);
        for (std::size_t i = 0; i < r.mask.size(); ++i) mask.data[i] = r.mask[i];
        axon::write_image(mask, outputs.add(mask_path));
        axon::write_sidecar(outputs, mask_path, ctx, {{"BrainExtraction", r.details}});
        if (brain_path) {
          auto brain = axon::image_like<float>(image, axon::DataType::float32);
          for (std::size_t i = 0; i < r.mask.size(); ++i) brain.data[i] = r.mask[i] ? image.data[i] : 0.f;
          axon::write_image(brain, outputs.add(*brain_path));
          axon::write_sidecar(outputs, *brain_path, ctx, {{"BrainExtraction", r.details}});
        }
        if (probability_path) {
          auto p = axon::image_like<float>(image, axon::DataType::float32);
          p.data = r.probability;
          axon::write_image(p, outputs.add(*probability_path));
          axon::write_sidecar(outputs, *probability_path, ctx, {{"BrainExtraction", r.details}});
        }
        if (const auto qc = args.maybe_text("qc"))
          axon::write_png(sg::label_overlay_figure(image, mask.data), outputs.add(*qc));
        outputs.commit_all();
        ctx.summary = {{"mask", mask_path}, {"method", args.text("method")}, {"volume_ml", r.volume_ml}};
        axon::log::info("brain volume " + std::to_string(r.volume_ml) + " mL (" + args.text("method") + ")");
      });
}
