#pragma once
namespace axon {
const char* version();     // the project version (CMake's project VERSION)
const char* git_commit();  // short commit of the build, "-dirty" when modified
}  // namespace axon
