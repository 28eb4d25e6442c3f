# Writes a man page (roff) from a program's --help output (CLI11's layout):
#   cmake -DPROGRAM=<path> -DNAME=<name> -DSECTION=1 -DVERSION=<x.y.z>
#         -DOUTPUT=<file> -P HelpToMan.cmake
#
# The first line is the description (NAME), "Usage: ..." the synopsis, and
# each "Title:" line at the left margin starts a section whose entries are
# "  OPTION  text" lines, the text possibly on the next, further indented lines.
cmake_minimum_required(VERSION 3.16)
foreach(required PROGRAM NAME SECTION VERSION OUTPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "HelpToMan.cmake: -D${required}=... is required")
  endif()
endforeach()

execute_process(COMMAND "${PROGRAM}" --help RESULT_VARIABLE rc OUTPUT_VARIABLE help
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR help STREQUAL "")
  message(FATAL_ERROR "${PROGRAM} --help failed (${rc}):\n${help}\n${err}")
endif()

# Escapes text for roff: backslashes, hyphens (\- so that options can be
# searched and copied), and a leading dot or quote that would start a request.
function(rk_roff_escape out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  if(text MATCHES "^[.']")
    set(text "\\&${text}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# One list element per line ([ and ] survive: ; is escaped first).
string(REPLACE ";" "\\;" help "${help}")
string(REPLACE "\n" ";" lines "${help}")

string(TOUPPER "${NAME}" title)
string(TIMESTAMP today "%Y-%m-%d" UTC)  # honours SOURCE_DATE_EPOCH
set(roff ".TH ${title} ${SECTION} \"${today}\" \"${NAME} ${VERSION}\" \"User Commands\"\n")

set(described OFF)
set(in_entry OFF)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  if(NOT described)
    rk_roff_escape(name "${NAME}")
    rk_roff_escape(text "${line}")
    string(APPEND roff ".SH NAME\n${name} \\- ${text}\n")
    set(described ON)
  elseif(line MATCHES "^Usage: (.*)$")
    rk_roff_escape(text "${CMAKE_MATCH_1}")
    string(APPEND roff ".SH SYNOPSIS\n${text}\n")
  elseif(line MATCHES "^([A-Za-z][A-Za-z ]*):$")
    string(TOUPPER "${CMAKE_MATCH_1}" section)
    string(APPEND roff ".SH ${section}\n")
    set(in_entry OFF)
  elseif(line MATCHES "^  [^ ]")
    # "  --option ARG    text", or "  --option ARG" with its text on the next lines
    if(line MATCHES "^  ([^ ].*[^ ])  +([^ ].*)$")
      set(option "${CMAKE_MATCH_1}")
      set(option_text "${CMAKE_MATCH_2}")
    else()
      string(STRIP "${line}" option)
      set(option_text "")
    endif()
    rk_roff_escape(term "${option}")
    string(APPEND roff ".TP\n\\fB${term}\\fR\n")
    if(NOT option_text STREQUAL "")
      rk_roff_escape(text "${option_text}")
      string(APPEND roff "${text}\n")
    endif()
    set(in_entry ON)
  elseif(line MATCHES "^ +([^ ].*)$")
    # text of the current entry, or a paragraph
    rk_roff_escape(text "${CMAKE_MATCH_1}")
    if(NOT in_entry)
      string(APPEND roff ".PP\n")
      set(in_entry ON)
    endif()
    string(APPEND roff "${text}\n")
  else()
    rk_roff_escape(text "${line}")
    string(APPEND roff ".PP\n${text}\n")
    set(in_entry OFF)
  endif()
endforeach()

file(WRITE "${OUTPUT}" "${roff}")
