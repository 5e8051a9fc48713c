# The reference NIfTI C library (Debian libnifti2-dev): it reads and writes
# NIfTI-1 and NIfTI-2 headers keeping qform/sform codes, which ITK 5.2's
# writer resets. Debian ships no CMake config for it, so find it by hand.
find_path(NIFTI_INCLUDE_DIR nifti2_io.h PATH_SUFFIXES nifti REQUIRED)
find_library(NIFTI2_LIBRARY NAMES nifti2 niftiio2 REQUIRED)
find_library(ZNZ_LIBRARY NAMES znz REQUIRED)
add_library(nifti_c INTERFACE)
target_include_directories(nifti_c SYSTEM INTERFACE ${NIFTI_INCLUDE_DIR})
target_link_libraries(nifti_c INTERFACE ${NIFTI2_LIBRARY} ${ZNZ_LIBRARY} ZLIB::ZLIB m)
