# `cpack -G DEB` (in the build folder): a Debian package of what
# `cmake --install` installs, under /usr: the headers, the CMake package,
# rekognition.pc and, when the examples are built, the programs and the man page.
set(REKOGNITION_PACKAGE_MAINTAINER "rekognition-cpp maintainers <maintainers@users.noreply.r-seed-07d205cf.example>"
    CACHE STRING "The Maintainer field of the Debian package")

set(CPACK_PACKAGE_NAME rekognition-cpp)
set(CPACK_PACKAGE_VENDOR rekognition-cpp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${REKOGNITION_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "C++17 client for Amazon Rekognition Custom Labels")
set(CPACK_PACKAGE_DESCRIPTION
    "rekognition-cpp calls DetectCustomLabels and manages model versions with AWS-standard\
 credentials, SigV4 signing and retries. It installs the headers, a CMake package\
 (find_package(rekognition)), a pkg-config file (rekognition) and the programs\
 detect-custom-labels, rekognition-local and rekognition-bench.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${REKOGNITION_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
# What a program using the headers builds against; the -dev packages bring the
# shared libraries the installed programs run with.
set(_rk_deb_depends "libssl-dev (>= 1.1.1)" "rapidjson-dev")
if(REKOGNITION_WITH_CURL)
  list(PREPEND _rk_deb_depends "libcurl4-openssl-dev (>= 7.68)")
endif()
# rekognition-local also runs with cpp-httplib's shared library: depend on
# the Debian package that holds it here.
# (pkg_check_modules caches the library it found as pkgcfg_lib_<PREFIX>_<name>.)
set(_rk_httplib_library "${pkgcfg_lib_HTTPLIB_cpp-httplib}")
if(TARGET rekognition-local AND _rk_httplib_library)
  find_program(REKOGNITION_DPKG_QUERY dpkg-query)
  get_filename_component(_rk_httplib_library "${_rk_httplib_library}" REALPATH)
  if(REKOGNITION_DPKG_QUERY)
    execute_process(COMMAND ${REKOGNITION_DPKG_QUERY} -S "${_rk_httplib_library}"
                    OUTPUT_VARIABLE _rk_httplib_owner ERROR_QUIET RESULT_VARIABLE _rk_rc)
    if(_rk_rc EQUAL 0 AND _rk_httplib_owner MATCHES "^([^:, ]+)")
      list(APPEND _rk_deb_depends ${CMAKE_MATCH_1})
    endif()
  endif()
endif()
list(JOIN _rk_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)

include(CPack)
