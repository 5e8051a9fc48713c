#pragma once
// A learned model's card: everything a trained network needs beside its
// weights, in one JSON file (the one-file form of nnU-Net's plans + dataset
// files). Several TorchScript files under one card form an ensemble (the
// cross-validation folds). docs/axon-segment.md#model-card documents each
// field; read_model_card validates every one and names the card on error.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace axon::learn {

// How the network's output channels are read.
enum class OutputKind {
  softmax,          // one channel per label; argmax picks the label
  sigmoid_regions,  // one channel per nested region (e.g. WT, TC, ET), each thresholded at 0.5
};

// An output region (sigmoid_regions) or class (softmax): its name and the
// labels (in the card's label convention) it covers.
struct OutputChannel {
  std::string name;
  std::vector<int32_t> labels;
  // sigmoid_regions: a voxel is in the region where its probability is
  // above this (the channel's "threshold"; 0.5 when the card names none).
  double threshold = 0.5;
};

struct Normalization {
  // "zscore-nonzero": per channel, z-score over the voxels where any channel
  // is non-zero (the brain), zero elsewhere. "range-nonzero": per channel,
  // the clip percentiles' range of those voxels mapped to [0, 1] (a head
  // with skull, whose mean depends on how much background the field of view
  // holds), zero elsewhere; needs clip_percentiles.
  std::string kind = "zscore-nonzero";
  // Optional clipping of each channel to these percentiles (numpy 'linear')
  // of its in-brain values before the z-score (range-nonzero: required).
  std::optional<std::array<double, 2>> clip_percentiles;
};

struct ModelCard {
  std::string path;                      // the card file itself
  std::string name, description;
  std::vector<std::string> input_channels;  // by name, in the network's order (e.g. t1, t1ce, t2, flair)
  Normalization normalization;
  std::array<double, 3> spacing_mm{};    // the voxel spacing the network expects (x, y, z); 0 = keep input's
  std::string orientation;               // axis codes as nibabel's aff2axcodes (e.g. "LPS"); "" = as given
  std::array<int64_t, 3> patch_size{};   // sliding-window patch (x, y, z voxels at spacing_mm)
  std::vector<int> mirror_axes;          // spatial axes (0 = x, 1 = y, 2 = z) test-time mirroring flips
  OutputKind output_kind = OutputKind::sigmoid_regions;
  std::vector<OutputChannel> outputs;    // one per network output channel
  // sigmoid_regions: the order regions are painted, each overriding the last
  // (nnU-Net's regions_class_order); the label painted for each region.
  std::vector<std::pair<std::string, int32_t>> paint_order;
  std::string label_convention;          // e.g. "brats2018"
  std::vector<std::string> model_files;  // absolute paths of the TorchScript files (one per fold)
  nlohmann::json training, cross_validation, licence;  // provenance, copied into sidecars
  nlohmann::json raw;                    // the whole card as read
};

// Reads and validates a card; model file paths are resolved relative to the
// card's folder. Throws InputError naming the card (or a listed model file
// that does not exist) on any problem.
ModelCard read_model_card(const std::string& path);

// What a sidecar records of the card it ran: name, card path and SHA-256,
// each model file's path and SHA-256, training, cross-validation, licence.
nlohmann::json card_provenance(const ModelCard& card);

// Checks that `card` takes exactly these channels in this order; throws
// InputError naming the card otherwise (e.g. a card with three channels).
void require_input_channels(const ModelCard& card, const std::vector<std::string>& names);

}  // namespace axon::learn
