# `cmake --install`: the headers, the CMake package for
# find_package(rekognition CONFIG) and the pkg-config file rekognition.pc.
# The programs and the CLI's man page install themselves (examples/*.cmake).
#
# Destinations follow REKOGNITION_LIBRARY_TYPE: a header-only (INTERFACE)
# library is the same on every architecture, so its CMake package and
# pkg-config file go under share/; a compiled library's would go under the
# library directory.
include(CMakePackageConfigHelpers)

if(REKOGNITION_LIBRARY_TYPE STREQUAL "INTERFACE")
  set(_rk_package_root ${CMAKE_INSTALL_DATADIR})
  set(_rk_version_arch ARCH_INDEPENDENT)
else()
  set(_rk_package_root ${CMAKE_INSTALL_LIBDIR})
  set(_rk_version_arch)
endif()
# A destination the user did not choose follows the library type when it
# changes in an existing build tree (REKOGNITION_COMPILED switched on or off);
# one the user set stays.
function(_rk_install_dir variable default description)
  if(DEFINED ${variable} AND NOT "${${variable}}" STREQUAL "${_RK_DEFAULT_${variable}}")
    return()  # the user's choice
  endif()
  set(${variable} "${default}" CACHE STRING "${description}" FORCE)
  set(_RK_DEFAULT_${variable} "${default}" CACHE INTERNAL "")
endfunction()
_rk_install_dir(REKOGNITION_CMAKE_INSTALL_DIR ${_rk_package_root}/cmake/rekognition
                "Where the CMake package of rekognition is installed (relative to the prefix)")
_rk_install_dir(REKOGNITION_PKGCONFIG_INSTALL_DIR ${_rk_package_root}/pkgconfig
                "Where rekognition.pc is installed (relative to the prefix, or absolute)")

install(TARGETS rekognition EXPORT rekognitionTargets)
install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The CMake package: finds OpenSSL, libcurl, RapidJSON and threads itself.
install(EXPORT rekognitionTargets NAMESPACE rekognition::
        DESTINATION ${REKOGNITION_CMAKE_INSTALL_DIR})
configure_package_config_file(cmake/rekognitionConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/rekognitionConfig.cmake
  INSTALL_DESTINATION ${REKOGNITION_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rekognitionConfigVersion.cmake
  COMPATIBILITY SameMinorVersion ${_rk_version_arch})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rekognitionConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/rekognitionConfigVersion.cmake
        DESTINATION ${REKOGNITION_CMAKE_INSTALL_DIR})

# pkg-config: `pkg-config --cflags --libs rekognition`. Paths are relative to
# the file's own directory, so the same file serves any prefix (--prefix,
# DESTDIR, an unpacked Debian package). An absolute destination is written as
# it is: it does not move with the prefix.
if(IS_ABSOLUTE "${REKOGNITION_PKGCONFIG_INSTALL_DIR}")
  set(REKOGNITION_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _rk_prefix_from_pcfiledir /prefix/${REKOGNITION_PKGCONFIG_INSTALL_DIR} /prefix)
  string(REGEX REPLACE "/$" "" _rk_prefix_from_pcfiledir "${_rk_prefix_from_pcfiledir}")
  set(REKOGNITION_PC_PREFIX "\${pcfiledir}/${_rk_prefix_from_pcfiledir}")
endif()
foreach(_rk_dir INCLUDEDIR LIBDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_rk_dir}}")
    set(REKOGNITION_PC_${_rk_dir} "${CMAKE_INSTALL_${_rk_dir}}")
  else()
    set(REKOGNITION_PC_${_rk_dir} "\${prefix}/${CMAKE_INSTALL_${_rk_dir}}")
  endif()
endforeach()
if(REKOGNITION_WITH_CURL)
  set(REKOGNITION_PC_REQUIRES "libcurl >= 7.68, libcrypto >= 1.1.1, RapidJSON")
  set(REKOGNITION_PC_WITH_CURL 1)
else()
  set(REKOGNITION_PC_REQUIRES "libcrypto >= 1.1.1, RapidJSON")
  set(REKOGNITION_PC_WITH_CURL 0)
endif()
# Compiled mode: its users define REKOGNITION_COMPILED=1 and link the library.
if(REKOGNITION_LIBRARY_TYPE STREQUAL "INTERFACE")
  set(REKOGNITION_PC_COMPILED_CFLAGS "")
  set(REKOGNITION_PC_COMPILED_LIBS "")
else()
  set(REKOGNITION_PC_COMPILED_CFLAGS " -DREKOGNITION_COMPILED=1")
  set(REKOGNITION_PC_COMPILED_LIBS "-L\${libdir} -lrekognition ")
endif()
configure_file(cmake/rekognition.pc.in ${CMAKE_CURRENT_BINARY_DIR}/rekognition.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rekognition.pc
        DESTINATION ${REKOGNITION_PKGCONFIG_INSTALL_DIR})
