#include <cmath>
#include <future>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/head_masks.hpp"
#include "axon/quality/inputs.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/qi2.hpp"
#include "axon/quality/segmented_masks.hpp"
#include "axon/quality/ssim_model.hpp"
#include "axon/quality/training_samples.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace q = axon::quality;

namespace {

// "sub-01_T1w.nii.gz" -> "sub-01_T1w" (MRIQC's bids_name column).
std::string stem(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  for (const char* ext : {".nii.gz", ".nii", ".hdr.gz", ".hdr", ".img.gz", ".img"}) {
    const std::string e = ext;
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return name.substr(0, name.size() - e.size());
  }
  return name;
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

axon::cli::Command score_command() {
  return Command("score", "reference-free motion-artefact score (predicted SSIM) and MRIQC image quality metrics")
      .positional(argument("IN", ValueKind::input_file, "3D structural image (T1w)"))
      .option(
          value(ValueKind::input_file, "mask", "M",
                "brain mask (voxels > 0) for the tissue classes and fwhm (default: axon-segment's brain extraction)"))
      .option(value(ValueKind::text, "model", "default|PATH",
                    "SSIM regressor: the shipped model or a file from `train`", "default"))
      .option(choice("classes", {"3", "5", "10"}, "3", "quality classes of the predicted SSIM"))
      .option(value(ValueKind::output_file, "out", "TSV",
                    "also write the one-row table (bids_name, predicted_ssim, quality_class, IQMs) + JSON sidecar"))
      .option(value(ValueKind::output_file, "per-slice", "TSV",
                    "also write the predicted 2D SSIM and class of every axial slice (slice, predicted_ssim, "
                    "quality_class; n/a for slices without head) + JSON sidecar"))
      .option(flag("no-header", "print the table row without its header line (to append subjects to one table)"))
      .description(
          "Predicts, from IN alone, the SSIM it would have against a motion-free acquisition (gradient-boosted "
          "trees on image features; docs/axon-motion-quality.md), classifies it (3 classes: good >= 0.85 > "
          "sufficient >= 0.60 > insufficient), and computes MRIQC's structural IQMs under MRIQC's names. "
          "stdout: a header line and one row, tab-separated (or, with --json, one JSON object), so that "
          "`axon-motion score --no-header` on each subject appends to one table. The masks come from the library: "
          "Otsu head mask (air = the rest), axon-segment's brain extraction and tissue classification (CSF/GM/WM, "
          "partial volumes, bias field) inside the brain mask.")
      .example("axon-motion score sub-01_T1w.nii.gz", "Predicted SSIM, class and IQMs as a TSV row")
      .example("axon-motion score t1.nii.gz --mask brain.nii.gz --classes 5 --json", "As JSON, with a brain mask")
      .run([](const Args& args, Context& ctx) {
        const std::string in_path = args.text("IN");
        const auto out_path = args.maybe_text("out");
        const auto slices_path = args.maybe_text("per-slice");
        for (const auto& p : {out_path, slices_path})
          if (p) {
            axon::check_output_path(*p, ctx.force);
            axon::check_output_path(axon::sidecar_path(*p), ctx.force);
          }
        const int classes = std::stoi(args.text("classes"));
        const std::string model_path = q::resolve_model_path(args.text("model"));
        const q::SsimModel model = q::SsimModel::load(model_path);  // bad model: exit 3 before any work
        const auto image = q::read_structural(in_path);
        q::ByteMask brain;
        if (auto m = args.maybe_text("mask")) brain = q::read_mask_like(*m, image, in_path);
        const q::ByteMask* given = brain.empty() ? nullptr : &brain;
        const q::ByteMask head = q::head_mask(image);
        // Brain extraction is mostly serial: the masks are made beside the
        // model's features (independent work, so the same result).
        auto segmented =
            std::async(std::launch::async, [&] { return q::segmented_iqm_masks(image, head, in_path, given); });
        // The model reads the IQMs it was trained on (stand-in masks).
        const q::FeatureVector features = q::image_features(image, head, q::model_input_iqms(image, head, given));
        const std::vector<float> row(features.values.begin(), features.values.end());
        const double predicted = model.predict(row).at(0);
        const std::vector<double> per_slice = q::predict_slice_ssim(model, image, head, features);
        const q::ArtefactMasks artefacts = q::artefact_masks(image, head);  // needs only the head: meanwhile
        // MRIQC's qi_2 on the artefact-free far air (lib/axon/quality/qi2.hpp):
        // it needs only the air, so it too runs while the masks are made.
        q::ByteMask clean_air(artefacts.air.size());
        for (std::size_t v = 0; v < clean_air.size(); ++v) clean_air[v] = artefacts.air[v] && !artefacts.artefact[v];
        const double qi_2 = q::quality_index_2(image, clean_air);
        auto iqms = q::compute_iqms(image, segmented.get(), &artefacts);
        iqms["qi_2"] = qi_2;
        const int cls = q::quality_class(predicted, classes);

        axon::Table table;
        table.columns = {"bids_name", "predicted_ssim", "quality_class"};
        table.rows.push_back({stem(in_path), axon::format_number(predicted), q::quality_class_name(cls, classes)});
        nlohmann::json iqm_json = nlohmann::json::object();
        for (const auto& [name, value] : iqms) {
          table.columns.push_back(name);
          table.rows[0].push_back(axon::format_number(value));
          iqm_json[name] = number_or_null(value);
        }
        nlohmann::json slice_json = nlohmann::json::array();
        axon::Table slice_table;
        slice_table.columns = {"slice", "predicted_ssim", "quality_class"};
        for (std::size_t z = 0; z < per_slice.size(); ++z) {
          const bool defined = std::isfinite(per_slice[z]);
          slice_json.push_back(number_or_null(per_slice[z]));
          slice_table.rows.push_back(
              {std::to_string(z), defined ? axon::format_number(per_slice[z]) : "n/a",
               defined ? q::quality_class_name(q::quality_class(per_slice[z], classes), classes) : "n/a"});
        }
        ctx.summary = {{"bids_name", stem(in_path)}, {"input", in_path}, {"predicted_ssim", predicted},
                       {"quality_class", q::quality_class_name(cls, classes)}, {"quality_class_index", cls},
                       {"classes", classes}, {"model", model_path}, {"per_slice_axis", "z"},
                       {"predicted_ssim_per_slice", slice_json}, {"iqms", iqm_json}};
        if (out_path || slices_path) {
          axon::OutputSet outputs(ctx.force);
          if (out_path) {
            axon::write_tsv(table, outputs.add(*out_path));
            axon::write_sidecar(outputs, *out_path, ctx,
                                {{"Model", model_path}, {"Classes", classes},
                                 {"Definitions", "docs/axon-motion-quality.md (MRIQC's formulas; axon's masks)"}});
          }
          if (slices_path) {
            axon::write_tsv(slice_table, outputs.add(*slices_path));
            axon::write_sidecar(outputs, *slices_path, ctx,
                                {{"Model", model_path}, {"Classes", classes},
                                 {"Columns", "axial slice (third voxel axis, from 0), predicted 2D SSIM, its class"}});
          }
          outputs.commit_all();
        }
        if (!ctx.json) {
          std::string header, line;
          for (std::size_t c = 0; c < table.columns.size(); ++c) {
            header += (c ? "\t" : "") + table.columns[c];
            line += (c ? "\t" : "") + table.rows[0][c];
          }
          if (!args.flag("no-header")) std::cout << header << "\n";
          std::cout << line << "\n";
        }
      });
}
