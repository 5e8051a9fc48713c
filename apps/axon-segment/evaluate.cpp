#include <cmath>
#include <iostream>
#include <sstream>

#include "axon/core/error.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/tsv.hpp"
#include "axon/segment/label_metrics.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace sg = axon::segment;

namespace {

// "1,2,3" -> {1, 2, 3}; anything else is a usage error.
std::vector<int32_t> parse_labels(const std::string& text) {
  std::vector<int32_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || v == 0 || v < INT32_MIN || v > INT32_MAX)
      throw axon::UsageError("--labels: '" + text + "' is not a comma-separated list of non-zero integers");
    out.push_back(static_cast<int32_t>(v));
  }
  if (out.empty()) throw axon::UsageError("--labels: no label given");
  return out;
}

}  // namespace

axon::cli::Command evaluate_command() {
  return Command("evaluate", "Dice, Jaccard, HD95, ASSD and volumes of a predicted label image against a reference")
      .positional(argument("PRED", ValueKind::input_file, "3D integer label image to judge"))
      .positional(argument("REF", ValueKind::input_file, "3D integer reference label image on the same grid"))
      .option(value(ValueKind::text, "labels", "L1,L2,...",
                    "labels to evaluate, one region each (default: every non-zero label in either image)"))
      .option(flag("brats", "evaluate BraTS's regions instead: WT = {1,2,ET}, TC = {1,ET}, ET"))
      .option(value(ValueKind::integer, "et-label", "N", "the enhancing-tumour label for --brats (4, or 3 from BraTS 2023)",
                    "4"))
      .description(
          "Per region: Dice, Jaccard, HD95 and ASSD in mm, predicted and reference volumes (mm^3) and their "
          "difference (pred - ref). Surfaces are the voxels removed by one 6-neighbour erosion (the image border "
          "counts as outside); distances are exact Euclidean distances with the image's voxel sizes; HD95 is the "
          "95th percentile (linear interpolation, as numpy) of the distances from each surface to the other, "
          "pooled; ASSD the mean of the two directed mean distances (MedPy's hd95 and assd). Empty regions: both "
          "empty gives Dice 1, HD95 0; one empty gives Dice 0 and HD95 = ASSD = the image diagonal in mm "
          "(sqrt(sum (n_i*spacing_i)^2), 373.13 on BraTS's 240x240x155 grid). Label images must hold integers. "
          "See docs/axon-segment.md.")
      .example("axon-segment evaluate seg.nii.gz truth.nii.gz --brats --json", "BraTS WT/TC/ET as JSON")
      .example("axon-segment evaluate tissue.nii.gz truth.nii.gz --labels 1,2,3", "CSF, GM, WM")
      .run([](const Args& args, Context& ctx) {
        const std::string pred_path = args.text("PRED"), ref_path = args.text("REF");
        std::vector<sg::Region> regions;
        const long long et = args.integer("et-label");
        if (args.flag("brats")) {
          if (args.maybe_text("labels")) throw axon::UsageError("--labels and --brats exclude each other");
          if (et == 1 || et == 2 || et <= 0 || et > INT32_MAX)
            throw axon::UsageError("--et-label must be a positive label other than 1 and 2");
          regions = sg::brats_regions(static_cast<int32_t>(et));
        }
        const auto pred = axon::read_volume<int32_t>(pred_path);
        const auto ref = axon::read_volume<int32_t>(ref_path);
        const axon::Grid grid = axon::grid_of(ref.header);
        axon::require_same_grid(grid, ref_path, axon::grid_of(pred.header), pred_path);
        if (!args.flag("brats")) {
          const auto given = args.maybe_text("labels");
          regions = sg::label_regions(given ? parse_labels(*given) : sg::labels_present(pred, ref));
          if (regions.empty())
            throw axon::InputError(pred_path, "no non-zero label in either image (name the labels with --labels)");
        }
        const auto metrics = sg::evaluate_regions(pred, ref, regions);

        nlohmann::json rows = nlohmann::json::array();
        for (const auto& m : metrics)
          rows.push_back({{"region", m.region.name}, {"labels", m.region.labels}, {"dice", m.dice},
                          {"jaccard", m.jaccard}, {"hd95_mm", m.hd95_mm}, {"assd_mm", m.assd_mm},
                          {"pred_voxels", m.pred_voxels}, {"ref_voxels", m.ref_voxels},
                          {"pred_volume_mm3", m.pred_volume_mm3}, {"ref_volume_mm3", m.ref_volume_mm3},
                          {"volume_difference_mm3", m.volume_difference_mm3}, {"pred_empty", m.pred_empty},
                          {"ref_empty", m.ref_empty}});
        const Eigen::Vector3d s = grid.spacing();
        ctx.summary = {{"prediction", pred_path}, {"reference", ref_path},
                       {"spacing_mm", {s[0], s[1], s[2]}}, {"diagonal_mm", sg::grid_diagonal_mm(grid)},
                       {"regions", rows}};
        if (!ctx.json) {
          std::cout << "region\tdice\tjaccard\thd95_mm\tassd_mm\tpred_mm3\tref_mm3\tdiff_mm3\n";
          for (const auto& m : metrics)
            std::cout << m.region.name << '\t' << axon::format_fixed(m.dice, 6) << '\t'
                      << axon::format_fixed(m.jaccard, 6) << '\t' << axon::format_fixed(m.hd95_mm, 4) << '\t'
                      << axon::format_fixed(m.assd_mm, 4) << '\t' << axon::format_fixed(m.pred_volume_mm3, 2) << '\t'
                      << axon::format_fixed(m.ref_volume_mm3, 2) << '\t'
                      << axon::format_fixed(m.volume_difference_mm3, 2) << '\n';
        }
      });
}
