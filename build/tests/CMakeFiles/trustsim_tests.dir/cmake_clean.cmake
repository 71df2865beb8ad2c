file(REMOVE_RECURSE
  "CMakeFiles/trustsim_tests.dir/main.cpp.o"
  "CMakeFiles/trustsim_tests.dir/main.cpp.o.d"
  "trustsim_tests"
  "trustsim_tests.pdb"
  "trustsim_tests_tests-b12d07c.cmake"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/trustsim_tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
