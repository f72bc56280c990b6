"""Rebuild ``outline.json``: country outlines around Rwanda for the offline map.

Reads Natural Earth 1:10m Admin 0 Countries (a public-domain shapefile), keeps
Rwanda and its neighbours, clips them to the map window, simplifies and rounds
them. Needs ``pyshp`` and ``shapely`` (not runtime dependencies of rwanda_edu);
see README.md in this folder for the exact steps.

Usage: python build_outline.py PATH/TO/ne_10m_admin_0_countries*.shp
"""

import json
import sys
from pathlib import Path

import shapefile  # pyshp
from shapely import clip_by_rect
from shapely.geometry import shape

COUNTRIES = {"RWA": "Rwanda", "BDI": "Burundi", "COD": "DR Congo", "TZA": "Tanzania", "UGA": "Uganda"}
WINDOW = (27.5, -4.6, 33.5, 1.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE = 0.004  # degrees (about 450 m) for Douglas-Peucker simplification
DECIMALS = 4
LABELS = {"RWA": (29.55, -1.87)}  # where a name goes instead of the default point, clear of Kigali


def rings(geometry):
    """Exterior rings of a (multi)polygon as lists of [lon, lat]."""
    polygons = getattr(geometry, "geoms", [geometry])
    return [
        [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in polygon.exterior.coords]
        for polygon in polygons
        if polygon.geom_type == "Polygon" and not polygon.is_empty
    ]


def build(shp_path):
    reader = shapefile.Reader(shp_path, encoding="latin-1")
    version_file = Path(shp_path).with_suffix(".VERSION.txt")
    version = version_file.read_text().strip() if version_file.exists() else "unknown"
    countries = []
    for record in reader.iterShapeRecords():
        iso = record.record.as_dict()["ADM0_A3"]
        if iso not in COUNTRIES:
            continue
        geometry = clip_by_rect(shape(record.shape.__geo_interface__), *WINDOW)
        geometry = geometry.simplify(TOLERANCE, preserve_topology=True)
        point = geometry.representative_point()  # a point inside the clipped shape, for the name
        label = LABELS.get(iso, (round(point.x, 2), round(point.y, 2)))
        countries.append(
            {
                "iso_a3": iso,
                "name": COUNTRIES[iso],
                "label": list(label),
                "rings": rings(geometry),
            }
        )
    countries.sort(key=lambda country: country["iso_a3"] != "RWA")  # Rwanda first
    return {
        "source": f"Natural Earth 1:10m Admin 0 Countries, version {version} (public domain)",
        "window": list(WINDOW),
        "countries": countries,
    }


if __name__ == "__main__":
    out = Path(__file__).with_name("outline.json")
    out.write_text(json.dumps(build(sys.argv[1]), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")
