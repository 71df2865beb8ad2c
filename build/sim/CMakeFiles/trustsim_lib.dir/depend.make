# Empty dependencies file for trustsim_lib.
# This may be replaced when dependencies are built.
