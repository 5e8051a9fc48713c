// libaxon_torch.so: the one translation unit that includes LibTorch.
// TorchScript loading and forward passes on the CPU behind the C interface
// of torch_plugin_abi.h; axon's TorchEnsemble dlopen()s this module on first
// use, so that only a process that runs a network loads LibTorch.
//
// LibTorch reports problems as c10::Error with a multi-line message (and a
// C++ backtrace); axon's rule is one line, so every exception is caught here,
// cut to its informative line and handed over as a string: no exception
// crosses the C boundary. The caller adds the model file's name.
#include "torch_plugin_abi.h"

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/script.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#define AXON_TORCH_EXPORT extern "C" __attribute__((visibility("default")))

struct axon_torch_network {
  torch::jit::Module module;
};

namespace {

thread_local std::string last_error;

int fail(std::string message) {
  last_error = std::move(message);
  return 1;
}

// The informative line of a LibTorch message: the first, except for errors
// raised inside a TorchScript graph, which start with "The following
// operation failed in the TorchScript interpreter." and a Python-like
// traceback, and end with the actual error ("RuntimeError: ...").
std::string summary_line(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const auto end = std::min(text.find('\n', begin), text.size());
    if (end > begin) lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  if (lines.empty()) return "unknown LibTorch error";
  const bool traceback = text.find("TorchScript interpreter") != std::string::npos ||
                         text.find("Traceback of TorchScript") != std::string::npos;
  return traceback ? lines.back() : lines.front();
}

// c10::Error::what() appends a C++ backtrace; what_without_backtrace() does not.
std::string torch_message(const c10::Error& e) { return summary_line(e.what_without_backtrace()); }

// Freezing folds the parameters into the graph, and optimize_for_inference
// then binds every convolution to oneDNN (prim::mkldnn_convolution) once, at
// load time. Without it, ATen chooses per call between oneDNN and its own
// kernel from the thread count (1x1x1 kernels go to oneDNN only with more
// than one thread) and the batch size (one small patch: ATen's kernel), and
// the two round differently (about 1e-7): --threads 1 and 2 would not give
// the same bytes. A network that cannot be frozen runs as exported.
torch::jit::Module optimized(torch::jit::Module module) {
  try {
    return torch::jit::optimize_for_inference(module);
  } catch (const std::exception&) {
    return module;
  }
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string out;
  for (auto s : shape) out += (out.empty() ? "(" : ", ") + std::to_string(s);
  return out + ")";
}

}  // namespace

AXON_TORCH_EXPORT int axon_torch_abi_version(void) { return AXON_TORCH_PLUGIN_ABI_VERSION; }

AXON_TORCH_EXPORT const char* axon_torch_last_error(void) { return last_error.c_str(); }

AXON_TORCH_EXPORT void axon_torch_set_threads(int n) {
  if (n < 1) n = 1;
  try {
    at::set_num_threads(n);
  } catch (...) {
  }
  // The inter-op pool (TorchScript fork/wait only; it never changes a
  // result) can be sized once per process and only before first use:
  // LibTorch throws after that, so the first caller's n stays.
  static std::once_flag interop_once;
  std::call_once(interop_once, [n] {
    try {
      at::set_num_interop_threads(n);
    } catch (...) {
      // already started by an earlier forward pass: keep its size
    }
  });
}

AXON_TORCH_EXPORT axon_torch_network* axon_torch_load(const char* file) {
  try {
    torch::jit::Module module = torch::jit::load(file, torch::kCPU);
    module.eval();  // dropout off, batch norm on its running statistics
    return new axon_torch_network{optimized(std::move(module))};
  } catch (const c10::Error& e) {
    fail("cannot read as a TorchScript model: " + torch_message(e));
  } catch (const std::exception& e) {
    fail("cannot read as a TorchScript model: " + summary_line(e.what()));
  } catch (...) {
    fail("cannot read as a TorchScript model: unknown error");
  }
  return nullptr;
}

AXON_TORCH_EXPORT void axon_torch_free(axon_torch_network* network) {
  try {
    delete network;
  } catch (...) {
  }
}

AXON_TORCH_EXPORT int axon_torch_forward(const axon_torch_network* network, const float* input, int64_t n,
                                         int64_t channels_in, int64_t pz, int64_t py, int64_t px,
                                         int64_t channels_out, float* output) {
  const std::string input_shape = shape_text({n, channels_in, pz, py, px});
  try {
    c10::NoGradGuard no_grad;  // inference only: no autograd graph, less memory
    // A copy: a network is free to modify its input in place.
    const torch::Tensor tensor =
        torch::from_blob(const_cast<float*>(input), {n, channels_in, pz, py, px}, torch::kFloat32).clone();
    torch::Tensor result_tensor;
    {
      // forward() is not const; the module is not changed by running it.
      auto& module = const_cast<torch::jit::Module&>(network->module);
      c10::IValue result = module.forward({tensor});
      // A network exported with deep supervision returns its outputs
      // full-resolution first (nnU-Net's order): use that one.
      if (result.isTuple()) result = result.toTuple()->elements().at(0);
      else if (result.isList()) result = result.toList().get(0);
      if (!result.isTensor()) return fail("the network's output is not a tensor");
      result_tensor = result.toTensor();
    }
    const std::vector<int64_t> expected{n, channels_out, pz, py, px};
    if (result_tensor.sizes().vec() != expected)
      return fail("the network's output has shape " + shape_text(result_tensor.sizes().vec()) + ", expected " +
                  shape_text(expected) + ": check the card's output channels and patch size");
    result_tensor = result_tensor.to(torch::kFloat32).contiguous();
    std::memcpy(output, result_tensor.data_ptr<float>(), sizeof(float) * static_cast<std::size_t>(result_tensor.numel()));
    return 0;
  } catch (const c10::Error& e) {
    return fail("the network failed on a " + input_shape + " input: " + torch_message(e));
  } catch (const std::exception& e) {  // torch::jit::JITException and the like
    return fail("the network failed on a " + input_shape + " input: " + summary_line(e.what()));
  } catch (...) {
    return fail("the network failed on a " + input_shape + " input: unknown error");
  }
}
