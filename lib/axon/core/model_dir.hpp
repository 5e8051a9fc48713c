#pragma once
#include <string>

namespace axon {

// The folder of the shipped models: the environment variable AXON_MODEL_DIR
// when set and non-empty, else <prefix>/share/axon/models beside an installed
// executable, else the build's AXON_MODEL_DIR (models/ of the source tree).
// One place, so every tool finds its default model alike.
std::string shipped_model_dir();

}  // namespace axon
