file(REMOVE_RECURSE
  "libtrustsim_lib.a"
)
