"""A trained arrest-place decision against the rules: see README.md beside this file."""
