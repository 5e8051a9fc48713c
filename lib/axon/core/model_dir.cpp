#include "axon/core/model_dir.hpp"

#include <cstdlib>

#ifndef AXON_MODEL_DIR
#define AXON_MODEL_DIR "models"
#endif

namespace axon {

std::string shipped_model_dir() {
  const char* env = std::getenv("AXON_MODEL_DIR");
  return env && *env ? env : AXON_MODEL_DIR;
}

}  // namespace axon
