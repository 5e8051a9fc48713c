#pragma once
// Input handling shared by the axon-segment commands.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "axon/image/image.hpp"
#include "axon/learn/model_card.hpp"
#include "axon/learn/torch_ensemble.hpp"

// A 3D intensity image with finite values (InputError naming the file).
axon::Image<float> read_intensity_volume(const std::string& path);
// The model card to run: `given` (--model), else `shipped`; a shipped card
// that is not installed is an InputError naming it, the `what` model, and
// what to pass `instead` (e.g. "--model CARD").
std::string card_path_or_shipped(const std::optional<std::string>& given, const std::string& shipped,
                                 const std::string& what, const std::string& instead);
// One byte per voxel of `like` from the mask at `path` (voxels > 0): must be
// 3D, on the grid of `like` and not empty. Returns empty when no path.
std::vector<std::uint8_t> read_mask_like(const std::optional<std::string>& path, const axon::Image<float>& like,
                                         const std::string& like_path);

// A model card and its networks, loaded before any image is read (a bad card
// or network fails first), with the load time for the sidecar.
struct LoadedModel {
  axon::learn::ModelCard card;
  axon::learn::TorchEnsemble ensemble;
  double load_s = 0;
};
// card_path_or_shipped's card, checked by `require` (e.g. require_brain_card),
// with LibTorch capped at `threads`.
LoadedModel load_model(const std::optional<std::string>& given, const std::string& shipped, const std::string& what,
                       const std::string& instead, void (*require)(const axon::learn::ModelCard&), int threads);
