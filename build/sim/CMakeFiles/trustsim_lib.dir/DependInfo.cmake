
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/sim/core/rng.cpp" "sim/CMakeFiles/trustsim_lib.dir/core/rng.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/core/rng.cpp.o.d"
  "/work/main/sim/engine/beliefs.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/beliefs.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/beliefs.cpp.o.d"
  "/work/main/sim/engine/feedback.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/feedback.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/feedback.cpp.o.d"
  "/work/main/sim/engine/phases/court.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/court.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/court.cpp.o.d"
  "/work/main/sim/engine/phases/crime.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/crime.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/crime.cpp.o.d"
  "/work/main/sim/engine/phases/federal.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/federal.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/federal.cpp.o.d"
  "/work/main/sim/engine/phases/learning.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/learning.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/learning.cpp.o.d"
  "/work/main/sim/engine/phases/metrics.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/metrics.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/metrics.cpp.o.d"
  "/work/main/sim/engine/phases/policing.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/policing.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/phases/policing.cpp.o.d"
  "/work/main/sim/engine/runner.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/runner.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/runner.cpp.o.d"
  "/work/main/sim/engine/simulation.cpp" "sim/CMakeFiles/trustsim_lib.dir/engine/simulation.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/engine/simulation.cpp.o.d"
  "/work/main/sim/output/h5file.cpp" "sim/CMakeFiles/trustsim_lib.dir/output/h5file.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/output/h5file.cpp.o.d"
  "/work/main/sim/output/run_file.cpp" "sim/CMakeFiles/trustsim_lib.dir/output/run_file.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/output/run_file.cpp.o.d"
  "/work/main/sim/output/run_result.cpp" "sim/CMakeFiles/trustsim_lib.dir/output/run_result.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/output/run_result.cpp.o.d"
  "/work/main/sim/output/series.cpp" "sim/CMakeFiles/trustsim_lib.dir/output/series.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/output/series.cpp.o.d"
  "/work/main/sim/params/registry.cpp" "sim/CMakeFiles/trustsim_lib.dir/params/registry.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/params/registry.cpp.o.d"
  "/work/main/sim/population/attributes.cpp" "sim/CMakeFiles/trustsim_lib.dir/population/attributes.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/population/attributes.cpp.o.d"
  "/work/main/sim/population/households.cpp" "sim/CMakeFiles/trustsim_lib.dir/population/households.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/population/households.cpp.o.d"
  "/work/main/sim/population/population.cpp" "sim/CMakeFiles/trustsim_lib.dir/population/population.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/population/population.cpp.o.d"
  "/work/main/sim/population/ties.cpp" "sim/CMakeFiles/trustsim_lib.dir/population/ties.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/population/ties.cpp.o.d"
  "/work/main/sim/scenario/diagnostics.cpp" "sim/CMakeFiles/trustsim_lib.dir/scenario/diagnostics.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/scenario/diagnostics.cpp.o.d"
  "/work/main/sim/scenario/loader.cpp" "sim/CMakeFiles/trustsim_lib.dir/scenario/loader.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/scenario/loader.cpp.o.d"
  "/work/main/sim/scenario/scenario.cpp" "sim/CMakeFiles/trustsim_lib.dir/scenario/scenario.cpp.o" "gcc" "sim/CMakeFiles/trustsim_lib.dir/scenario/scenario.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
