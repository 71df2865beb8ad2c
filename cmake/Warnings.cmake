# Compiler warnings for every target of the project, in one place: trustsim_warnings(<target>...)
# gives each -Wall -Wextra -Wshadow -Wconversion, and -Werror with -DTRUSTSIM_WERROR=ON (for CI).
# Used by sim/ (library, program), tests/, the bench and fuzz/ (a project of its own, clang).
# Third-party headers (Eigen, oneTBB, yaml-cpp, HDF5, CLI11, Catch2, Random123, Boost) are
# system headers (/usr/include, or -isystem from their imported CMake targets), so their own
# warnings are not reported.
option(TRUSTSIM_WERROR "Treat compiler warnings as errors (-Werror)" OFF)

set(TRUSTSIM_WARNING_FLAGS -Wall -Wextra -Wshadow -Wconversion)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # -Wno-restrict: GCC 12 reports a false positive inside std::string's inlined code
  # (GCC bug 105329) at -O2 and above.
  list(APPEND TRUSTSIM_WARNING_FLAGS -Wno-restrict)
elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Clang's -Wconversion also turns on -Wsign-conversion, which GCC's leaves out in C++: keep
  # the same set under both compilers (clang builds the fuzz targets, GCC everything else).
  list(APPEND TRUSTSIM_WARNING_FLAGS -Wno-sign-conversion)
endif()
if(TRUSTSIM_WERROR)
  list(APPEND TRUSTSIM_WARNING_FLAGS -Werror)
endif()

function(trustsim_warnings)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE ${TRUSTSIM_WARNING_FLAGS})
  endforeach()
endfunction()
