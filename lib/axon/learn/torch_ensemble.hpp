#pragma once
// TorchScript networks loaded from a model card. Every tool that runs a
// network goes through this class. LibTorch itself lives in a plugin,
// libaxon_torch.so (lib/axon/learn/plugin), loaded on first use: a process
// that never constructs a TorchEnsemble never loads LibTorch. A plugin that
// is missing or cannot be loaded is an axon::Error (exit 1) naming its path.
#include <memory>
#include <string>
#include <vector>

#include "axon/learn/model_card.hpp"
#include "axon/learn/tensor_volume.hpp"

namespace axon::learn {

// Caps LibTorch's intra-op (and inter-op) threads at n. Results do not
// depend on n: each network is frozen at load so that every convolution
// runs in oneDNN whatever n (docs/development.md#libtorch). The inter-op
// pool can be sized once per process: later calls change intra-op only.
// Does not load the plugin: before the first TorchEnsemble the value is
// remembered and applied when the plugin loads.
void set_torch_threads(int n);

class TorchEnsemble {
 public:
  // Loads every model file of the card on the CPU in eval mode, frozen and
  // optimised for inference (a network that cannot be frozen runs as
  // exported). Throws InputError naming the file that cannot be read as
  // TorchScript.
  explicit TorchEnsemble(const ModelCard& card);
  ~TorchEnsemble();
  TorchEnsemble(TorchEnsemble&&) noexcept;
  TorchEnsemble& operator=(TorchEnsemble&&) noexcept;

  std::size_t size() const;  // number of member networks (folds)
  // Runs member `m` on a batch of patches: `batch` holds `n` patches of
  // (channels_in, pz, py, px) back to back; returns n patches of
  // (channels_out, pz, py, px) of raw network outputs (logits). Throws
  // InputError naming the model file if the network fails or its output
  // shape is not (n, expected_channels_out, pz, py, px).
  std::vector<float> forward(std::size_t m, const std::vector<float>& batch, int64_t n, int64_t channels_in,
                             int64_t pz, int64_t py, int64_t px, int64_t expected_channels_out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace axon::learn
