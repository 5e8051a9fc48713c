#include "input_checks.hpp"

#include <chrono>
#include <fstream>

#include "axon/core/error.hpp"

#include "axon/denoise/volume_checks.hpp"
#include "axon/image/grid.hpp"
#include "axon/image/mask.hpp"
#include "axon/io/nifti.hpp"

axon::Image<float> read_intensity_volume(const std::string& path) {
  auto image = axon::read_volume<float>(path);
  axon::denoise::require_finite(image, path);
  return image;
}

std::vector<std::uint8_t> read_mask_like(const std::optional<std::string>& path, const axon::Image<float>& like,
                                         const std::string& like_path) {
  if (!path) return {};
  const auto mask_image = axon::read_volume<float>(*path);
  axon::require_same_grid(axon::grid_of(like.header), like_path, axon::grid_of(mask_image.header), *path);
  const axon::Mask m = axon::mask_from_image(mask_image, *path);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(like.voxels_per_volume()), 0);
  for (int64_t i : m.indices) out[static_cast<std::size_t>(i)] = 1;
  return out;
}

std::string card_path_or_shipped(const std::optional<std::string>& given, const std::string& shipped,
                                 const std::string& what, const std::string& instead) {
  if (given) return *given;
  if (!std::ifstream(shipped))
    throw axon::InputError(shipped, "the shipped " + what + " model is not installed (no such card); pass " + instead);
  return shipped;
}

LoadedModel load_model(const std::optional<std::string>& given, const std::string& shipped, const std::string& what,
                       const std::string& instead, void (*require)(const axon::learn::ModelCard&), int threads) {
  const auto start = std::chrono::steady_clock::now();
  axon::learn::ModelCard card = axon::learn::read_model_card(card_path_or_shipped(given, shipped, what, instead));
  require(card);
  axon::learn::set_torch_threads(threads);
  axon::learn::TorchEnsemble ensemble(card);
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {std::move(card), std::move(ensemble), load_s};
}
