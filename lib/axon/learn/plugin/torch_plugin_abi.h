/* The C interface of the LibTorch plugin (libaxon_torch.so, built from
 * torch_plugin.cpp next to this file). Only the plugin links LibTorch; the
 * axon library dlopen()s it the first time a network is loaded
 * (lib/axon/learn/torch_ensemble.cpp), so a process that never runs a
 * network never pays LibTorch's start-up cost (docs/development.md#libtorch).
 *
 * Plain C types only; no C++ exception ever crosses this boundary. A call
 * that fails returns NULL / non-zero, and axon_torch_last_error() then gives
 * its one-line message (valid on the calling thread until its next call). */
#ifndef AXON_LEARN_PLUGIN_TORCH_PLUGIN_ABI_H
#define AXON_LEARN_PLUGIN_TORCH_PLUGIN_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Raised whenever an entry point changes meaning; the loader refuses a
 * plugin built against another version (a stale install). */
#define AXON_TORCH_PLUGIN_ABI_VERSION 1

/* The plugin's file name, and the symbol names the loader looks up. */
#define AXON_TORCH_PLUGIN_FILE "libaxon_torch.so"

typedef struct axon_torch_network axon_torch_network;

/* AXON_TORCH_PLUGIN_ABI_VERSION of the plugin. */
int axon_torch_abi_version(void);

/* The message of this thread's last failed call ("" if none). */
const char* axon_torch_last_error(void);

/* Intra-op threads = n (every call); the inter-op pool is sized by the first
 * call only (LibTorch cannot resize it). n < 1 counts as 1. */
void axon_torch_set_threads(int n);

/* Loads one TorchScript file on the CPU in eval mode, frozen and optimised
 * for inference (as exported if it cannot be frozen). NULL on failure. */
axon_torch_network* axon_torch_load(const char* file);

void axon_torch_free(axon_torch_network* network);

/* Runs the network on `input`, n patches of (channels_in, pz, py, px) back to
 * back. The output must have shape (n, channels_out, pz, py, px); it is
 * written as float32 to `output`, which holds n * channels_out * pz * py * px
 * floats. 0 on success; non-zero (and nothing written) if the network fails or
 * its output has another shape. */
int axon_torch_forward(const axon_torch_network* network, const float* input, int64_t n, int64_t channels_in,
                       int64_t pz, int64_t py, int64_t px, int64_t channels_out, float* output);

#ifdef __cplusplus
}
#endif

#endif
