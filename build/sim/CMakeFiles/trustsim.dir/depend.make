# Empty dependencies file for trustsim.
# This may be replaced when dependencies are built.
