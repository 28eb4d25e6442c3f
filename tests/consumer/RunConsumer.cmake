# Builds and runs tests/consumer in one MODE, from scratch, in WORK_DIR.
#   cmake -DMODE=... -DSOURCE_DIR=<repo> -DWORK_DIR=<tmp> -P RunConsumer.cmake
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

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

set(extra_args)
if(MODE STREQUAL "find_package")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/lib-build" -DREKOGNITION_BUILD_TESTS=OFF
      -DREKOGNITION_BUILD_EXAMPLES=OFF)
  run(${CMAKE_COMMAND} --install "${WORK_DIR}/lib-build" --prefix "${WORK_DIR}/prefix")
  set(extra_args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -DMODE=${MODE}
    -DREKOGNITION_SOURCE_DIR=${SOURCE_DIR} ${extra_args})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")
run("${WORK_DIR}/build/consumer")
