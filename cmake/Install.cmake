# `cmake --install` and `make package`: a relocatable tree and a Debian package.
# Layout (core/install_layout.hpp): bin/axon-*, lib/axon/libaxon_torch.so and
# share/axon/{models,atlases,templates,pipelines}; the executables find all of it
# relative to themselves, so the prefix can be moved (docs/install.md).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/models/ DESTINATION share/axon/models)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/atlases/ DESTINATION share/axon/atlases)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/ DESTINATION share/axon/templates)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/pipelines/ DESTINATION share/axon/pipelines)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/axon)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION share/doc/axon/docs)

# CPack: one Debian package. SHLIBDEPS runs dpkg-shlibdeps over the installed
# executables and the LibTorch plugin, so Depends names exactly the runtime
# libraries they link (libitk*, libvtk*, libtorch, libopenblas ...), never the
# -dev packages the build needed. The atlases' images come from mricron-data
# (a large data package, not a library): recommended, as atlases are optional.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME axon)
set(CPACK_PACKAGE_VENDOR "axon")
set(CPACK_PACKAGE_CONTACT "axon developers <axon@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "neuroimaging command-line suite (connectivity, segmentation, denoising, motion)")
set(CPACK_PACKAGE_DESCRIPTION "axon: separate executables (axon-image, axon-segment, axon-denoise,
axon-connectivity, axon-motion, axon-register, axon-pipeline) sharing one image library and
chained by declarative pipeline files; learned models run through LibTorch.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The plugin in /usr/lib/axon is private: dpkg-shlibdeps looks there for it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/lib/axon)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "mricron-data")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "snakemake")
include(CPack)
