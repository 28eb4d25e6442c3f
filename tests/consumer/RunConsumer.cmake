# Builds and runs tests/consumer in one MODE, from scratch, in WORK_DIR.
#   cmake -DMODE=... -DSOURCE_DIR=<repo> -DWORK_DIR=<tmp> -P RunConsumer.cmake
# The packaging modes (install, deb) also take BUILD_DIR, the built tree to
# install or package, and PROGRAMS, the programs it built.
cmake_minimum_required(VERSION 3.16)
string(REPLACE "," ";" PROGRAMS "${PROGRAMS}")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# Runs a command that must succeed; its standard output lands in `last_output`.
function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_output_contains expected what)
  string(FIND "${last_output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected \"${expected}\" in:\n${last_output}")
  endif()
endfunction()

function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "missing: ${path}")
  endif()
endfunction()

# The consumer project of tests/consumer, with find_package(rekognition) from
# `prefix` only; its program must print what it computed.
function(build_find_package_consumer prefix)
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -DMODE=find_package
      "-DCMAKE_PREFIX_PATH=${prefix}" "-DEXPECTED_PACKAGE_PREFIX=${prefix}")
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
  run("${WORK_DIR}/build/consumer")
  expect_output_contains("labels: 2 (rekognition-cpp " "the consumer program")
  set(last_output "${last_output}" PARENT_SCOPE)
endfunction()

# The installed CMake package names no path of the machine that built it:
# everything is relative to the prefix or found again (find_dependency).
function(expect_relocatable_package prefix)
  file(GLOB_RECURSE targets "${prefix}/*/rekognitionTargets.cmake")
  if(NOT targets)
    message(FATAL_ERROR "no rekognitionTargets.cmake under ${prefix}")
  endif()
  file(STRINGS "${targets}" lines REGEX "INTERFACE_(SYSTEM_)?INCLUDE_DIRECTORIES")
  foreach(line IN LISTS lines)
    if(line MATCHES "\"/|;/")
      message(FATAL_ERROR "${targets} exports an absolute path: ${line}")
    endif()
  endforeach()
endfunction()

# The CLI's --help runs and its man page documents every option it prints.
function(expect_cli_and_man_page bin_dir man_dir)
  expect_file("${bin_dir}/detect-custom-labels")
  run("${bin_dir}/detect-custom-labels" --help)
  expect_output_contains("--concurrency" "detect-custom-labels --help")
  set(help "${last_output}")
  set(page "${man_dir}/man1/detect-custom-labels.1")
  expect_file("${page}")
  file(READ "${page}" roff)
  if(NOT roff MATCHES "^\\.TH DETECT-CUSTOM-LABELS 1 ")
    message(FATAL_ERROR "${page} does not start with its .TH line:\n${roff}")
  endif()
  string(REGEX MATCHALL "--[a-z][a-z-]*" options "${help}")
  list(REMOVE_DUPLICATES options)
  list(LENGTH options count)
  if(count LESS 20)
    message(FATAL_ERROR "only ${count} options found in --help:\n${help}")
  endif()
  foreach(option IN LISTS options)
    string(REPLACE "-" "\\-" escaped "${option}")
    string(FIND "${roff}" "\\fB${escaped}" at)
    if(at EQUAL -1)
      string(FIND "${roff}" ",${escaped}" at)  # -h,--help
    endif()
    if(at EQUAL -1)
      message(FATAL_ERROR "${page} does not document ${option}:\n${roff}")
    endif()
  endforeach()
  message(STATUS "the man page documents the ${count} options of --help")
  # Rendered, when man is there: the options read as typed.
  find_program(MAN man)
  if(MAN)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env MANWIDTH=120 ${MAN} -l "${page}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE rendered ERROR_VARIABLE err)
    string(FIND "${rendered}" "--concurrency INT" at)
    if(NOT rc EQUAL 0 OR at EQUAL -1)
      message(FATAL_ERROR "man -l ${page} failed (${rc}) or lacks --concurrency:\n${rendered}\n${err}")
    endif()
  endif()
endfunction()

if(MODE STREQUAL "install")
  # `cmake --install` of the built tree into a temporary prefix: the programs,
  # the man page, the CMake package and the pkg-config file all work from there.
  set(prefix "${WORK_DIR}/prefix")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
  foreach(program IN LISTS PROGRAMS)
    expect_file("${prefix}/bin/${program}")
    run("${prefix}/bin/${program}" --help)
  endforeach()
  if("detect-custom-labels" IN_LIST PROGRAMS)
    expect_cli_and_man_page("${prefix}/bin" "${prefix}/share/man")
  endif()
  expect_relocatable_package("${prefix}")

  # pkg-config: the flags name the installed headers, and a program builds
  # with nothing else: c++ $(pkg-config --cflags --libs rekognition).
  file(GLOB pc_file "${prefix}/*/pkgconfig/rekognition.pc" "${prefix}/*/*/pkgconfig/rekognition.pc")
  if(NOT pc_file)
    message(FATAL_ERROR "rekognition.pc is not installed under ${prefix}")
  endif()
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  run(pkg-config --modversion rekognition)
  file(STRINGS "${SOURCE_DIR}/include/rekognition/version.hpp" version_lines
       REGEX "#define REKOGNITION_VERSION_(MAJOR|MINOR|PATCH) ")
  string(REGEX REPLACE "[^;]*REKOGNITION_VERSION_[A-Z]+ ([0-9]+)" "\\1" version "${version_lines}")
  string(REPLACE ";" "." version "${version}")
  expect_output_contains("${version}" "pkg-config --modversion")
  run(pkg-config --cflags --libs rekognition)
  expect_output_contains("-lcurl" "pkg-config --libs")
  expect_output_contains("-lcrypto" "pkg-config --libs")
  expect_output_contains("-DREKOGNITION_WITH_CURL=1" "pkg-config --cflags")
  string(REGEX MATCH "-I([^ \n]*/include)( |\n|$)" include_flag "${last_output}")
  get_filename_component(include_dir "${CMAKE_MATCH_1}" REALPATH)
  get_filename_component(expected_include_dir "${prefix}/include" REALPATH)
  if(NOT include_flag OR NOT include_dir STREQUAL expected_include_dir)
    message(FATAL_ERROR "pkg-config --cflags names no -I${prefix}/include:\n${last_output}")
  endif()
  run(sh -c "c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror \
             '${SOURCE_DIR}/tests/consumer/main.cpp' '${SOURCE_DIR}/tests/consumer/second_tu.cpp' \
             -o pkg-config-consumer $(pkg-config --cflags --libs rekognition)")
  run("${WORK_DIR}/pkg-config-consumer")
  expect_output_contains("labels: 2 (rekognition-cpp ${version})" "the pkg-config consumer")
  return()
endif()

if(MODE STREQUAL "deb")
  # `cpack -G DEB`, unpacked with dpkg-deb into a temporary root: a consumer
  # project builds against <root>/usr and the unpacked CLI runs.
  # The build tree's CPackConfig.cmake, with one change: the files are staged
  # by the tree's install script as built. (cpack alone first builds every
  # target, "preinstall", which a test running beside others must not do.)
  file(WRITE "${WORK_DIR}/install-as-built.cmake"
       "set(CMAKE_INSTALL_PREFIX \"\${CPACK_PACKAGING_INSTALL_PREFIX}\")\n"
       "if(CPACK_STRIP_FILES)\n  set(CMAKE_INSTALL_DO_STRIP 1)\nendif()\n"
       "include(\"${BUILD_DIR}/cmake_install.cmake\")\n")
  file(WRITE "${WORK_DIR}/CPackConfig.cmake"
       "include(\"${BUILD_DIR}/CPackConfig.cmake\")\n"
       "set(CPACK_INSTALL_CMAKE_PROJECTS \"\")\n"
       "set(CPACK_INSTALL_SCRIPTS \"${WORK_DIR}/install-as-built.cmake\")\n")
  run(cpack -G DEB --config "${WORK_DIR}/CPackConfig.cmake" -B "${WORK_DIR}/package")
  file(GLOB deb "${WORK_DIR}/package/rekognition-cpp_*.deb")
  list(LENGTH deb count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one rekognition-cpp_*.deb in ${WORK_DIR}/package, found: ${deb}")
  endif()
  run(dpkg-deb --field "${deb}" Package Version Depends)
  expect_output_contains("Package: rekognition-cpp" "the package's fields")
  foreach(dependency libcurl4-openssl-dev libssl-dev rapidjson-dev)
    expect_output_contains("${dependency}" "the package's Depends")
  endforeach()
  set(root "${WORK_DIR}/root")
  run(dpkg-deb -x "${deb}" "${root}")
  expect_file("${root}/usr/include/rekognition/client.hpp")
  expect_file("${root}/usr/include/rekognition.hpp")
  expect_relocatable_package("${root}/usr")
  foreach(program IN LISTS PROGRAMS)
    expect_file("${root}/usr/bin/${program}")
    run("${root}/usr/bin/${program}" --help)
  endforeach()
  if("detect-custom-labels" IN_LIST PROGRAMS)
    expect_cli_and_man_page("${root}/usr/bin" "${root}/usr/share/man")
  endif()
  build_find_package_consumer("${root}/usr")
  return()
endif()

if(MODE STREQUAL "single_header")
  # Vendoring: one copied file plus the documented link flags.
  file(MAKE_DIRECTORY "${WORK_DIR}/vendor")
  file(COPY "${SOURCE_DIR}/include/rekognition.hpp" DESTINATION "${WORK_DIR}/vendor")
  file(MAKE_DIRECTORY "${WORK_DIR}/vendor/rekognition")
  # The second TU also includes <rekognition/client.hpp>: give it the
  # modular header too, to prove mixing is safe.
  file(COPY "${SOURCE_DIR}/include/rekognition/" DESTINATION "${WORK_DIR}/modular/rekognition")
  run(c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I${WORK_DIR}/vendor
      ${SOURCE_DIR}/tests/consumer/single_header_main.cpp -c -o main.o)
  run(c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I${WORK_DIR}/vendor -I${WORK_DIR}/modular
      ${SOURCE_DIR}/tests/consumer/single_header_second_tu.cpp -c -o second.o)
  run(c++ main.o second.o -o consumer -lcurl -lcrypto -pthread)
  run(${WORK_DIR}/consumer)
  return()
endif()

if(MODE STREQUAL "mixed_settings")
  # Translation units built with different REKOGNITION_WITH_CURL settings
  # must not link together (ClientConfig's size differs between them).
  set(flags -std=c++17 -Wall -Wextra -Wpedantic -Werror -I${SOURCE_DIR}/include)
  run(c++ ${flags} -DREKOGNITION_WITH_CURL=1 ${SOURCE_DIR}/tests/consumer/abi_main.cpp -c -o main_curl.o)
  run(c++ ${flags} -DREKOGNITION_WITH_CURL=0 ${SOURCE_DIR}/tests/consumer/abi_main.cpp -c -o main_nocurl.o)
  run(c++ ${flags} -DREKOGNITION_WITH_CURL=1 ${SOURCE_DIR}/tests/consumer/abi_second_tu.cpp -c
      -o second_curl.o)
  # The same setting on both sides links and agrees ...
  run(c++ main_curl.o second_curl.o -o consumer -lcurl -lcrypto -pthread)
  run(${WORK_DIR}/consumer)
  # ... different settings do not link.
  execute_process(COMMAND c++ main_nocurl.o second_curl.o -o mixed -lcurl -lcrypto -pthread
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "a REKOGNITION_WITH_CURL=0 and a =1 translation unit linked together")
  endif()
  if(NOT err MATCHES "undefined reference to `ConfigSizeElsewhere")
    message(FATAL_ERROR "the mixed link failed for another reason:\n${out}\n${err}")
  endif()
  message(STATUS "mixed settings refused at link time, as they must be:\n${err}")
  return()
endif()

if(MODE STREQUAL "compiled" OR MODE STREQUAL "compiled_shared")
  # Compiled mode from a temporary prefix: the client compiled once into
  # librekognition.a (REKOGNITION_COMPILED) or, compiled_shared, into
  # librekognition.so with the CLI beside it; a find_package user and a
  # pkg-config user link it and see the client as declarations only.
  set(prefix "${WORK_DIR}/prefix")
  if(MODE STREQUAL "compiled_shared")
    set(shared ON)
    set(library "librekognition.so")
    set(examples ON)
  else()
    set(shared OFF)
    set(library "librekognition.a")
    set(examples OFF)
  endif()
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/lib-build" -DREKOGNITION_COMPILED=ON
      -DBUILD_SHARED_LIBS=${shared} -DREKOGNITION_BUILD_TESTS=OFF
      -DREKOGNITION_BUILD_EXAMPLES=${examples})
  if(examples)
    # The library and the installed programs (not the example tests).
    run(${CMAKE_COMMAND} --build "${WORK_DIR}/lib-build" --target rekognition detect-custom-labels
        detect-custom-labels-man rekognition-local rekognition-bench)
  else()
    run(${CMAKE_COMMAND} --build "${WORK_DIR}/lib-build")
  endif()
  run(${CMAKE_COMMAND} --install "${WORK_DIR}/lib-build" --prefix "${prefix}")
  file(GLOB_RECURSE archive "${prefix}/${library}")
  if(NOT archive)
    message(FATAL_ERROR "no ${library} installed under ${prefix}")
  endif()
  if(examples)
    # The installed CLI finds the shared library through its RPATH.
    run("${prefix}/bin/detect-custom-labels" --version)
  endif()
  expect_relocatable_package("${prefix}")
  build_find_package_consumer("${prefix}")
  expect_output_contains("client: declarations only" "the find_package consumer in compiled mode")
  file(GLOB_RECURSE pc_file "${prefix}/rekognition.pc")
  get_filename_component(pc_dir "${pc_file}" DIRECTORY)
  set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
  run(pkg-config --cflags --libs rekognition)
  expect_output_contains("-DREKOGNITION_COMPILED=1" "pkg-config --cflags in compiled mode")
  expect_output_contains("-lrekognition" "pkg-config --libs in compiled mode")
  run(sh -c "c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror \
             '${SOURCE_DIR}/tests/consumer/main.cpp' '${SOURCE_DIR}/tests/consumer/second_tu.cpp' \
             -o pkg-config-consumer $(pkg-config --cflags --libs rekognition)")
  # pkg-config gives no run-time path: a shared library outside the system's
  # folders is found through LD_LIBRARY_PATH, as for any such library.
  get_filename_component(library_dir "${archive}" DIRECTORY)
  run(${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${library_dir}" "${WORK_DIR}/pkg-config-consumer")
  expect_output_contains("client: declarations only" "the pkg-config consumer in compiled mode")
  return()
endif()

if(MODE STREQUAL "compiled_single_header")
  # Vendoring in compiled mode (stb style): every TU built with
  # REKOGNITION_COMPILED=1, exactly one defining REKOGNITION_IMPLEMENTATION.
  file(MAKE_DIRECTORY "${WORK_DIR}/vendor")
  file(COPY "${SOURCE_DIR}/include/rekognition.hpp" DESTINATION "${WORK_DIR}/vendor")
  file(WRITE "${WORK_DIR}/rekognition_impl.cpp"
       "#define REKOGNITION_IMPLEMENTATION\n#include <rekognition.hpp>\n")
  set(flags -std=c++17 -Wall -Wextra -Wpedantic -Werror -DREKOGNITION_COMPILED=1
      -I${WORK_DIR}/vendor)
  run(c++ ${flags} ${WORK_DIR}/rekognition_impl.cpp -c -o impl.o)
  run(c++ ${flags} ${SOURCE_DIR}/tests/consumer/single_header_main.cpp -c -o main.o)
  file(WRITE "${WORK_DIR}/second.cpp"
       "#include <rekognition.hpp>\n"
       "int CountLabelsElsewhere(rekognition::RekognitionApi& api,\n"
       "                         const rekognition::DetectCustomLabelsRequest& request) {\n"
       "  return static_cast<int>(api.DetectCustomLabels(request).custom_labels.size());\n}\n")
  run(c++ ${flags} ${WORK_DIR}/second.cpp -c -o second.o)
  # Without the implementation TU the client's definitions are missing ...
  execute_process(COMMAND c++ main.o second.o -o incomplete -lcurl -lcrypto -pthread
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(rc EQUAL 0 OR NOT err MATCHES "undefined reference to `rekognition::[^']*Client::Client")
    message(FATAL_ERROR "compiled mode linked without its implementation TU (${rc}):\n${err}")
  endif()
  # ... with it, the program links and runs.
  run(c++ impl.o main.o second.o -o consumer -lcurl -lcrypto -pthread)
  run(${WORK_DIR}/consumer)
  expect_output_contains("labels: 1" "the compiled single-header consumer")
  return()
endif()

if(MODE STREQUAL "compiled_declarations")
  # In compiled mode <rekognition/client.hpp> brings none of libcurl's,
  # OpenSSL's or RapidJSON's headers (the compiler's -H list); header-only it
  # brings all three, which shows the check can fail.
  foreach(compiled 1 0)
    execute_process(COMMAND c++ -std=c++17 -fsyntax-only -H -DREKOGNITION_COMPILED=${compiled}
                            -I${SOURCE_DIR}/include ${SOURCE_DIR}/tests/consumer/main.cpp
                    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE headers)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "main.cpp does not compile with REKOGNITION_COMPILED=${compiled}:\n${headers}")
    endif()
    set(found)
    foreach(dependency "curl/curl.h" "openssl/" "rapidjson/")
      string(FIND "${headers}" "${dependency}" at)
      if(NOT at EQUAL -1)
        list(APPEND found "${dependency}")
      endif()
    endforeach()
    if(compiled AND found)
      message(FATAL_ERROR "compiled mode: <rekognition/client.hpp> includes ${found}")
    elseif(NOT compiled AND NOT found)
      message(FATAL_ERROR "header-only mode includes no dependency header: the check is broken")
    endif()
    message(STATUS "REKOGNITION_COMPILED=${compiled}: dependency headers included: ${found}")
  endforeach()
  return()
endif()

if(MODE STREQUAL "header_only_unused")
  # Header-only, a translation unit that includes everything and uses nothing
  # compiles none of the library: no class gets its vtable (and, through it,
  # every virtual function) emitted where it is not constructed. One that
  # constructs a Client does emit the client's vtable, which shows the check
  # can fail.
  find_program(NM nm REQUIRED)
  file(MAKE_DIRECTORY "${WORK_DIR}")
  file(WRITE "${WORK_DIR}/include_only.cpp" "#include <rekognition.hpp>\n#include <rekognition/client.hpp>\nint main() { return 0; }\n")
  file(WRITE "${WORK_DIR}/construct.cpp" "#include <rekognition/client.hpp>\nint main() { rekognition::Client client; return 0; }\n")
  foreach(tu include_only construct)
    execute_process(COMMAND c++ -std=c++17 -O0 -I${SOURCE_DIR}/include -c ${tu}.cpp -o ${tu}.o
                    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${tu}.cpp does not compile:\n${err}")
    endif()
    execute_process(COMMAND ${NM} -C --defined-only ${tu}.o WORKING_DIRECTORY "${WORK_DIR}"
                    OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "nm failed on ${tu}.o")
    endif()
    string(REGEX MATCHALL "[^\n]*rekognition::[^\n]*" ours "${symbols}")
    list(LENGTH ours count)
    message(STATUS "${tu}.cpp: ${count} symbols of the library defined")
    if(tu STREQUAL "include_only" AND count GREATER 0)
      list(SUBLIST ours 0 10 shown)
      list(JOIN shown "\n  " shown)
      message(FATAL_ERROR "including the headers compiles library code:\n  ${shown}")
    endif()
    if(tu STREQUAL "construct" AND NOT symbols MATCHES "vtable for rekognition::[^ ]*Client\n")
      message(FATAL_ERROR "constructing a Client emitted no vtable for it: the check is broken")
    endif()
  endforeach()
  return()
endif()

if(MODE STREQUAL "install_dirs")
  # Install destinations, by configuring only: rekognition.pc writes an
  # absolute destination as it is (and relative ones relative to its own
  # folder), and a destination the user did not set follows the library type
  # when REKOGNITION_COMPILED is switched in the same build tree.
  set(tree "${WORK_DIR}/tree")
  file(REMOVE_RECURSE "${tree}")
  function(configure)
    run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${tree}" -DREKOGNITION_BUILD_TESTS=OFF
        -DREKOGNITION_BUILD_EXAMPLES=OFF -DCMAKE_INSTALL_PREFIX=/opt/rk ${ARGN})
  endfunction()
  function(expect_cached variable expected)
    file(STRINGS "${tree}/CMakeCache.txt" line REGEX "^${variable}:")
    string(REGEX REPLACE "^[^=]*=" "" value "${line}")
    if(NOT value STREQUAL expected)
      message(FATAL_ERROR "${variable} is '${value}', expected '${expected}'")
    endif()
  endfunction()
  function(expect_pc line)
    file(STRINGS "${tree}/rekognition.pc" found REGEX "^${line}$")
    if(NOT found)
      file(READ "${tree}/rekognition.pc" pc)
      message(FATAL_ERROR "rekognition.pc has no line '${line}':\n${pc}")
    endif()
  endfunction()

  configure(-DREKOGNITION_COMPILED=OFF)
  expect_cached(REKOGNITION_CMAKE_INSTALL_DIR "share/cmake/rekognition")
  expect_pc("prefix=\\\${pcfiledir}/../..")
  expect_pc("includedir=\\\${prefix}/include")
  configure(-DREKOGNITION_COMPILED=ON)
  expect_cached(REKOGNITION_CMAKE_INSTALL_DIR "lib/cmake/rekognition")
  expect_cached(REKOGNITION_PKGCONFIG_INSTALL_DIR "lib/pkgconfig")
  configure(-DCMAKE_INSTALL_INCLUDEDIR=/opt/include -DREKOGNITION_PKGCONFIG_INSTALL_DIR=/opt/pc)
  expect_pc("prefix=/opt/rk")
  expect_pc("includedir=/opt/include")
  expect_pc("libdir=\\\${prefix}/lib")
  configure(-DREKOGNITION_COMPILED=OFF)
  expect_cached(REKOGNITION_CMAKE_INSTALL_DIR "share/cmake/rekognition")
  expect_cached(REKOGNITION_PKGCONFIG_INSTALL_DIR "/opt/pc")  # the user's, kept
  message(STATUS "install destinations: as expected")
  return()
endif()

if(MODE STREQUAL "find_package")
  # The library alone (no tools, no tests), installed into a temporary prefix.
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/lib-build" -DREKOGNITION_BUILD_TESTS=OFF
      -DREKOGNITION_BUILD_EXAMPLES=OFF)
  run(${CMAKE_COMMAND} --install "${WORK_DIR}/lib-build" --prefix "${WORK_DIR}/prefix")
  expect_relocatable_package("${WORK_DIR}/prefix")
  build_find_package_consumer("${WORK_DIR}/prefix")
  return()
endif()

run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -DMODE=${MODE}
    -DREKOGNITION_SOURCE_DIR=${SOURCE_DIR})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")
expect_output_contains("labels: 2 (rekognition-cpp " "the consumer program")
