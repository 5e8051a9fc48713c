// TorchEnsemble and set_torch_threads without LibTorch: the networks run in
// the LibTorch plugin (libaxon_torch.so, lib/axon/learn/plugin), which this
// file dlopen()s the first time a network is loaded. A process that never
// loads a network never maps LibTorch (about 1-2 s of start-up and 160 MB;
// docs/development.md#libtorch).
//
// Where the plugin is looked for: the file or folder named by the
// AXON_TORCH_PLUGIN environment variable if set (nothing else then); else
// <executable's folder>/../lib/axon/libaxon_torch.so (the install layout,
// relocatable), then the build tree's copy (AXON_TORCH_PLUGIN_BUILD_PATH).
// A plugin that is missing or cannot be loaded is an installation problem:
// axon::Error (exit 1) naming the path. The model files' problems stay
// InputErrors naming the model file (exit 3).
#include "axon/learn/torch_ensemble.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "axon/core/error.hpp"
#include "axon/core/install_layout.hpp"
#include "axon/learn/plugin/torch_plugin_abi.h"

#ifndef AXON_TORCH_PLUGIN_BUILD_PATH
#define AXON_TORCH_PLUGIN_BUILD_PATH ""
#endif

namespace axon::learn {
namespace {

namespace fs = std::filesystem;

struct Plugin {
  int (*abi_version)() = nullptr;
  const char* (*last_error)() = nullptr;
  void (*set_threads)(int) = nullptr;
  axon_torch_network* (*load)(const char*) = nullptr;
  void (*free)(axon_torch_network*) = nullptr;
  int (*forward)(const axon_torch_network*, const float*, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                 float*) = nullptr;
};

std::mutex plugin_mutex;       // guards everything below
const Plugin* loaded = nullptr;  // never unloaded: LibTorch does not support dlclose
// set_torch_threads before the plugin is loaded: remembered, applied at load.
int first_threads = 0;
int latest_threads = 0;

std::string plugin_error(const std::string& what) {
  return "LibTorch plugin " + what + " (reinstall axon, or set AXON_TORCH_PLUGIN to the folder holding " +
         AXON_TORCH_PLUGIN_FILE + ")";
}

// The candidate paths, in order.
std::vector<std::string> plugin_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("AXON_TORCH_PLUGIN"); env && *env) {
    std::error_code ec;
    const fs::path p(env);
    out.push_back(fs::is_directory(p, ec) ? (p / AXON_TORCH_PLUGIN_FILE).string() : p.string());
    return out;
  }
  if (const std::string bin = executable_dir(); !bin.empty())
    out.push_back((fs::path(bin).parent_path() / "lib" / "axon" / AXON_TORCH_PLUGIN_FILE).lexically_normal().string());
  const std::string build = AXON_TORCH_PLUGIN_BUILD_PATH;
  if (!build.empty() && (out.empty() || out.front() != build)) out.push_back(build);
  return out;
}

template <typename F>
void resolve(void* handle, const std::string& path, const char* name, F& target) {
  void* symbol = dlsym(handle, name);
  if (!symbol) throw Error(ExitCode::other, plugin_error(path + " lacks " + name + ": a stale or foreign build"));
  target = reinterpret_cast<F>(symbol);
}

// Loads the plugin once; the caller holds plugin_mutex.
const Plugin& plugin_locked() {
  if (loaded) return *loaded;
  const auto candidates = plugin_candidates();
  std::string path;
  std::error_code ec;
  for (const auto& c : candidates)
    if (fs::exists(c, ec)) {
      path = c;
      break;
    }
  if (path.empty()) {
    std::string looked;
    for (const auto& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
    throw Error(ExitCode::other, plugin_error("not found (looked for " + looked + ")"));
  }
  // RTLD_LOCAL: LibTorch's symbols stay out of the global namespace.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error(ExitCode::other, plugin_error(path + " cannot be loaded: " + (why ? why : "unknown error")));
  }
  auto plugin = std::make_unique<Plugin>();
  resolve(handle, path, "axon_torch_abi_version", plugin->abi_version);
  if (plugin->abi_version() != AXON_TORCH_PLUGIN_ABI_VERSION)
    throw Error(ExitCode::other, plugin_error(path + " has interface version " +
                                              std::to_string(plugin->abi_version()) + ", this axon needs " +
                                              std::to_string(AXON_TORCH_PLUGIN_ABI_VERSION)));
  resolve(handle, path, "axon_torch_last_error", plugin->last_error);
  resolve(handle, path, "axon_torch_set_threads", plugin->set_threads);
  resolve(handle, path, "axon_torch_load", plugin->load);
  resolve(handle, path, "axon_torch_free", plugin->free);
  resolve(handle, path, "axon_torch_forward", plugin->forward);
  // The first value sizes the inter-op pool, the latest is the intra-op
  // count: as if the calls had reached LibTorch when they were made.
  if (first_threads > 0) plugin->set_threads(first_threads);
  if (latest_threads > 0 && latest_threads != first_threads) plugin->set_threads(latest_threads);
  loaded = plugin.release();
  return *loaded;
}

const Plugin& plugin() {
  std::lock_guard<std::mutex> lock(plugin_mutex);
  return plugin_locked();
}

}  // namespace

void set_torch_threads(int n) {
  if (n < 1) n = 1;
  std::lock_guard<std::mutex> lock(plugin_mutex);
  if (loaded) {
    loaded->set_threads(n);
    return;
  }
  if (first_threads == 0) first_threads = n;
  latest_threads = n;
}

struct TorchEnsemble::Impl {
  const Plugin* plugin = nullptr;
  std::vector<std::string> files;
  std::vector<axon_torch_network*> networks;
  ~Impl() {
    for (auto* network : networks) plugin->free(network);
  }
};

TorchEnsemble::TorchEnsemble(const ModelCard& card) : impl_(std::make_unique<Impl>()) {
  if (card.model_files.empty()) throw InputError(card.path, "model card lists no model files");
  impl_->plugin = &plugin();
  for (const auto& file : card.model_files) {
    axon_torch_network* network = impl_->plugin->load(file.c_str());
    if (!network) throw InputError(file, impl_->plugin->last_error());
    impl_->networks.push_back(network);
    impl_->files.push_back(file);
  }
}

TorchEnsemble::~TorchEnsemble() = default;
TorchEnsemble::TorchEnsemble(TorchEnsemble&&) noexcept = default;
TorchEnsemble& TorchEnsemble::operator=(TorchEnsemble&&) noexcept = default;

std::size_t TorchEnsemble::size() const { return impl_->networks.size(); }

std::vector<float> TorchEnsemble::forward(std::size_t m, const std::vector<float>& batch, int64_t n,
                                          int64_t channels_in, int64_t pz, int64_t py, int64_t px,
                                          int64_t expected_channels_out) const {
  if (m >= impl_->networks.size()) throw std::out_of_range("TorchEnsemble::forward: no member " + std::to_string(m));
  if (n < 1 || static_cast<int64_t>(batch.size()) != n * channels_in * pz * py * px)
    throw std::invalid_argument("TorchEnsemble::forward: batch size does not match its shape");
  std::vector<float> out(static_cast<std::size_t>(std::max<int64_t>(0, n * expected_channels_out * pz * py * px)));
  if (impl_->plugin->forward(impl_->networks[m], batch.data(), n, channels_in, pz, py, px, expected_channels_out,
                             out.data()) != 0)
    throw InputError(impl_->files[m], impl_->plugin->last_error());
  return out;
}

}  // namespace axon::learn
