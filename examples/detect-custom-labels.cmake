# build/bin/detect-custom-labels: the command line program.
find_package(CLI11 REQUIRED)
add_executable(detect-custom-labels ${CMAKE_CURRENT_LIST_DIR}/detect-custom-labels/main.cpp)
target_link_libraries(detect-custom-labels PRIVATE rekognition::rekognition CLI11::CLI11)
rekognition_strict(detect-custom-labels)
install(TARGETS detect-custom-labels RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Its man page, written from its --help at build time (cmake/HelpToMan.cmake).
if(NOT CMAKE_CROSSCOMPILING)
  set(_rk_cli_man ${CMAKE_CURRENT_BINARY_DIR}/detect-custom-labels.1)
  add_custom_command(OUTPUT ${_rk_cli_man}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:detect-custom-labels>
            -DNAME=detect-custom-labels -DSECTION=1 -DVERSION=${PROJECT_VERSION}
            -DOUTPUT=${_rk_cli_man} -P ${PROJECT_SOURCE_DIR}/cmake/HelpToMan.cmake
    DEPENDS detect-custom-labels ${PROJECT_SOURCE_DIR}/cmake/HelpToMan.cmake
    COMMENT "Writing the man page detect-custom-labels.1")
  add_custom_target(detect-custom-labels-man ALL DEPENDS ${_rk_cli_man})
  install(FILES ${_rk_cli_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
