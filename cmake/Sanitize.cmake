# Sanitizer builds: -DTRUSTSIM_SANITIZE=address,undefined (ASan + UBSan) or =thread (TSan).
# Applied to every target of the tree (library, program, tests, bench); used by scripts/sanitize.
set(TRUSTSIM_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | thread | empty")
if(TRUSTSIM_SANITIZE)
  if(TRUSTSIM_SANITIZE MATCHES "thread" AND TRUSTSIM_SANITIZE MATCHES "address")
    message(FATAL_ERROR "TRUSTSIM_SANITIZE: thread cannot be combined with address")
  endif()
  # -fno-sanitize-recover: undefined behaviour stops the program (a failing test), not a log line.
  set(_trustsim_san -fsanitize=${TRUSTSIM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_trustsim_san})
  add_link_options(${_trustsim_san})
  # Sanitized code is slow at -O0 and hides nothing at -O1; keep line numbers for reports.
  if(CMAKE_BUILD_TYPE STREQUAL "Release")
    message(STATUS "TRUSTSIM_SANITIZE: Release replaced by RelWithDebInfo (-O2 -g)")
    set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
  endif()
  message(STATUS "trustsim: sanitizers ${TRUSTSIM_SANITIZE}")
endif()
