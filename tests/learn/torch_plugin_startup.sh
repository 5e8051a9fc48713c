#!/usr/bin/env bash
# No axon executable links LibTorch: it is reached only through the plugin
# libaxon_torch.so, dlopen()ed when a network is loaded. So `--version` (any
# command that runs no network) never maps LibTorch, and no executable lists
# libtorch/c10 as NEEDED (docs/development.md#libtorch).
source "$AXON_SOURCE/tests/cli/lib.sh"
for tool in axon-image axon-denoise axon-connectivity axon-motion axon-pipeline axon-segment axon-register; do
  exe="$AXON_BIN/$tool"
  [ -x "$exe" ] || continue  # not built in this tree
  LD_DEBUG=libs "$exe" --version >/dev/null 2>"$work/ld.txt" || fail "$tool --version failed"
  grep -qE 'libtorch|libc10|libaxon_torch' "$work/ld.txt" &&
    fail "$tool --version loaded LibTorch: $(grep -oE 'lib(torch[a-z_]*|c10|axon_torch)\.so[.0-9]*' "$work/ld.txt" | sort -u | tr '\n' ' ')"
  if command -v readelf >/dev/null; then
    readelf -d "$exe" | grep NEEDED | grep -qE 'libtorch|libc10' && fail "$tool has LibTorch as NEEDED"
  fi
done
finish
