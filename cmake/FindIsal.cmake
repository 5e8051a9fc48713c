# ISA-L's igzip (Debian libisal-dev): streaming inflate 1.5-2x faster than
# zlib's, used to read .nii.gz (lib/axon/io/gzip_stream.cpp). Optional:
# without it the reader falls back to zlib, with the same results.
find_path(ISAL_INCLUDE_DIR isa-l/igzip_lib.h)
find_library(ISAL_LIBRARY NAMES isal)
if(ISAL_INCLUDE_DIR AND ISAL_LIBRARY)
  add_library(isal_igzip INTERFACE)
  target_include_directories(isal_igzip SYSTEM INTERFACE ${ISAL_INCLUDE_DIR})
  target_link_libraries(isal_igzip INTERFACE ${ISAL_LIBRARY})
  message(STATUS "ISA-L igzip: ${ISAL_LIBRARY} (fast .nii.gz reading)")
else()
  message(WARNING "ISA-L (libisal-dev) not found: .nii.gz is read with zlib, 1.5-2x slower")
endif()
