# build/bin/detect-custom-labels: the command line program.
find_package(CLI11 REQUIRED)
add_executable(detect-custom-labels ${CMAKE_CURRENT_LIST_DIR}/detect-custom-labels/main.cpp)
target_link_libraries(detect-custom-labels PRIVATE rekognition::rekognition CLI11::CLI11)
rekognition_strict(detect-custom-labels)
