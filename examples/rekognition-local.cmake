# build/bin/rekognition-local: the local Rekognition Custom Labels endpoint.
if(NOT REKOGNITION_WITH_HTTPLIB)
  message(STATUS "REKOGNITION_WITH_HTTPLIB=OFF: rekognition-local and the demo are not built")
  return()
endif()
find_package(CLI11 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_executable(rekognition-local ${CMAKE_CURRENT_LIST_DIR}/rekognition-local/main.cpp)
target_link_libraries(rekognition-local PRIVATE rekognition::rekognition CLI11::CLI11 PkgConfig::HTTPLIB)
# Without --fixtures it serves the sample fixture of this source tree.
target_compile_definitions(rekognition-local PRIVATE
  REKOGNITION_LOCAL_DEFAULT_FIXTURES="${CMAKE_CURRENT_LIST_DIR}/data/fixtures.json")
rekognition_strict(rekognition-local)
install(TARGETS rekognition-local RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# make-sample-images: redraws the sample images of examples/data (not built by default).
add_executable(make-sample-images EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/sample-images/main.cpp)
target_compile_features(make-sample-images PRIVATE cxx_std_17)
rekognition_strict(make-sample-images)

# `cmake --build build --target demo`: the README's demo (examples/demo.sh).
add_custom_target(demo
  COMMAND ${CMAKE_COMMAND} -E env REKOGNITION_BUILD_DIR=${CMAKE_BINARY_DIR} REKOGNITION_DEMO_NO_BUILD=1
          bash ${CMAKE_CURRENT_LIST_DIR}/demo.sh
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  USES_TERMINAL
  COMMENT "Running the detect-custom-labels demo against rekognition-local")
add_dependencies(demo rekognition-local detect-custom-labels)
