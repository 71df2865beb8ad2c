"""The live what-if explorer (scripts/explore): a local web app over `trustsim run`."""
