# Empty dependencies file for trustsim_tests.
# This may be replaced when dependencies are built.
