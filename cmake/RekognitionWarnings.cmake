# Strict warnings and the optional sanitizers (ASan+UBSan or TSan) for the
# project's own targets.
function(rekognition_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  if(REKOGNITION_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(REKOGNITION_TSAN)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer -g)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
  if(REKOGNITION_TEST_SINGLE_HEADER)
    target_compile_definitions(${target} PRIVATE REKOGNITION_TEST_SINGLE_HEADER=1)
  endif()
endfunction()
