# Helpers in the spirit of Abseil's absl_cc_library: one call per module library or test.

set(TIDEMARK_WARNINGS -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers)

# tidemark_cc_library(NAME catalog SRCS a.cc HDRS a.h DEPS tidemark::common PRIVATE_DEPS x)
# defines target tidemark_<NAME> with alias tidemark::<NAME>.
function(tidemark_cc_library)
  cmake_parse_arguments(T "" "NAME" "SRCS;HDRS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(tidemark_${T_NAME} ${T_SRCS} ${T_HDRS})
  add_library(tidemark::${T_NAME} ALIAS tidemark_${T_NAME})
  target_include_directories(tidemark_${T_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(tidemark_${T_NAME} PRIVATE ${TIDEMARK_WARNINGS})
  target_link_libraries(tidemark_${T_NAME} PUBLIC ${T_DEPS} PRIVATE ${T_PRIVATE_DEPS})
endfunction()

# tidemark_cc_test(NAME urn_test SRCS urn_test.cc DEPS tidemark::common [LABELS slow])
# builds a GoogleTest binary and registers every test case with ctest.
function(tidemark_cc_test)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SRCS})
  target_compile_options(${T_NAME} PRIVATE ${TIDEMARK_WARNINGS})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} tidemark::testing GTest::gtest GTest::gmock GTest::gtest_main)
  # Lets tests find ../shared/fixtures when run by hand from any directory.
  target_compile_definitions(${T_NAME} PRIVATE TIDEMARK_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(properties ENVIRONMENT "TIDEMARK_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(T_LABELS)
    list(APPEND properties LABELS "${T_LABELS}")
  endif()
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
endfunction()

include(GoogleTest)
