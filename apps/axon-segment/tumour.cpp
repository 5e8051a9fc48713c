#include <chrono>
#include <cmath>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/core/stopwatch.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"
#include "axon/report/raster.hpp"
#include "axon/segment/qc_figure.hpp"
#include "axon/segment/tumour_segment.hpp"
#include "commands.hpp"
#include "input_checks.hpp"

using namespace axon::cli;
using axon::seconds_since;
namespace sg = axon::segment;

namespace {

double volume_option(const Args& args, const std::string& name) {
  const double v = args.real(name);
  if (!std::isfinite(v) || v < 0 || v > 1e6) throw axon::UsageError("--" + name + " must be between 0 and 1e6 mL");
  return v;
}

}  // namespace

axon::cli::Command tumour_command() {
  return Command("tumour", "brain-tumour labels (BraTS) from T1, T1ce, T2 and FLAIR with a learned model")
      .synopsis(
          "--t1 T1 --t1ce T1CE --t2 T2 --flair FLAIR --out-labels LABELS [--out-probabilities P4D] "
          "[--out-uncertainty U] [--model CARD] [--tta mirror|none] [--coregister auto|off] [options]")
      .option(required(value(ValueKind::input_file, "t1", "T1", "T1-weighted image")))
      .option(
          required(value(ValueKind::input_file, "t1ce", "T1CE", "contrast-enhanced (gadolinium) T1-weighted image")))
      .option(required(value(ValueKind::input_file, "t2", "T2", "T2-weighted image")))
      .option(required(value(ValueKind::input_file, "flair", "FLAIR", "T2-FLAIR image")))
      .option(required(value(ValueKind::output_file, "out-labels", "LABELS",
                             "tumour labels (uint8) on the input grid: brats2018 1 necrosis/non-enhancing core, "
                             "2 oedema, 4 enhancing")))
      .option(value(ValueKind::output_file, "out-probabilities", "P4D",
                    "probabilities (float32 4D): one volume per model output channel, in the card's order "
                    "(e.g. WT, TC, ET)"))
      .option(value(ValueKind::output_file, "out-uncertainty", "U",
                    "uncertainty (float32): per voxel, the largest standard deviation over output channels of the "
                    "probabilities across folds x mirrorings"))
      .option(value(ValueKind::input_file, "model", "CARD",
                    "model card (JSON) of the network(s) to run (default: the shipped models/brats-tumour/card.json)"))
      .option(choice("tta", {"mirror", "none"}, "mirror", "test-time augmentation: mirroring over the card's axes"))
      .option(choice("label-convention", {"brats2018", "brats2023"}, "brats2018",
                     "output labels: brats2018 (ET = 4) or brats2023 (1 NETC, 2 SNFH, 3 ET)"))
      .option(choice("postprocess", {"on", "off"}, "on", "BraTS post-processing (speck removal, small-ET relabelling)"))
      .option(value(ValueKind::real, "et-min-ml", "ML",
                    "post-processing: total enhancing tumour below ML becomes necrosis/core (0: never)", "0.5"))
      .option(value(ValueKind::real, "min-component-ml", "ML",
                    "post-processing: 26-connected tumour components below ML are removed (0: none)", "0.1"))
      .option(choice("coregister", {"auto", "off"}, "auto",
                     "auto: register T1, T2 and FLAIR rigidly (Mattes MI) to T1CE and resample them onto its grid "
                     "when they are not on it; off: the four must share one grid (exit 3 otherwise)"))
      .option(value(ValueKind::output_file, "qc", "PNG", "quality-control figure: label outlines on the FLAIR"))
      .description(
          "Runs a learned model (TorchScript network(s) + a model card, see docs/axon-segment.md#model-card) the way "
          "nnU-Net's predictor does (Isensee et al. 2021) on the four contrasts on one grid. With --coregister auto "
          "(the default), T1, T2 or FLAIR not on T1CE's grid (dimensions, spacing, origin, direction) is "
          "registered to T1CE with a rigid transform (itk::Euler3DTransform, Mattes mutual information, 32 bins, "
          "centres of mass aligned first, shrink 8/4/2/1, seeded sampling) and resampled linearly onto T1CE's "
          "grid; contrasts already on it are used as read. With --coregister off, a contrast on another grid "
          "than --t1 is an error (exit 3). The brain is where any contrast is non-zero. The voxel axes are "
          "permuted/flipped (exactly) to the card's orientation, cropped to the brain's bounding box, each "
          "contrast z-scored inside the brain (after "
          "optional percentile clipping), and resampled linearly to the card's spacing. Sliding-window inference "
          "with 50 % patch overlap and a Gaussian importance map (sigma = patch / 8), mirror test-time "
          "augmentation over the card's flip axes (--tta) and the mean over the ensemble's folds give "
          "probabilities (sigmoid regions WT/TC/ET, or a softmax), interpolated back to the input grid; regions "
          "are painted WT -> 2, TC -> 1, ET -> 4 (the card's paint order) where above 0.5, or the softmax "
          "argmax is taken. Post-processing (--postprocess on), as winning BraTS entries do: tumour components "
          "smaller than --min-component-ml are removed, and an enhancing tumour smaller than --et-min-ml in total "
          "is relabelled as necrosis/non-enhancing core (Isensee et al. 2020). Outputs keep the input's grid and "
          "header; the sidecar has the volumes per region (WT, TC, ET) and label in mL, the card's provenance "
          "(name, SHA-256, training, cross-validation, licence), timings per stage and the options. --threads "
          "also caps LibTorch's threads; the output does not depend on it.")
      .example(
          "axon-segment tumour --t1 c_t1.nii.gz --t1ce c_t1ce.nii.gz --t2 c_t2.nii.gz --flair c_flair.nii.gz "
          "--out-labels c_seg.nii.gz --out-uncertainty c_unc.nii.gz --qc c_seg.png",
          "segment one BraTS case with the shipped 5-fold ensemble")
      .example(
          "axon-segment tumour --t1 t1.nii.gz --t1ce t1ce.nii.gz --t2 t2.nii.gz --flair flair.nii.gz "
          "--model my_nnunet/card.json --tta none --label-convention brats2023 --out-labels seg.nii.gz --json",
          "run your own exported network, no mirroring, BraTS 2023 labels")
      .example(
          "axon-segment tumour --t1 t1.nii.gz --t1ce t1ce.nii.gz --t2 t2_axial_3mm.nii.gz --flair flair.nii.gz "
          "--out-labels seg.nii.gz",
          "contrasts from one session on their own grids: T1, T2 and FLAIR are co-registered to T1CE, the labels "
          "are on T1CE's grid")
      .run([](const Args& args, Context& ctx) {
        const auto start = std::chrono::steady_clock::now();
        const std::string labels_path = args.text("out-labels");
        const auto probabilities_path = args.maybe_text("out-probabilities");
        const auto uncertainty_path = args.maybe_text("out-uncertainty");
        const auto qc_path = args.maybe_text("qc");
        sg::TumourOptions o;
        o.mirror = args.text("tta") == "mirror";
        o.postprocess = args.text("postprocess") == "on";
        o.et_min_ml = volume_option(args, "et-min-ml");
        o.min_component_ml = volume_option(args, "min-component-ml");
        o.label_convention = args.text("label-convention");
        o.want_probabilities = probabilities_path.has_value();
        o.want_uncertainty = uncertainty_path.has_value();
        for (const auto& p : {std::optional<std::string>(labels_path), probabilities_path, uncertainty_path})
          if (p) axon::check_output_path(axon::sidecar_path(*p), ctx.force);

        // The model first: a bad card or network fails before any image is read.
        const std::string card_path =
            card_path_or_shipped(args.maybe_text("model"), sg::default_tumour_card_path(), "tumour", "--model CARD");
        const axon::learn::ModelCard card = axon::learn::read_model_card(card_path);
        const std::vector<sg::TumourChannelPath> given{{"t1", args.text("t1")},
                                                       {"t1ce", args.text("t1ce")},
                                                       {"t2", args.text("t2")},
                                                       {"flair", args.text("flair")}};
        const auto ordered = sg::order_for_card(card, given);
        axon::learn::set_torch_threads(ctx.threads);
        const axon::learn::TorchEnsemble ensemble(card);
        const double load_s = seconds_since(start);

        auto t = std::chrono::steady_clock::now();
        const bool coregister = args.text("coregister") == "auto";
        const sg::TumourInputs inputs = sg::read_tumour_inputs(
            ordered, coregister ? sg::TumourCoregistration::automatic : sg::TumourCoregistration::off, ctx.seed);
        const double read_s = seconds_since(t);
        sg::TumourSegmentation r = sg::segment_tumour(inputs, card, ensemble, o);

        t = std::chrono::steady_clock::now();
        nlohmann::json options{{"tta", args.text("tta")},
                               {"postprocess", o.postprocess},
                               {"min_component_ml", o.min_component_ml},
                               {"et_min_ml", o.et_min_ml},
                               {"label_convention", o.label_convention},
                               {"overlap", o.overlap},
                               {"coregister", args.text("coregister")},
                               {"threads", ctx.threads}};
        nlohmann::json model = axon::learn::card_provenance(card);
        model["label_convention"] = card.label_convention;
        nlohmann::json details = r.details;
        details["method"] =
            "nnU-Net-style sliding-window inference (50 % overlap, Gaussian weights), mirror TTA, "
            "fold ensemble; BraTS post-processing";
        details["volumes_ml"] = r.volumes.to_json();
        details["options"] = options;
        details["model"] = model;
        details["timing_s"]["load_model"] = load_s;
        details["timing_s"]["read"] = read_s;
        if (coregister) {
          details["coregistration"] = inputs.coregistration_json();
          details["coregistration"]["seed"] = ctx.seed;
          details["timing_s"]["coregister"] = details["coregistration"]["seconds"];
        }

        // Find the image of each channel by name (inputs are in the card's order).
        auto channel = [&](const std::string& name) -> const axon::Image<float>& {
          for (std::size_t c = 0; c < inputs.paths.size(); ++c)
            if (inputs.paths[c].name == name) return inputs.images[c];
          return inputs.images.front();
        };
        // T1's header, as without co-registration; T1CE's when T1 was moved
        // onto T1CE's grid (the moved image keeps T1's datatype and scaling).
        const axon::Image<float>& like = channel(inputs.moved("t1") ? "t1ce" : "t1");
        axon::OutputSet outputs(ctx.force);
        auto labels = axon::image_like<int32_t>(like, axon::DataType::uint8);
        labels.data = r.labels;
        axon::write_image(labels, outputs.add(labels_path));
        if (probabilities_path) {
          auto p = axon::image_like<float>(like, axon::DataType::float32, r.channels);
          p.data = r.probabilities;
          axon::write_image(p, outputs.add(*probabilities_path));
        }
        if (uncertainty_path) {
          auto u = axon::image_like<float>(like, axon::DataType::float32);
          u.data = r.uncertainty;
          axon::write_image(u, outputs.add(*uncertainty_path));
        }
        if (qc_path) axon::write_png(sg::label_overlay_figure(channel("flair"), r.labels), outputs.add(*qc_path));
        details["timing_s"]["write"] = seconds_since(t);
        details["timing_s"]["total"] = seconds_since(start);
        const nlohmann::json sidecar{{"TumourSegmentation", details}};
        axon::write_sidecar(outputs, labels_path, ctx, sidecar);
        if (probabilities_path) {
          nlohmann::json channels = nlohmann::json::array();
          for (const auto& c : card.outputs) channels.push_back(c.name);
          nlohmann::json extra = sidecar;
          extra["TumourSegmentation"]["probability_channels"] = channels;
          axon::write_sidecar(outputs, *probabilities_path, ctx, extra);
        }
        if (uncertainty_path) axon::write_sidecar(outputs, *uncertainty_path, ctx, sidecar);
        outputs.commit_all();

        ctx.summary = {{"labels", labels_path},
                       {"volumes_ml", r.volumes.to_json()},
                       {"model", card.name},
                       {"label_convention", o.label_convention},
                       {"timing_s", details["timing_s"]}};
        axon::log::info("tumour volumes: WT " + std::to_string(r.volumes.whole_tumour_ml) + " mL, TC " +
                        std::to_string(r.volumes.tumour_core_ml) + " mL, ET " + std::to_string(r.volumes.enhancing_ml) +
                        " mL");
      });
}
