#include "axon/core/version.hpp"

namespace axon {
const char* version() { return AXON_VERSION; }
}  // namespace axon
