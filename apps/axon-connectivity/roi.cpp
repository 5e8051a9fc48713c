// axon-connectivity roi: atlas time series -> confound cleaning -> matrices.
// The order of the cleaning is nilearn.signal.clean's (lib/axon/signal/clean.hpp).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "axon/connectivity/atlas_on_grid.hpp"
#include "axon/connectivity/censoring.hpp"
#include "axon/connectivity/confounds.hpp"
#include "axon/connectivity/matrix_figure.hpp"
#include "axon/connectivity/measures.hpp"
#include "axon/core/output_folder.hpp"
#include "axon/connectivity/output_names.hpp"
#include "axon/connectivity/parcel_series.hpp"
#include "axon/connectivity/sliding_window.hpp"
#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/image/grid.hpp"
#include "axon/io/atlas_registry.hpp"
#include "axon/io/nifti.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "axon/signal/butterworth.hpp"
#include "axon/signal/clean.hpp"
#include "axon/stats/covariance.hpp"
#include "cleaning_options.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace conn = axon::connectivity;

namespace {

struct AtlasChoice {
  std::string image, entity;
  axon::LabelTable table;
};

AtlasChoice choose_atlas(const Args& args) {
  AtlasChoice a;
  const std::string given = args.text("atlas");
  if (axon::has_nifti_extension(given) || std::filesystem::exists(given)) {
    if (!std::filesystem::exists(given)) throw axon::InputError(given, "no such atlas image");
    a.image = given;
    a.entity = conn::atlas_entity_of_path(given);
  } else {
    const axon::AtlasManifest m = axon::find_atlas(given);
    a.image = m.image;
    a.entity = conn::entity_value(m.name);
    a.table = axon::atlas_labels(m);
  }
  if (args.has("labels")) a.table = axon::read_label_table(args.text("labels"));
  return a;
}

// A square matrix as a TSV with a header row of label names.
void write_matrix_tsv(const Eigen::MatrixXd& m, const std::vector<std::string>& names, const std::string& path) {
  axon::Table t;
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    t.add_column(names[j], std::vector<double>(m.col(j).data(), m.col(j).data() + m.rows()));
  axon::write_tsv(t, path);
}

double positive_or_zero(const Args& args, const std::string& name) {
  if (!args.has(name)) return 0;
  const double v = args.real(name);
  if (v < 0) throw axon::UsageError("--" + name + " must not be negative");
  return v;
}

}  // namespace

axon::cli::Command roi_command() {
  Command c("roi", "denoised parcel time series and connectivity matrices from a BOLD series and an atlas");
  c.synopsis("--bold BOLD --atlas NAME|PATH --out DIR [options]")
      .option(required(value(ValueKind::input_file, "bold", "BOLD", "4D BOLD series (NIfTI)")))
      .option(required(value(ValueKind::text, "atlas", "NAME|PATH",
                             "atlas: a registry name (axon-image atlases) or a label image")))
      .option(value(ValueKind::input_file, "labels", "TSV", "label names for an atlas given by path"))
      .option(value(ValueKind::input_file, "mask", "MASK", "brain mask on the BOLD grid"))
      .option(value(ValueKind::real, "min-coverage", "F",
                    "parcels with a smaller fraction of usable voxels become n/a everywhere", "0.5"));
  add_cleaning_options(c);
  return c
      .option(repeated(value(ValueKind::text, "kind", "KIND",
                             "measures: correlation, partial, covariance, precision (several allowed)",
                             "correlation")))
      .option(value(ValueKind::real, "window", "S", "dynamic FC: sliding windows of S seconds; 0: off", "0"))
      .option(value(ValueKind::real, "step", "S", "dynamic FC: step between windows; 0: half the window", "0"))
      .option(choice("taper", {"none", "hamming"}, "none", "dynamic FC: window taper (weighted correlation)"))
      .option(flag("fisher-z", "also write Fisher z (atanh) of correlation and partial matrices"))
      .option(required(value(ValueKind::text, "out", "DIR", "output folder (created if missing, like mkdir -p)")))
      .description(
          "Parcel means are extracted while streaming the BOLD series volume by volume. The atlas is resampled "
          "to the BOLD grid (nearest neighbour) when the grids differ. Cleaning follows nilearn.signal.clean: "
          "detrend signals and confounds; interpolate censored volumes (cubic spline), band-pass both with the "
          "same zero-phase Butterworth filter, drop censored volumes; regress the z-scored confounds out; "
          "standardise. Outputs are named from the BOLD file's BIDS entities plus atlas-<name>.")
      .example("axon-connectivity roi --bold sub-01_task-rest_bold.nii.gz --atlas aal --confounds "
               "sub-01_task-rest_desc-confounds_timeseries.tsv --strategy 36P --high-pass 0.01 --low-pass 0.1 "
               "--censor-fd 0.5 --kind correlation --kind partial --out derivatives/",
               "36P cleaning, band-pass, scrubbing; correlation and partial correlation matrices")
      .run([](const Args& args, Context& ctx) {
        const std::string bold = args.text("bold"), outdir = args.text("out");
        const axon::ImageHeader header = axon::read_header(bold);
        if (header.ndim() < 4 || header.nt() < 3) throw axon::InputError(bold, "not a 4D series of 3 volumes or more");
        const long volumes = static_cast<long>(header.nt());

        // Everything that can be refused is refused before the long read.
        const double window_s = positive_or_zero(args, "window");
        double step_s = positive_or_zero(args, "step");
        if (step_s == 0) step_s = 0.5 * window_s;
        CleaningPlan plan = plan_cleaning(args, header, bold, window_s > 0);
        axon::signal::CleanOptions& clean = plan.clean;
        const double tr = clean.tr;
        const std::vector<conn::CensorReason>& reasons = plan.reasons;
        std::vector<conn::Measure> kinds;
        for (const auto& k : args.list("kind")) {
          const conn::Measure m = conn::parse_measure(k);
          if (std::find(kinds.begin(), kinds.end(), m) == kinds.end()) kinds.push_back(m);
        }
        const double min_coverage = args.real("min-coverage");
        if (min_coverage < 0 || min_coverage > 1) throw axon::UsageError("--min-coverage must lie in [0, 1]");

        const AtlasChoice atlas = choose_atlas(args);
        axon::Image<float> mask;
        if (args.has("mask")) {
          mask = axon::read_volume<float>(args.text("mask"));
          axon::require_same_grid(axon::grid_of(header), bold, axon::grid_of(mask.header), args.text("mask"));
        }

        // Output names, checked before the work.
        const std::string prefix = (std::filesystem::path(outdir) /
                                    (conn::bids_entities(bold) + "_atlas-" + atlas.entity)).string();
        const std::string ts_path = prefix + "_timeseries.tsv", cov_path = prefix + "_coverage.tsv",
                          cens_path = prefix + "_censoring.tsv", png_path = prefix + "_meas-correlation_relmat.png";
        std::vector<std::string> paths = {ts_path, cov_path, cens_path};
        auto relmat_path = [&](conn::Measure m, bool z) {
          return prefix + "_meas-" + conn::measure_name(m) + (z ? "fisherz" : "") + "_relmat.tsv";
        };
        for (auto m : kinds) {
          paths.push_back(relmat_path(m, false));
          if (args.flag("fisher-z") && (m == conn::Measure::correlation || m == conn::Measure::partial))
            paths.push_back(relmat_path(m, true));
        }
        if (std::find(kinds.begin(), kinds.end(), conn::Measure::correlation) != kinds.end()) paths.push_back(png_path);
        const std::string dyn_path = prefix + "_meas-correlation_dynamic.tsv";
        if (window_s > 0) paths.push_back(dyn_path);
        // A missing folder is made (mkdir -p) when the outputs are written;
        // until then only whether it can be made is checked.
        axon::OutputFolder folder(outdir);
        for (const auto& p : paths) {
          if (!folder.exists()) break;  // nothing can be in the way in a folder yet to be made
          axon::check_output_path(p, ctx.force);
          if (p.size() > 4 && p.compare(p.size() - 4, 4, ".tsv") == 0)
            axon::check_output_path(axon::sidecar_path(p), ctx.force);
        }

        // Atlas on the grid, parcel series while streaming.
        const conn::AtlasOnGrid placed = conn::place_atlas(atlas.image, header);
        if (!placed.lost.empty()) {
          std::string lost;
          for (auto v : placed.lost) lost += (lost.empty() ? "" : ", ") + std::to_string(v);
          axon::log::warn(std::to_string(placed.lost.size()) + " atlas labels have no voxel on the BOLD grid (n/a): " +
                          lost);
        }
        const conn::ParcelSeries parcels =
            conn::extract_parcel_series(bold, placed.labels, placed.values, args.has("mask") ? &mask : nullptr);
        const std::size_t np = placed.values.size();
        std::vector<std::string> names;
        std::vector<bool> included(np);
        std::vector<int32_t> excluded;
        for (std::size_t p = 0; p < np; ++p) {
          names.push_back(atlas.table.name_of(placed.values[p]));
          included[p] = parcels.usable[p] > 0 && parcels.coverage[p] >= min_coverage;
          if (!included[p]) excluded.push_back(placed.values[p]);
        }
        if (!excluded.empty())
          axon::log::warn(std::to_string(excluded.size()) + " parcels below --min-coverage " +
                          axon::format_number(min_coverage) + " are n/a in every output");
        std::vector<int> cols;
        for (std::size_t p = 0; p < np; ++p)
          if (included[p]) cols.push_back(static_cast<int>(p));
        if (cols.size() < 2) throw axon::InputError(bold, "fewer than 2 parcels have usable signal");

        // Volumes after the dummy scans (the censoring mask over them and
        // the confounds come from plan_cleaning).
        const long first = plan.first, kept_total = volumes - first, kept = plan.kept;
        Eigen::MatrixXd series(kept_total, static_cast<Eigen::Index>(cols.size()));
        for (std::size_t j = 0; j < cols.size(); ++j) series.col(j) = parcels.series.col(cols[j]).tail(kept_total);
        const Eigen::MatrixXd& conf = plan.confounds;
        axon::signal::CleanResult cleaned;
        try {
          cleaned = axon::signal::clean(series, conf, clean);
        } catch (const std::invalid_argument& e) {
          throw axon::InputError(bold, e.what());
        }

        // Measures.
        const Eigen::MatrixXd& s = cleaned.signals;
        Eigen::MatrixXd full = Eigen::MatrixXd::Constant(s.rows(), np, std::numeric_limits<double>::quiet_NaN());
        for (std::size_t j = 0; j < cols.size(); ++j) full.col(cols[j]) = s.col(j);
        // A parcel left without variance by the cleaning has no correlation:
        // say so rather than write its n/a silently.
        std::string flat;
        for (std::size_t j = 0; j < cols.size(); ++j)
          if (!((s.col(j).array() - s.col(j).mean()).abs().maxCoeff() > 0)) flat += (flat.empty() ? "" : ", ") + names[cols[j]];
        if (!flat.empty()) axon::log::warn("parcels without variance after cleaning (n/a in the matrices): " + flat);

        folder.create();
        axon::OutputSet outputs(ctx.force);
        // The cleaning settings (shared with voxel), then what is roi's own.
        nlohmann::json parameters = plan.parameters(args);
        parameters.update({{"Atlas", atlas.entity},
                           {"AtlasImage", atlas.image},
                           {"AtlasResampled", placed.resampled},
                           {"LabelsLost", placed.lost},
                           {"LabelsExcluded", excluded},
                           {"MinCoverage", min_coverage},
                           {"ConfoundRank", cleaned.confound_rank},
                           // Regressors, plus mean and slope when detrending; the filter's
                           // stop bands remove more, which this count does not include.
                           {"DegreesOfFreedomLost", cleaned.confound_rank + (clean.detrend ? 2 : 1)}});
        {
          axon::Table t;
          for (std::size_t p = 0; p < np; ++p)
            t.add_column(names[p], std::vector<double>(full.col(p).data(), full.col(p).data() + full.rows()));
          axon::write_tsv(t, outputs.add(ts_path));
          axon::write_sidecar(outputs, ts_path, ctx, parameters);
        }
        {
          axon::Table t;
          t.columns = {"index", "name", "voxels", "usable_voxels", "coverage", "included"};
          for (std::size_t p = 0; p < np; ++p)
            t.rows.push_back({std::to_string(placed.values[p]), names[p], std::to_string(parcels.voxels[p]),
                              std::to_string(parcels.usable[p]), axon::format_number(parcels.coverage[p]),
                              included[p] ? "1" : "0"});
          axon::write_tsv(t, outputs.add(cov_path));
          axon::write_sidecar(outputs, cov_path, ctx, parameters);
        }
        {
          axon::Table t;
          t.columns = {"volume", "kept", "reason"};
          for (long v = 0; v < volumes; ++v)
            t.rows.push_back({std::to_string(v), reasons[v] == conn::CensorReason::kept ? "1" : "0",
                              conn::censor_reason_name(reasons[v])});
          axon::write_tsv(t, outputs.add(cens_path));
          axon::write_sidecar(outputs, cens_path, ctx, parameters);
        }
        nlohmann::json summary_kinds = nlohmann::json::object();
        for (auto m : kinds) {
          const conn::MeasureResult r = conn::compute_measure(full, included, m);
          nlohmann::json extra = parameters;
          extra["Measure"] = conn::measure_name(m);
          if (m != conn::Measure::correlation) extra["LedoitWolfShrinkage"] = r.shrinkage;
          const std::string path = relmat_path(m, false);
          write_matrix_tsv(r.matrix, names, outputs.add(path));
          axon::write_sidecar(outputs, path, ctx, extra);
          if (args.flag("fisher-z") && (m == conn::Measure::correlation || m == conn::Measure::partial)) {
            const std::string zpath = relmat_path(m, true);
            extra["FisherZ"] = "atanh(r); the diagonal is n/a";
            write_matrix_tsv(axon::stats::fisher_z(r.matrix), names, outputs.add(zpath));
            axon::write_sidecar(outputs, zpath, ctx, extra);
          }
          if (m == conn::Measure::correlation) conn::write_matrix_png(r.matrix, outputs.add(png_path));
          summary_kinds[conn::measure_name(m)] = path;
        }
        if (window_s > 0) {
          // Onsets of the kept volumes, in seconds from the first volume.
          std::vector<double> times;
          for (long t = 0; t < kept_total; ++t)
            if (clean.keep[t]) times.push_back(static_cast<double>(first + t) * tr);
          const auto windows = conn::sliding_windows(
              times, tr, window_s, step_s, args.text("taper") == "hamming" ? conn::Taper::hamming : conn::Taper::none);
          if (windows.empty())
            throw axon::InputError(bold, "the series is shorter than one --window of " + axon::format_number(window_s) + " s");
          const Eigen::MatrixXd edges = conn::window_edge_series(full, included, windows);
          axon::Table t;
          std::vector<double> start, centre, count;
          for (const auto& w : windows) {
            start.push_back(w.start_s);
            centre.push_back(w.centre_s);
            count.push_back(static_cast<double>(w.rows.size()));
          }
          t.add_column("window_start", start);
          t.add_column("window_centre", centre);
          t.add_column("volumes", count);
          Eigen::Index e = 0;
          for (std::size_t i = 0; i < np; ++i)
            for (std::size_t j = i + 1; j < np; ++j, ++e)
              t.add_column(names[i] + "__" + names[j],
                           std::vector<double>(edges.col(e).data(), edges.col(e).data() + edges.rows()));
          axon::write_tsv(t, outputs.add(dyn_path));
          nlohmann::json extra = parameters;
          extra["WindowSeconds"] = window_s;
          extra["StepSeconds"] = step_s;
          extra["Windows"] = windows.size();
          extra["Taper"] = args.text("taper");
          extra["Columns"] = "window_start and window_centre in seconds from the first volume; volumes kept in the "
                             "window; then the Pearson correlation of every label pair (i < j) named A__B";
          axon::write_sidecar(outputs, dyn_path, ctx, extra);
        }
        outputs.commit_all();
        folder.keep();
        ctx.summary = {{"timeseries", ts_path}, {"relmat", summary_kinds}, {"volumes_kept", kept},
                       {"parcels", np}, {"parcels_excluded", excluded.size()},
                       {"confound_columns", plan.confound_columns}};
      });
}
