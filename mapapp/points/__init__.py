"""Records to points: every place name geocoded once, one row per (operation, place).

:mod:`~mapapp.points.join` places the names and builds the GeoDataFrame every later
stage reads, :mod:`~mapapp.points.filters` selects from it (one ``Selection`` for
the command line and the app), :mod:`~mapapp.points.summary` counts what is shown.
"""
