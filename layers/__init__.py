"""What the map draws, as pure functions on (Geo)DataFrames returning DataFrames, dicts and GeoJSON.

Never imports dash, the store or SQL. Modules:

- ``areas``: compact area GeoJSON, category colours/labels, boundary changes between list years
- ``choropleth``: class breaks → Leaflet ``hideout`` dict and legend
- ``hexgrid``, ``gistar``, ``hotspots``: H3 grid, Getis-Ord Gi* (= esda), BH FDR hot/cold classes
- ``kde``: quartic kernel density surface
- ``deso_gistar``: Gi* on polygons with queen contiguity
- ``emerging``, ``mannkendall``: emerging hot spot categories (Esri definitions)
- ``events``: clustered point layer, precision summary
- ``pois``: events near places of a kind vs elsewhere (exact binomial test) with a sentence
- ``method_card``: "Hur beräknades detta?" rows from a layer's ``method`` and ``excluded``
- ``legends``: legend rows (only what a layer holds) and the tooltip words of each layer's hideout
- ``palettes``: ColorBrewer / Okabe–Ito colours as hex
"""
