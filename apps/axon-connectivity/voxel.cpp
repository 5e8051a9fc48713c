// axon-connectivity voxel: voxel-wise network maps (degree, weighted degree,
// triangles), ALFF/fALFF and ReHo of a cleaned BOLD series under a mask.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>

#include "axon/connectivity/output_names.hpp"
#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/core/output_folder.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/masked_series.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "axon/network/clean_voxels.hpp"
#include "axon/network/correlation_graph.hpp"
#include "axon/network/low_frequency.hpp"
#include "axon/network/reho.hpp"
#include "cleaning_options.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace net = axon::network;

namespace {

const std::vector<std::string> kMaps = {"degree", "wdegree", "triangles", "alff", "falff", "reho"};

std::vector<std::string> parse_maps(const std::vector<std::string>& given) {
  std::vector<std::string> maps;
  for (const auto& entry : given) {
    std::stringstream ss(entry);
    std::string name;
    while (std::getline(ss, name, ',')) {
      if (name.empty()) continue;
      if (std::find(kMaps.begin(), kMaps.end(), name) == kMaps.end())
        throw axon::UsageError("--maps: unknown map '" + name + "' (degree, wdegree, triangles, alff, falff, reho)");
      if (std::find(maps.begin(), maps.end(), name) == maps.end()) maps.push_back(name);
    }
  }
  if (maps.empty()) throw axon::UsageError("--maps names no map");
  return maps;
}

// Values per mask voxel -> a float32 image on the BOLD grid (0 outside).
axon::Image<float> map_image(const std::vector<double>& values, const axon::Mask& mask, const axon::ImageHeader& bold) {
  axon::Image<float> img;
  img.header = axon::header_for_grid(bold, mask.grid);
  img.header.set_volumes(1);
  img.header.datatype = static_cast<int>(axon::DataType::float32);
  img.header.scl_slope = 0;
  img.header.scl_inter = 0;
  img.header.intent_code = 0;
  img.data.assign(static_cast<std::size_t>(mask.grid.voxels()), 0.0f);
  for (std::size_t i = 0; i < mask.indices.size(); ++i) img.data[mask.indices[i]] = static_cast<float>(values[i]);
  return img;
}

std::vector<double> zscored(std::vector<double> v) {
  double mean = 0, ss = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  const double sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0;
  for (double& x : v) x = sd > 0 ? (x - mean) / sd : 0;
  return v;
}

}  // namespace

axon::cli::Command voxel_command() {
  Command c("voxel", "voxel-wise network maps (degree, weighted degree, triangles), ALFF, fALFF and ReHo");
  c.synopsis("--bold BOLD --mask MASK --maps LIST --out DIR [options]")
      .option(required(value(ValueKind::input_file, "bold", "BOLD", "4D BOLD series (NIfTI)")))
      .option(required(value(ValueKind::input_file, "mask", "MASK", "brain mask on the BOLD grid (voxels > 0)")));
  add_cleaning_options(c);
  c.option(repeated(value(ValueKind::text, "maps", "LIST",
                          "maps to compute, comma-separated: degree, wdegree, triangles, alff, falff, reho",
                          "degree,wdegree")))
      .option(value(ValueKind::real, "threshold", "R", "edge: Pearson r above this (default 0.25 without --sparsity)"))
      .option(value(ValueKind::real, "sparsity", "F",
                    "edge density in (0, 1): the strongest F of all pairs are edges (replaces --threshold)"))
      .option(repeated(value(ValueKind::text, "band", "LOW HIGH", "ALFF/fALFF band in Hz", "0.01 0.08")))
      .option(choice("neighbourhood", {"7", "19", "27"}, "27", "ReHo neighbourhood: faces, + edges, whole cube"))
      .option(flag("zscore", "also write every map z-scored within the mask (desc-z)"))
      .option(value(ValueKind::integer, "tile", "N", "nodes per tile of the blocked products (multiple of 64)", "512"))
      .option(required(value(ValueKind::text, "out", "DIR", "output folder (created if missing, like mkdir -p)")))
      .description(
          "Every in-mask voxel's series is cleaned as by `roi` (same options, same order). degree / wdegree: the "
          "number of voxels whose correlation exceeds --threshold (or the global threshold giving the --sparsity "
          "edge density), and the sum of those correlations; computed exactly by blocked float32 products of the "
          "standardised series (pairs within float32 error of the threshold are decided in float64), never "
          "holding the V x V matrix. triangles: 3-cycles through each voxel in that graph (an n^2/8-byte bit "
          "matrix). alff / falff: from the series cleaned without the band-pass filter and unscaled, by periodogram "
          "or, when volumes are censored, Lomb-Scargle (XCP-D's definition). reho: Kendall's W over the "
          "neighbourhood within the mask. Voxels with a constant series get 0. Maps are float32 NIfTI on the BOLD "
          "grid named <entities>_stat-<map>_boldmap.nii.gz, each with a JSON sidecar.")
      .example("axon-connectivity voxel --bold sub-01_task-rest_bold.nii.gz --mask brainmask.nii.gz --confounds "
               "confounds.tsv --strategy 36P --high-pass 0.01 --low-pass 0.08 --maps degree,wdegree,triangles "
               "--sparsity 0.05 --out derivatives/",
               "degree and 3-cycle maps at 5 % edge density")
      .example("axon-connectivity voxel --bold bold.nii.gz --mask mask.nii.gz --maps alff,falff,reho --out maps/",
               "ALFF, fALFF and ReHo without confounds");
  c.run([](const Args& args, Context& ctx) {
    const auto t_start = std::chrono::steady_clock::now();
    const std::string bold = args.text("bold"), mask_path = args.text("mask"), outdir = args.text("out");
    const std::vector<std::string> maps = parse_maps(args.list("maps"));
    auto wants = [&](const std::string& m) { return std::find(maps.begin(), maps.end(), m) != maps.end(); };
    const bool graph_maps = wants("degree") || wants("wdegree") || wants("triangles");
    const bool spectral = wants("alff") || wants("falff");
    if (args.has("threshold") && args.has("sparsity")) throw axon::UsageError("give --threshold or --sparsity, not both");
    net::GraphOptions go;
    go.threshold = args.has("threshold") ? args.real("threshold") : 0.25;
    go.sparsity = args.has("sparsity") ? args.real("sparsity") : 0;
    if (args.has("sparsity") && !(go.sparsity > 0 && go.sparsity < 1))
      throw axon::UsageError("--sparsity must lie in (0, 1)");
    if (!(go.threshold > -1 && go.threshold < 1)) throw axon::UsageError("--threshold must lie in (-1, 1)");
    go.block = static_cast<int>(args.integer("tile"));
    if (go.block <= 0 || go.block % 64 != 0 || go.block > 8192)
      throw axon::UsageError("--tile must be a multiple of 64 up to 8192");
    go.keep_graph = wants("triangles");
    std::vector<double> band;
    for (const auto& entry : args.list("band")) {
      std::istringstream in(entry);
      std::string word;
      while (in >> word) {
        try {
          std::size_t used = 0;
          band.push_back(std::stod(word, &used));
          if (used != word.size()) throw std::invalid_argument(word);
        } catch (const std::exception&) {
          throw axon::UsageError("--band takes two frequencies in Hz, not '" + word + "'");
        }
      }
    }
    if (band.size() != 2) throw axon::UsageError("--band takes two frequencies: LOW HIGH");
    net::LowFrequencyOptions lf;
    lf.band_low_hz = band[0];
    lf.band_high_hz = band[1];
    if (!(lf.band_low_hz >= 0 && lf.band_high_hz > lf.band_low_hz))
      throw axon::UsageError("--band needs 0 <= LOW < HIGH");
    const int neighbourhood = std::stoi(args.text("neighbourhood"));

    const axon::ImageHeader header = axon::read_header(bold);
    if (header.ndim() < 4 || header.nt() < 3) throw axon::InputError(bold, "not a 4D series of 3 volumes or more");
    const CleaningPlan plan = plan_cleaning(args, header, bold, spectral);
    lf.tr = plan.clean.tr;
    if (spectral && lf.band_high_hz > 0.5 / lf.tr * (1 + 1e-9))
      throw axon::UsageError("--band reaches above the Nyquist frequency (" + axon::format_number(0.5 / lf.tr) + " Hz)");
    const axon::Image<float> mask_image = axon::read_volume<float>(mask_path);
    axon::require_same_grid(axon::grid_of(header), bold, axon::grid_of(mask_image.header), mask_path);
    const axon::Mask mask = axon::mask_from_image(mask_image, mask_path);

    // Output names, checked before the work; a missing --out folder is made
    // now and removed again if the command fails before committing.
    axon::OutputFolder folder(outdir);
    folder.create();
    const std::string prefix = (std::filesystem::path(outdir) / axon::connectivity::bids_entities(bold)).string();
    auto map_path = [&](const std::string& m, bool z) {
      return prefix + "_stat-" + m + (z ? "_desc-z" : "") + "_boldmap.nii.gz";
    };
    for (const auto& m : maps)
      for (bool z : {false, true}) {
        if (z && !args.flag("zscore")) continue;
        axon::check_output_path(map_path(m, z), ctx.force);
        axon::check_output_path(axon::sidecar_path(map_path(m, z)), ctx.force);
      }

    const Eigen::MatrixXf voxels = axon::read_masked_series(bold, mask);
    if (!voxels.allFinite()) throw axon::InputError(bold, "non-finite values inside the mask");
    const auto t_read = std::chrono::steady_clock::now();
    std::map<std::string, std::vector<double>> values;
    nlohmann::json extra = plan.parameters(args);
    extra["Mask"] = mask_path;
    extra["MaskVoxels"] = mask.count();
    nlohmann::json summary = {{"mask_voxels", mask.count()}, {"volumes_kept", plan.kept}};
    try {
      if (spectral) {
        // The unfiltered, unscaled cleaned series (the amplitudes are in the
        // data's units), censored volumes dropped.
        axon::signal::CleanOptions unfiltered = plan.clean;
        unfiltered.high_pass_hz = unfiltered.low_pass_hz = 0;
        unfiltered.standardize = axon::signal::Standardize::none;
        const Eigen::MatrixXd s = net::clean_voxel_series(voxels, plan.first, plan.confounds, unfiltered);
        const net::LowFrequencyMaps lfm = net::low_frequency_maps(s, plan.clean.keep, lf);
        values["alff"] = lfm.alff;
        values["falff"] = lfm.falff;
        extra["Band"] = {lf.band_low_hz, lf.band_high_hz};
        extra["Spectrum"] = plan.kept < static_cast<long>(plan.clean.keep.size()) ? "Lomb-Scargle" : "periodogram";
      }
      if (graph_maps || wants("reho")) {
        Eigen::MatrixXd s = net::clean_voxel_series(voxels, plan.first, plan.confounds, plan.clean);
        if (wants("reho")) {
          values["reho"] = net::regional_homogeneity(s, mask, neighbourhood);
          extra["ReHoNeighbourhood"] = neighbourhood;
        }
        if (graph_maps) {
          const net::UnitSeries u = net::unit_series(s);
          s.resize(0, 0);  // the float32 and float64 unit series replace it
          if (u.nodes() < static_cast<int64_t>(mask.count()))
            axon::log::warn(std::to_string(mask.count() - u.nodes()) +
                            " mask voxels have a constant cleaned series: 0 in the network maps");
          const net::CorrelationGraph g = net::correlation_graph(u, go);
          std::vector<double> degree(mask.count(), 0), wdegree(mask.count(), 0), triangles(mask.count(), 0);
          for (int64_t i = 0; i < u.nodes(); ++i) {
            degree[u.column[i]] = static_cast<double>(g.degree[i]);
            wdegree[u.column[i]] = g.weighted_degree[i];
          }
          if (wants("triangles")) {
            const auto t0 = std::chrono::steady_clock::now();
            const std::vector<uint64_t> t = net::count_triangles(g.graph);
            for (int64_t i = 0; i < u.nodes(); ++i) triangles[u.column[i]] = static_cast<double>(t[i]);
            values["triangles"] = triangles;
            summary["triangle_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          }
          values["degree"] = degree;
          values["wdegree"] = wdegree;
          const double pairs = 0.5 * static_cast<double>(u.nodes()) * static_cast<double>(u.nodes() - 1);
          extra["Threshold"] = g.threshold;
          extra["EdgeRule"] = go.sparsity > 0 ? "r >= Threshold (the strongest Sparsity of all pairs)" : "r > Threshold";
          if (go.sparsity > 0) extra["Sparsity"] = go.sparsity;
          extra["Nodes"] = u.nodes();
          extra["Edges"] = g.edges;
          extra["EdgeDensity"] = static_cast<double>(g.edges) / pairs;
          summary["nodes"] = u.nodes();
          summary["edges"] = g.edges;
          summary["threshold"] = g.threshold;
          summary["edge_density"] = static_cast<double>(g.edges) / pairs;
          summary["product_gflops"] = g.product_flops / 1e9;
          summary["pass_seconds"] = g.pass_seconds;
          summary["passes"] = g.passes;
          summary["gflops_per_second"] = g.product_flops / g.pass_seconds / 1e9;
          summary["rechecked_pairs"] = g.rechecked;
        }
      }
    } catch (const std::invalid_argument& e) {
      throw axon::InputError(bold, e.what());
    }

    axon::OutputSet outputs(ctx.force);
    nlohmann::json written = nlohmann::json::object();
    for (const auto& m : maps) {
      for (bool z : {false, true}) {
        if (z && !args.flag("zscore")) continue;
        const std::string path = map_path(m, z);
        axon::write_image(map_image(z ? zscored(values[m]) : values[m], mask, header), outputs.add(path));
        nlohmann::json e = extra;
        e["Map"] = m;
        if (z) e["ZScored"] = "(x - mean) / sd over the mask voxels";
        axon::write_sidecar(outputs, path, ctx, e);
        written[m + (z ? "_z" : "")] = path;
      }
    }
    outputs.commit_all();
    folder.keep();
    summary["maps"] = written;
    summary["read_seconds"] = std::chrono::duration<double>(t_read - t_start).count();
    summary["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    ctx.summary = summary;
  });
  return c;
}
