"""Points to a map: one compact payload drawn by one Leaflet layer, in folium.

:mod:`~mapapp.map.build` makes the ``folium.Map``, :mod:`~mapapp.map.layer` turns
the points into the payload and the layer element, :mod:`~mapapp.map.assets`
inlines the scripts, stylesheets and the offline base map.
"""
