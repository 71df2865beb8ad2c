# Lists the test cases of the test program and writes one ctest test per case, labelled by
# the folder of the file that defines it (tests/unit/engine/x.cpp: "unit" and "engine") and
# by its Catch2 tags ([statistical], [determinism], [long], ...), so `ctest -L statistical`
# or `ctest -LE long` select across files. Run after every build of the test program
# (tests/CMakeLists.txt); Catch2's own catch_discover_tests sets one label list per call and
# cannot label by tag.
#
# Every case runs with `-w NoAssertions`: a case (or leaf section) that asserts nothing fails.
# A case that prints "trustsim-test: skipped" is reported by ctest as skipped, not passed.
#
# Inputs (-D): TEST_EXECUTABLE, CTEST_FILE, WORKING_DIR, FILE_LABELS (a list of
# "file_stem=label/label" entries, one per test source).
cmake_minimum_required(VERSION 3.16)

function(list_names out)  # the names of the cases matching the Catch2 test spec in ARGN
  execute_process(COMMAND "${TEST_EXECUTABLE}" ${ARGN} --list-test-names-only
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc WORKING_DIRECTORY "${WORKING_DIR}")
  if(rc LESS 0 OR NOT rc MATCHES "^[0-9]+$")
    message(FATAL_ERROR "tests/cmake/discover.cmake: ${TEST_EXECUTABLE} ${ARGN} --list-test-names-only failed: ${rc}")
  endif()
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE ";" "\\;" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(key_of out name)  # a variable-name-safe key for a case name
  string(SHA1 key "${name}")
  set(${out} "case_${key}" PARENT_SCOPE)
endfunction()

list_names(all)
foreach(name IN LISTS all)
  key_of(key "${name}")
  set(${key}_labels "")
  set(${key}_files 0)
endforeach()

# Labels from the folders: each case must come from exactly one listed file.
foreach(entry IN LISTS FILE_LABELS)
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${entry}")
  set(stem "${CMAKE_MATCH_1}")
  string(REPLACE "/" ";" folder_labels "${CMAKE_MATCH_2}")
  list_names(names "-#" "[#${stem}]")
  foreach(name IN LISTS names)
    key_of(key "${name}")
    list(APPEND ${key}_labels ${folder_labels})
    math(EXPR ${key}_files "${${key}_files} + 1")
  endforeach()
endforeach()

# Labels from the tags.
execute_process(COMMAND "${TEST_EXECUTABLE}" --list-tags OUTPUT_VARIABLE tag_text WORKING_DIRECTORY "${WORKING_DIR}")
string(REGEX MATCHALL "\\[[^]#.][^]]*\\]" tags "${tag_text}")
list(REMOVE_DUPLICATES tags)
foreach(tag IN LISTS tags)
  list_names(names "${tag}")
  string(REGEX REPLACE "^\\[(.*)\\]$" "\\1" label "${tag}")
  foreach(name IN LISTS names)
    key_of(key "${name}")
    list(APPEND ${key}_labels "${label}")
  endforeach()
endforeach()

set(script "")
foreach(name IN LISTS all)
  key_of(key "${name}")
  if(NOT ${key}_files EQUAL 1)
    message(FATAL_ERROR "tests/cmake/discover.cmake: the case '${name}' comes from ${${key}_files} of the listed "
                        "files, not one (a test source outside tests/<kind>/, or two files with one name?)")
  endif()
  list(REMOVE_DUPLICATES ${key}_labels)
  string(REGEX REPLACE "([],[\\\"])" "\\\\\\1" spec "${name}")
  string(APPEND script
    "add_test([==[${name}]==] \"${TEST_EXECUTABLE}\" [==[${spec}]==] -w NoAssertions)\n"
    "set_tests_properties([==[${name}]==] PROPERTIES WORKING_DIRECTORY \"${WORKING_DIR}\" "
    "LABELS \"${${key}_labels}\" SKIP_REGULAR_EXPRESSION \"trustsim-test: skipped\")\n")
endforeach()
file(WRITE "${CTEST_FILE}" "${script}")
