# `cmake --install build --prefix DIR`: a relocatable bundle for clusters whose compute nodes
# are not Debian. DIR/bin/trustsim finds the shared libraries it was built with in DIR/lib
# through an $ORIGIN RPATH, so DIR can be copied anywhere (a shared filesystem) and run with
# no environment set up; scenarios, sweeps and the Slurm scripts go to DIR/share/trustsim.
# Only glibc (libc, libm, the loader...) comes from the node, which needs a glibc at least
# as new as the build machine's (Debian 12: 2.36); scripts/bundle-test checks the bundle
# with the system's copies of the bundled libraries hidden.
#
# The RPATH is a DT_RPATH (--disable-new-dtags), not a DT_RUNPATH: the loader uses an
# RPATH for the libraries' own dependencies too (HDF5's libsz, libcurl...), a RUNPATH only
# for the program's direct ones.
set_target_properties(trustsim PROPERTIES INSTALL_RPATH "$ORIGIN/../lib")
target_link_options(trustsim PRIVATE -Wl,--disable-new-dtags)
install(TARGETS trustsim RUNTIME DESTINATION bin)
install(DIRECTORY scenarios sweeps DESTINATION share/trustsim)
install(PROGRAMS scripts/slurm/submit-sweep scripts/slurm/plan-sweep scripts/slurm/sweep.sbatch
                 scripts/slurm/merge.sbatch scripts/slurm/report.sbatch
        DESTINATION share/trustsim/slurm)
install(CODE [[
  file(GET_RUNTIME_DEPENDENCIES
       EXECUTABLES "${CMAKE_INSTALL_PREFIX}/bin/trustsim"
       RESOLVED_DEPENDENCIES_VAR libs UNRESOLVED_DEPENDENCIES_VAR missing
       # glibc's libraries and the loader stay the node's
       POST_EXCLUDE_REGEXES "/(ld-linux[^/]*|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnsl)\\.so[^/]*$")
  if(missing)
    message(FATAL_ERROR "bundle: unresolved libraries: ${missing}")
  endif()
  foreach(lib IN LISTS libs)
    file(INSTALL "${lib}" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib" FOLLOW_SYMLINK_CHAIN)
  endforeach()
  list(LENGTH libs n)
  message(STATUS "bundle: ${n} shared libraries in ${CMAKE_INSTALL_PREFIX}/lib")
]])
