"""``python -m mapapp export`` as a user runs it: a real process, real files."""

import json
import subprocess
import sys
from pathlib import Path

from places.geo import haversine_km

ROOT = Path(__file__).resolve().parents[1]
SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows


def export(tmp_path, *args, records=None):
    out, geojson = tmp_path / "map.html", tmp_path / "map.geojson"
    cmd = [sys.executable, "-m", "mapapp", "export", "--out", str(out), "--geojson", str(geojson)]
    if records:
        cmd += ["--records", str(records)]
    proc = subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    features = json.loads(geojson.read_text())["features"] if geojson.exists() else None
    return proc, out, features


def km(a, b):
    """Great-circle distance in km between (lat, lon) pairs."""
    return haversine_km(*a, *b)


def placed(features):
    return {f["properties"]["place"] for f in features}


def test_every_seed_arrest_place_is_on_the_self_contained_map(tmp_path, seeds_dir):
    proc, out, features = export(tmp_path, "--self-contained", records=SEED_RECORDS)
    assert proc.returncode == 0, proc.stderr
    points = [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]) for f in features]
    gold = json.loads((seeds_dir / "gold.json").read_text())
    for article in gold["articles"]:
        for operation in article["operations"]:
            for place in operation["arrest_places"]:
                accepted = [(p["lat"], p["lon"]) for p in place.get("accept", [place])]
                nearest = min(km(a, p) for a in accepted for p in points)
                assert nearest <= 25, f"{place['name']} is {nearest:.0f} km from any point"
    html = out.read_text(encoding="utf-8")
    assert '<script src="http' not in html
    assert 'rel="stylesheet" href="http' not in html


def test_since_keeps_the_january_2022_operation_and_drops_tetouan(tmp_path):
    proc, _, features = export(tmp_path, "--since", "2022-01-01", records=SEED_RECORDS)
    assert proc.returncode == 0, proc.stderr
    assert {"Casablanca", "Mohammedia", "Azilal"} <= placed(features)
    assert not {"Tetouan", "Fnideq"} & placed(features)
    # No undated operation passes a date filter unless asked for.
    assert "Kenitra" not in placed(features)
    proc, _, features = export(
        tmp_path, "--since", "2022-01-01", "--include-undated", records=SEED_RECORDS
    )
    assert "Kenitra" in placed(features)
    assert "Tetouan" not in placed(features)


def test_affiliation_keeps_azilal_and_drops_melilla_nador(tmp_path):
    proc, _, features = export(tmp_path, "--affiliation", "ISIS", records=SEED_RECORDS)
    assert proc.returncode == 0, proc.stderr
    assert "Azilal" in placed(features)
    assert not {"Melilla", "Nador"} & placed(features)
    # The source's word works as well as the canonical name.
    _, _, by_alias = export(tmp_path, "--affiliation", "Daesh", records=SEED_RECORDS)
    assert placed(by_alias) == placed(features)


def test_csv_export_round_trips_through_the_records_loader(tmp_path):
    from mapapp.records import load_records

    csv = tmp_path / "chosen.csv"
    proc, _, _ = export(tmp_path, "--affiliation", "ISIS", "--csv", str(csv))
    assert proc.returncode == 0, proc.stderr
    assert set(load_records(csv)["affiliation"]) == {"ISIS"}


def test_bad_records_give_one_message_and_no_file(tmp_path):
    bad = tmp_path / "bad.csv"
    header = (ROOT / "mapapp" / "data" / "records.csv").read_text().splitlines()[0]
    bad.write_text(header + "\nx1,2022-13-45,day,Rabat,MA,,,,,,,,,,\n", encoding="utf-8")
    proc, out, features = export(tmp_path, records=bad)
    assert proc.returncode == 2
    assert "bad.csv line 2, column date" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert features is None
