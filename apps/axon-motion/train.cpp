#include <chrono>
#include <optional>
#include <fstream>
#include <iostream>

#include "axon/core/atomic_output.hpp"
#include "axon/core/error.hpp"
#include "axon/core/log.hpp"
#include "axon/core/progress.hpp"
#include "axon/io/nifti.hpp"
#include "axon/core/random.hpp"
#include "axon/io/sidecar.hpp"
#include "axon/io/tsv.hpp"
#include "axon/quality/corruption_models.hpp"
#include "axon/quality/features.hpp"
#include "axon/quality/iqm.hpp"
#include "axon/quality/inputs.hpp"
#include "axon/quality/trainer.hpp"
#include "commands.hpp"

using namespace axon::cli;
namespace q = axon::quality;

namespace {

// Each value is an image, or a text file listing images (one per line; blank
// lines and lines starting with # are skipped; relative paths are relative
// to the list's folder).
std::vector<std::string> expand_image_list(const std::vector<std::string>& values) {
  std::vector<std::string> paths;
  for (const auto& v : values) {
    if (axon::has_nifti_extension(v)) {
      paths.push_back(v);
      continue;
    }
    std::ifstream in(v);
    if (!in) throw axon::InputError(v, "cannot read the image list");
    const std::string dir = v.find('/') == std::string::npos ? "" : v.substr(0, v.find_last_of('/') + 1);
    std::string line;
    while (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      paths.push_back(line[0] == '/' ? line : dir + line);
    }
  }
  if (paths.empty()) throw axon::UsageError("--images: no image given");
  return paths;
}

std::vector<axon::Image<float>> load_bases(const std::vector<std::string>& paths, const q::SampleSettings& s) {
  std::vector<axon::Image<float>> out;
  for (const auto& p : paths) out.push_back(q::training_base(q::read_structural(p), s));
  return out;
}

nlohmann::json evaluation_json(const q::Evaluation& e) {
  return {{"n", e.n}, {"residual_mean", e.residual_mean}, {"residual_sd", e.residual_sd}, {"mae", e.mae},
          {"baseline_mae_predicting_mean", e.baseline_mae}, {"spearman", e.spearman}, {"pearson", e.pearson},
          {"accuracy_3_classes", e.accuracy3}, {"accuracy_5_classes", e.accuracy5}, {"accuracy_10_classes", e.accuracy10}};
}

}  // namespace

axon::cli::Command train_command() {
  return Command("train", "train the SSIM regressor on motion simulated from clean volumes")
      .option(required(repeated(value(ValueKind::text, "images", "LIST",
                                      "clean training volumes: images, or text files listing one image per line"))))
      .option(required(value(ValueKind::output_file, "out", "MODEL", "model file (JSON; + sidecar with the evaluation)")))
      .option(value(ValueKind::integer, "samples", "N", "simulated training samples", "600"))
      .option(repeated(value(ValueKind::text, "holdout", "LIST",
                             "volumes never used in training, for the held-out evaluation (images or lists)")))
      .option(value(ValueKind::integer, "eval-samples", "M",
                    "held-out samples: M of unseen motion on the training volumes and M per held-out set", "120"))
      .option(value(ValueKind::integer, "rounds", "R", "boosting rounds", "400"))
      .option(value(ValueKind::real, "crop-probability", "P",
                    "fraction of training samples whose field of view is cut to a random box inside the head "
                    "(slabs, partial-brain acquisitions; 0 when all your images cover the whole head)",
                    "0.3"))
      .option(value(ValueKind::text, "simulators", "LIST",
                    "motion corruption models the training samples are drawn from, comma-separated: kspace (poses "
                    "changing during a linear acquisition), shots (moves between interleaved shots), drift "
                    "(continuous drift)",
                    "kspace"))
      .option(value(ValueKind::text, "holdout-simulators", "LIST",
                    "corruption models of the evaluation samples (default: --simulators); name one the model was "
                    "not trained on to measure how it transfers"))
      .option(flag("holdout-as-is",
                   "corrupt the held-out volumes as they are (no augmentation, no crop), and also predict each "
                   "uncorrupted held-out volume (set unseen_volumes_clean, true SSIM 1)"))
      .option(flag("holdout-only", "evaluate only the held-out volumes (no unseen-motion set on the training volumes)"))
      .option(value(ValueKind::text, "compare-model", "default|PATH",
                    "also predict every evaluation sample with this model (the shipped one: default), in the "
                    "evaluation (compared_model) and in a column of --eval-table"))
      .option(value(ValueKind::real, "augment-probability", "P",
                    "fraction of training samples augmented; the others keep the volume's own resolution, "
                    "contrast, noise and field of view",
                    "1"))
      .option(value(ValueKind::output_file, "eval-table", "TSV", "per-sample true and predicted SSIM of the evaluation"))
      .option(value(ValueKind::output_file, "samples-table", "TSV",
                    "every sample (training and evaluation): set, volume, true SSIM and its features"))
      .description(
          "Each sample: a clean volume is augmented (resolution 1.3-3 mm, gamma/log/sigmoid contrast, bias "
          "field, Rician noise, intensity scale; seed paper section 2.2), corrupted by random motion (0-8 degrees, "
          "0-8 mm, 1-8 pose changes, ghosting in 25 %, 5 % still) through one of the --simulators, and its "
          "target is the 3D "
          "SSIM against the augmented clean volume inside its head mask. XGBoost (squared error, depth 4, "
          "eta 0.05) learns that SSIM from the features of the corrupted image alone. The evaluation uses new "
          "motion draws (another seed) on the training volumes, and, with --holdout, volumes never seen in "
          "training (bench/quality_ixi_cv.sh: cross-validation by subject). Deterministic for --seed and any "
          "--threads.")
      .example("axon-motion train --images models/train_volumes.txt --holdout models/holdout_volumes.txt --out m.json",
               "The shipped model (scripts/train_model)")
      .run([](const Args& args, Context& ctx) {
        const auto start = std::chrono::steady_clock::now();
        const std::string out_path = args.text("out");
        axon::check_output_path(out_path, ctx.force);
        axon::check_output_path(axon::sidecar_path(out_path), ctx.force);
        const auto eval_table = args.maybe_text("eval-table");
        if (eval_table) axon::check_output_path(*eval_table, ctx.force);
        const auto samples_table = args.maybe_text("samples-table");
        if (samples_table) axon::check_output_path(*samples_table, ctx.force);
        axon::Table all_samples;
        all_samples.columns = {"set", "volume", "true_ssim"};
        for (const auto& f : q::feature_names()) all_samples.columns.push_back(f);
        auto keep_samples = [&](const char* name, const q::SampleSet& set, const std::vector<std::string>& paths) {
          const std::size_t cols = q::feature_names().size();
          for (std::size_t i = 0; i < set.ssim.size(); ++i) {
            std::vector<std::string> row{name, paths[set.volume[i]], axon::format_number(set.ssim[i])};
            for (std::size_t c = 0; c < cols; ++c) row.push_back(axon::format_number(set.features[i * cols + c]));
            all_samples.rows.push_back(std::move(row));
          }
        };
        const long long samples = args.integer("samples"), eval_samples = args.integer("eval-samples");
        const long long rounds = args.integer("rounds");
        if (samples < 10) throw axon::UsageError("--samples must be at least 10");
        if (eval_samples < 0) throw axon::UsageError("--eval-samples must not be negative");
        if (rounds < 1) throw axon::UsageError("--rounds must be positive");

        q::SampleSettings settings;
        settings.crop_probability = args.real("crop-probability");
        if (!(settings.crop_probability >= 0 && settings.crop_probability <= 1))
          throw axon::UsageError("--crop-probability must be between 0 and 1");
        settings.augment_probability = args.real("augment-probability");
        if (!(settings.augment_probability >= 0 && settings.augment_probability <= 1))
          throw axon::UsageError("--augment-probability must be between 0 and 1");
        settings.simulators = q::parse_corruption_models(args.text("simulators"));
        const std::vector<q::CorruptionModel> holdout_simulators =
            args.maybe_text("holdout-simulators") ? q::parse_corruption_models(*args.maybe_text("holdout-simulators"))
                                                  : settings.simulators;
        const bool as_is = args.flag("holdout-as-is"), holdout_only = args.flag("holdout-only");
        std::optional<q::SsimModel> compared;
        std::string compared_path;
        if (auto m = args.maybe_text("compare-model")) {
          compared_path = q::resolve_model_path(*m);
          compared = q::SsimModel::load(compared_path);
        }
        const auto train_paths = expand_image_list(args.list("images"));
        const auto train_volumes = load_bases(train_paths, settings);
        std::vector<std::string> holdout_paths;
        if (args.has("holdout")) holdout_paths = expand_image_list(args.list("holdout"));
        const auto holdout_volumes = load_bases(holdout_paths, settings);

        axon::Progress bar("simulating", static_cast<std::size_t>(samples + eval_samples * ((holdout_only ? 0 : 1) +
                                                                                            (holdout_paths.empty() ? 0 : 1))));
        auto tick = [&](std::size_t, std::size_t) { bar.advance(); };
        const q::SampleSet train = q::make_samples(train_volumes, samples, settings, ctx.seed, tick);
        keep_samples("training", train, train_paths);
        q::BoostingParameters params;
        params.rounds = static_cast<int>(rounds);
        const std::vector<float> targets(train.ssim.begin(), train.ssim.end());
        const std::vector<float> slice_targets(train.slice_ssim.begin(), train.slice_ssim.end());
        const q::SsimModel model = q::SsimModel::train(train.features, targets, train.slice_rows, slice_targets, params, ctx.seed);

        // Held-out (a): new motion and augmentation draws (a derived seed)
        // on the training volumes; (b): the held-out volumes.
        nlohmann::json evaluation = nlohmann::json::object();
        axon::Table table;
        table.columns = {"set", "volume", "true_ssim", "predicted_ssim", "simulator"};
        if (compared) table.columns.push_back("compared_predicted_ssim");
        auto run_eval = [&](const char* name, const std::vector<axon::Image<float>>& volumes,
                            const std::vector<std::string>& paths, std::uint64_t seed, const q::SampleSettings& s) {
          if (volumes.empty() || eval_samples == 0) return;
          const q::SampleSet set = q::make_samples(volumes, eval_samples, s, seed, tick);
          const auto predicted = model.predict(set.features);
          keep_samples(name, set, paths);
          evaluation[name] = evaluation_json(q::evaluate(predicted, set.ssim));
          std::vector<double> other;
          if (compared) {
            other = compared->predict(set.features);
            evaluation["compared_model"][name] = evaluation_json(q::evaluate(other, set.ssim));
          }
          for (std::size_t i = 0; i < set.ssim.size(); ++i) {
            table.rows.push_back({name, paths[set.volume[i]], axon::format_number(set.ssim[i]),
                                  axon::format_number(predicted[i]), q::corruption_model_name(set.simulator[i])});
            if (compared) table.rows.back().push_back(axon::format_number(other[i]));
          }
          // Slices of the same samples: 2D SSIM of axial slices.
          const auto slice_predicted = model.predict_slices(set.slice_rows);
          const std::string slice_name = std::string(name) + "_slices";
          evaluation[slice_name] = evaluation_json(q::evaluate(slice_predicted, set.slice_ssim));
          std::vector<double> other_slices;
          if (compared) other_slices = compared->predict_slices(set.slice_rows);
          for (std::size_t i = 0; i < set.slice_ssim.size(); ++i) {
            table.rows.push_back({slice_name, paths[set.volume[set.slice_sample[i]]], axon::format_number(set.slice_ssim[i]),
                                  axon::format_number(slice_predicted[i]),
                                  q::corruption_model_name(set.simulator[set.slice_sample[i]])});
            if (compared) table.rows.back().push_back(axon::format_number(other_slices[i]));
          }
        };
        // The held-out volumes keep their own field of view (no crop).
        // With --holdout-as-is, without augmentation either.
        q::SampleSettings eval_settings = settings, holdout_settings = settings;
        eval_settings.simulators = holdout_settings.simulators = holdout_simulators;
        holdout_settings.crop_probability = 0;
        holdout_settings.augment = !as_is;
        if (!holdout_only)
          run_eval("unseen_motion_training_volumes", train_volumes, train_paths, axon::splitmix64(ctx.seed ^ 0x5eed0001),
                   eval_settings);
        run_eval("unseen_volumes", holdout_volumes, holdout_paths, axon::splitmix64(ctx.seed ^ 0x5eed0002),
                 holdout_settings);
        if (as_is && !holdout_volumes.empty()) {
          // The uncorrupted held-out volumes, through the same features.
          std::vector<float> rows;
          for (const auto& v : holdout_volumes) {
            const auto masks = q::default_iqm_masks(v);
            const q::FeatureVector f = q::image_features(v, masks.head, q::compute_iqms(v, masks));
            rows.insert(rows.end(), f.values.begin(), f.values.end());
          }
          const auto predicted = model.predict(rows);
          const std::vector<double> truth(holdout_volumes.size(), 1.0);
          evaluation["unseen_volumes_clean"] = evaluation_json(q::evaluate(predicted, truth));
          std::vector<double> other;
          if (compared) {
            other = compared->predict(rows);
            evaluation["compared_model"]["unseen_volumes_clean"] = evaluation_json(q::evaluate(other, truth));
          }
          for (std::size_t i = 0; i < holdout_volumes.size(); ++i) {
            table.rows.push_back({"unseen_volumes_clean", holdout_paths[i], "1", axon::format_number(predicted[i]), "none"});
            if (compared) table.rows.back().push_back(axon::format_number(other[i]));
          }
        }
        bar.finish();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        double mean = 0;
        for (double s : train.ssim) mean += s / static_cast<double>(train.ssim.size());
        nlohmann::json info = model.training_info();
        info["volumes"] = train_paths;
        info["holdout_volumes"] = holdout_paths;
        info["seed"] = ctx.seed;
        nlohmann::json simulators = nlohmann::json::array(), holdout_names = nlohmann::json::array();
        for (const auto m : settings.simulators) simulators.push_back(q::corruption_model_name(m));
        for (const auto m : holdout_simulators) holdout_names.push_back(q::corruption_model_name(m));
        info["simulators"] = simulators;
        info["evaluation_simulators"] = holdout_names;
        info["holdout_as_is"] = as_is;
        info["augment_probability"] = settings.augment_probability;
        if (compared) info["compared_model"] = compared_path;
        info["training_ssim_mean"] = mean;
        info["evaluation"] = evaluation;
        // The model file holds only what the seed and inputs determine, so
        // that it is byte-identical for any --threads; the run's time and
        // thread count go to its sidecar.
        nlohmann::json run_info = info;
        run_info["training_seconds"] = seconds;
        run_info["threads"] = ctx.threads;

        axon::OutputSet outputs(ctx.force);
        model.save(outputs.add(out_path), info);
        axon::write_sidecar(outputs, out_path, ctx, {{"Training", run_info}});
        if (eval_table) {
          axon::write_tsv(table, outputs.add(*eval_table));
          axon::write_sidecar(outputs, *eval_table, ctx, {{"Columns", "set, clean volume, true 3D SSIM, predicted SSIM"}});
        }
        if (samples_table) {
          axon::write_tsv(all_samples, outputs.add(*samples_table));
          axon::write_sidecar(outputs, *samples_table, ctx, {{"Columns", "set, clean volume, true 3D SSIM, features"}});
        }
        outputs.commit_all();
        ctx.summary = {{"model", out_path}, {"samples", samples}, {"evaluation", evaluation}, {"seconds", seconds}};
        if (!ctx.json) std::cout << evaluation.dump(2) << "\n";
      });
}
