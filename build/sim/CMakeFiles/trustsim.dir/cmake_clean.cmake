file(REMOVE_RECURSE
  "../trustsim"
  "../trustsim.pdb"
  "CMakeFiles/trustsim.dir/app/main.cpp.o"
  "CMakeFiles/trustsim.dir/app/main.cpp.o.d"
  "CMakeFiles/trustsim.dir/app/progress.cpp.o"
  "CMakeFiles/trustsim.dir/app/progress.cpp.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/trustsim.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
