#pragma once
#include <string>

namespace axon {

// Where a running axon executable finds what ships beside it. Installed, the
// layout is <prefix>/bin/axon-*, <prefix>/lib/axon/ (the LibTorch plugin) and
// <prefix>/share/axon/{models,atlases,templates,pipelines}; every path is taken relative
// to the executable, so a prefix can be moved or unpacked anywhere (no root,
// no build paths). A build tree has no share/axon/ and falls back to the
// source tree's folders compiled in by CMake.

// The folder of the running executable (from /proc/self/exe); empty if unknown.
std::string executable_dir();

// <prefix>/share/axon/<what> when the running executable is installed and
// that folder exists, else build_tree_dir.
std::string shipped_data_dir(const std::string& what, const std::string& build_tree_dir);

}  // namespace axon
