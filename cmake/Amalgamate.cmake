# Generates the single header include/rekognition.hpp from include/rekognition/.
#   cmake -DSOURCE_DIR=<repo> -DOUTPUT=<file> -P cmake/Amalgamate.cmake
# Every header is inlined once, at its first #include "rekognition/..."; each
# part keeps its own include guard, so the single header and the modular
# headers can be mixed in one program. The text is handled as strings only
# (never as CMake lists) because C++ is full of semicolons.
cmake_minimum_required(VERSION 3.16)
if(NOT SOURCE_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repo> -DOUTPUT=<file> -P Amalgamate.cmake")
endif()
set(INCLUDE_DIR "${SOURCE_DIR}/include")
set_property(GLOBAL PROPERTY AMALGAMATED "")
set_property(GLOBAL PROPERTY EMITTED_HEADERS "")

function(emit_header relative_path)
  get_property(emitted GLOBAL PROPERTY EMITTED_HEADERS)
  if("${relative_path}" IN_LIST emitted)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY EMITTED_HEADERS "${relative_path}")
  file(READ "${INCLUDE_DIR}/${relative_path}" rest)
  set_property(GLOBAL APPEND_STRING PROPERTY AMALGAMATED "// ---- begin ${relative_path}\n")
  set(marker "#include \"rekognition/")
  string(LENGTH "${marker}" marker_length)
  while(TRUE)
    string(FIND "${rest}" "${marker}" at)
    if(at EQUAL -1)
      break()
    endif()
    string(SUBSTRING "${rest}" 0 ${at} before)
    set_property(GLOBAL APPEND_STRING PROPERTY AMALGAMATED "${before}")
    math(EXPR name_start "${at} + ${marker_length}")
    string(SUBSTRING "${rest}" ${name_start} -1 rest)
    string(FIND "${rest}" "\"" quote)
    string(SUBSTRING "${rest}" 0 ${quote} name)
    math(EXPR after_quote "${quote} + 1")
    string(SUBSTRING "${rest}" ${after_quote} -1 rest)
    # Drop the rest of the include line (its newline stays with `rest`).
    string(FIND "${rest}" "\n" newline)
    if(newline GREATER -1)
      string(SUBSTRING "${rest}" ${newline} -1 rest)
    endif()
    emit_header("rekognition/${name}")
  endwhile()
  set_property(GLOBAL APPEND_STRING PROPERTY AMALGAMATED "${rest}// ---- end ${relative_path}\n")
endfunction()

file(GLOB_RECURSE headers RELATIVE "${INCLUDE_DIR}" "${INCLUDE_DIR}/rekognition/*.hpp")
list(SORT headers)
# In compiled mode client.hpp's definitions, and the internals and lifecycle
# headers it includes, sit behind a guard: those headers are written first,
# outside it, whatever includes client.hpp (testing/stubber.hpp does).
foreach(header rekognition/client_core.hpp rekognition/lifecycle/paginators.hpp
               rekognition/lifecycle/running_model.hpp rekognition/lifecycle/waiters.hpp)
  emit_header("${header}")
endforeach()
foreach(header IN LISTS headers)
  emit_header("${header}")
endforeach()

file(READ "${INCLUDE_DIR}/rekognition/version.hpp" version_text)
string(REGEX MATCH "REKOGNITION_VERSION_MAJOR ([0-9]+)" _ "${version_text}")
set(major ${CMAKE_MATCH_1})
string(REGEX MATCH "REKOGNITION_VERSION_MINOR ([0-9]+)" _ "${version_text}")
set(minor ${CMAKE_MATCH_1})
string(REGEX MATCH "REKOGNITION_VERSION_PATCH ([0-9]+)" _ "${version_text}")
set(patch ${CMAKE_MATCH_1})

get_property(body GLOBAL PROPERTY AMALGAMATED)
set(header_text "// rekognition-cpp ${major}.${minor}.${patch}: a header-only C++17 client for Amazon
// Rekognition Custom Labels. See README.md.
// SPDX-License-Identifier: Apache-2.0
//
// GENERATED FILE: do not edit. It is the concatenation of include/rekognition/*.hpp,
// made by cmake/Amalgamate.cmake (`cmake --build build --target amalgamate`).
// Build with -lcurl -lcrypto -pthread and RapidJSON on the include path.
#ifndef REKOGNITION_SINGLE_HEADER_HPP
#define REKOGNITION_SINGLE_HEADER_HPP
${body}
#endif  // REKOGNITION_SINGLE_HEADER_HPP
")
file(WRITE "${OUTPUT}" "${header_text}")
