# build/bin/rekognition-bench: a load generator over the asynchronous client.
find_package(CLI11 REQUIRED)
add_executable(rekognition-bench ${CMAKE_CURRENT_LIST_DIR}/rekognition-bench/main.cpp)
target_link_libraries(rekognition-bench PRIVATE rekognition::rekognition CLI11::CLI11)
rekognition_strict(rekognition-bench)
install(TARGETS rekognition-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
