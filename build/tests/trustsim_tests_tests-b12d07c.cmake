set( trustsim_tests_TESTS)
