"""The map and its data as files to share: HTML, GeoJSON and CSV.

:mod:`~mapapp.export.writers` renders each format; :mod:`~mapapp.export.pipeline`
runs the stages (load, geocode, join, build, write) for the command line and the
benchmark, and writes every file asked for, or none.
"""
