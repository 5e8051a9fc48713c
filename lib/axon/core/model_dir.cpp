#include "axon/core/model_dir.hpp"

#include <cstdlib>

#include "axon/core/install_layout.hpp"

#ifndef AXON_MODEL_DIR
#define AXON_MODEL_DIR "models"
#endif

namespace axon {

std::string shipped_model_dir() {
  const char* env = std::getenv("AXON_MODEL_DIR");
  return env && *env ? env : shipped_data_dir("models", AXON_MODEL_DIR);
}

}  // namespace axon
