# examples/testing/: a small service class (ShelfAuditor) that takes a
# rekognition::RekognitionApi&, and its tests written four ways: against a
# hand-written fake, with rekognition::Stubber, with a GoogleMock mock (when
# GoogleMock is installed) and against rekognition-local. All run by ctest,
# label "examples".
if(REKOGNITION_BUILD_TESTS)
  find_package(Catch2 REQUIRED)
  set(_rk_testing_dir ${CMAKE_CURRENT_LIST_DIR}/testing)
  set(_rk_examples_data "${CMAKE_CURRENT_LIST_DIR}/data")

  # (a) fake and (b) Stubber: plain unit tests, one executable.
  add_executable(shelf-auditor-tests
    ${_rk_testing_dir}/catch_main.cpp
    ${_rk_testing_dir}/shelf_auditor_fake_test.cpp
    ${_rk_testing_dir}/shelf_auditor_stubber_test.cpp)
  target_link_libraries(shelf-auditor-tests PRIVATE rekognition::rekognition Catch2::Catch2)
  target_compile_definitions(shelf-auditor-tests PRIVATE
    REKOGNITION_EXAMPLES_DATA_DIR="${_rk_examples_data}")
  rekognition_strict(shelf-auditor-tests)
  add_test(NAME shelf-auditor-tests COMMAND shelf-auditor-tests)
  set_tests_properties(shelf-auditor-tests PROPERTIES LABELS examples TIMEOUT 120)

  # (c) rekognition-local: an integration test; exits 77 (skipped) when the
  # endpoint binary is missing.
  add_executable(shelf-auditor-local-test ${_rk_testing_dir}/shelf_auditor_local_test.cpp)
  target_link_libraries(shelf-auditor-local-test PRIVATE rekognition::rekognition Catch2::Catch2)
  if(TARGET rekognition-local)
    add_dependencies(shelf-auditor-local-test rekognition-local)
    set(_rk_local_bin "$<TARGET_FILE:rekognition-local>")
  else()
    set(_rk_local_bin "${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/rekognition-local")
  endif()
  target_compile_definitions(shelf-auditor-local-test PRIVATE
    REKOGNITION_EXAMPLES_DATA_DIR="${_rk_examples_data}"
    REKOGNITION_LOCAL_BIN="${_rk_local_bin}")
  rekognition_strict(shelf-auditor-local-test)
  add_test(NAME shelf-auditor-local-test COMMAND shelf-auditor-local-test)
  set_tests_properties(shelf-auditor-local-test PROPERTIES
    LABELS examples SKIP_RETURN_CODE 77 TIMEOUT 300)

  # (d) GoogleMock, when installed (Debian: libgmock-dev).
  find_package(GTest CONFIG QUIET)
  if(TARGET GTest::gmock_main)
    add_executable(shelf-auditor-gmock-test ${_rk_testing_dir}/shelf_auditor_gmock_test.cpp)
    target_link_libraries(shelf-auditor-gmock-test PRIVATE rekognition::rekognition GTest::gmock_main)
    rekognition_strict(shelf-auditor-gmock-test)
    add_test(NAME shelf-auditor-gmock-test COMMAND shelf-auditor-gmock-test)
    set_tests_properties(shelf-auditor-gmock-test PROPERTIES LABELS examples TIMEOUT 120)
  else()
    message(STATUS "GoogleMock not found: the gmock example test is not built")
  endif()
endif()
