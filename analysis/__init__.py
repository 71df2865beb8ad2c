"""trustsim analysis: read run files, draw charts, write an offline HTML report."""
__version__ = "0.1.0"
