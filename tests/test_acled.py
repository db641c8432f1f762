"""ACLED out and in: the writer, the reader (bad rows included), the round trip."""

import subprocess
import sys
from pathlib import Path

import pytest

from mapapp import bundled
from mapapp.cli import main
from mapapp.points.join import join_places, resolve_places
from mapapp.records import COLUMNS, load_records
from mapapp.records.acled import (
    acled_csv_text,
    column_names,
    looks_like_acled,
    parse_acled_date,
    read_acled,
    rows_of,
)
from mapapp.records.table import RecordsError
from places import Resolver
from places.admin_names import AdminNames
from places.geo import haversine_km

SAMPLE = Path(__file__).parent / "fixtures" / "acled_sample.csv"
HEADER = ",".join(COLUMNS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache") / "geocode.sqlite"


def joined(records, cache, overrides=None):
    with Resolver(cache_path=cache, overrides=overrides) as resolver:
        answers = resolve_places(records, resolver)
        return join_places(records, answers, AdminNames.for_resolver(resolver))


def write_records(tmp_path, *rows):
    path = tmp_path / "records.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROWS = (
    "a,2022-01-04,day,Casablanca;Inezgane-Ait Melloul,MA,6,Daesh,Daesh,BCIJ;DGST,"
    "A cell broken up.,Le360;Hespress,T1;T2,https://a.example/1;https://b.example/2,"
    "2022-01-05;2022-01-06,",
    "b,2023-11,month,Kaduna,NG,2,ISWAP,,DSS,Two suspects.,Premium Times,,,,",
    "c,2019,year,Augsburg,DE,,,,,,dpa,,,,",
    "d,,unknown,Barcelona,ES,1,,,,,El Pais,,,,",
)


def test_the_writer_writes_acled_columns_and_codes(tmp_path, cache):
    records = load_records(write_records(tmp_path, *ROWS))
    points, _ = joined(records, cache)
    rows = rows_of(acled_csv_text(points))
    assert list(rows[0]) == list(column_names())
    # One row per (operation, point): the compound gives two; undated d has no date
    # and says so in its tags.
    assert [r["ct_id"] for r in rows] == ["a", "a", "a", "b", "c", "d"]
    undated = rows[-1]
    assert (undated["event_date"], undated["year"], undated["time_precision"]) == ("", "", "")
    assert "date: not reported" in undated["tags"]
    first = rows[0]
    assert first["event_id_cnty"] == "MAR1"
    assert (first["event_date"], first["year"], first["time_precision"]) == (
        "4 January 2022", "2022", "1",
    )  # fmt: skip
    assert (first["disorder_type"], first["event_type"], first["sub_event_type"]) == (
        "Strategic developments", "Strategic developments", "Arrests",
    )  # fmt: skip
    assert (first["actor1"], first["assoc_actor_1"], first["actor2"]) == ("BCIJ", "DGST", "ISIS")
    assert (first["iso"], first["country"]) == ("504", "Morocco")
    assert (first["admin1"], first["admin2"], first["location"]) == (
        "Casablanca-Settat", "Casablanca", "Casablanca",
    )  # fmt: skip
    assert first["geo_precision"] == "1"
    assert first["source"] == "Le360; Hespress"
    assert first["notes"] == "A cell broken up. (6 arrested)"
    assert (first["tags"], first["fatalities"]) == ("arrested: 6", "0")
    kaduna = rows[3]
    assert (kaduna["event_id_cnty"], kaduna["iso"], kaduna["admin1"]) == (
        "NGA1", "566", "Kaduna State",
    )  # fmt: skip
    assert (kaduna["event_date"], kaduna["time_precision"]) == ("15 November 2023", "2")
    augsburg = rows[4]
    assert (augsburg["event_date"], augsburg["time_precision"]) == ("1 July 2019", "3")
    assert (augsburg["admin1"], augsburg["actor1"], augsburg["actor2"]) == (
        "Bavaria", "Police Forces of Germany", "",
    )  # fmt: skip
    assert augsburg["tags"] == ""


def test_the_reader_reads_the_codebook_sample():
    assert looks_like_acled(SAMPLE.read_bytes())
    result = read_acled(SAMPLE)
    assert (result.rows, result.skipped) == (6, 1)  # the protest needs --all-events
    recs = result.records.set_index("id")
    assert list(recs.index) == [
        "acled-MAR9001", "acled-MAR9002", "acled-NGA8001", "acled-DEU7001", "acled-ESP6001",
    ]  # fmt: skip
    casa = recs.loc["acled-MAR9001"]
    assert (casa["date"], casa["date_precision"]) == ("2025-05-16", "day")  # "16 May 2025"
    assert casa["affiliation"] == "ISIS"  # assoc_actor_2 "Islamic State (Morocco)"
    assert casa["agencies"] == ("Police Forces of Morocco",)  # without "(1999-)"
    assert [s["name"] for s in casa["sources"]] == ["Le360", "Hespress"]
    assert casa["summary"].startswith("On 16 May 2025, police forces arrested")
    assert casa["places"] == ("Casablanca",)
    assert casa["country"] == "MA"
    tetouan = recs.loc["acled-MAR9002"]
    assert (tetouan["date"], tetouan["date_precision"]) == ("2025-03", "month")  # ISO, code 2
    assert tetouan["arrested"] == 1  # from tags
    kaduna = recs.loc["acled-NGA8001"]
    assert kaduna["affiliation"] == "ISWAP"  # "ISWAP: Islamic State West Africa Province"
    assert kaduna["country"] == "NG"
    assert "DSS: Department of State Services" in kaduna["agencies"]
    assert recs.loc["acled-DEU7001", "affiliation"] == "unknown"  # "Civilians (Germany)"
    spain = recs.loc["acled-ESP6001"]
    assert (spain["date"], spain["date_precision"]) == ("2022", "year")
    assert len(read_acled(SAMPLE, all_events=True).records) == 6


@pytest.mark.parametrize("text", ["16 May 2025", "2025-05-16", "16-May-2025", "16/05/2025"])
def test_dates_as_acled_writes_them(text):
    assert parse_acled_date(text).isoformat() == "2025-05-16"


def bad_file(tmp_path, replace):
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_are_named_by_line_and_column(tmp_path):
    path = bad_file(
        tmp_path,
        [
            ("16 May 2025,2025,1", "31 Febuary 2025,2025,1"),
            ("2025-03-12,2025,2", "2025-03-12,2025,7"),
            ("10.5264,7.4388", "100.5264,7.4388"),
            (",276,", ",999,"),
        ],
    )
    with pytest.raises(RecordsError) as err:
        read_acled(path)
    problems = err.value.problems
    assert problems[0].startswith("bad.csv line 2, column event_date: '31 Febuary 2025'")
    assert problems[1].startswith("bad.csv line 3, column time_precision: '7'")
    assert problems[2].startswith("bad.csv line 4, column latitude: '100.5264'")
    assert problems[3].startswith("bad.csv line 5, column iso: '999'")


def test_a_missing_column_and_a_repeated_id_are_refused(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("latitude,", "lat,", 1)
    path = tmp_path / "nolat.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordsError, match="line 1: missing column"):
        read_acled(path)
    path = bad_file(tmp_path, [("NGA8001", "MAR9001")])
    with pytest.raises(
        RecordsError, match="line 4, column event_id_cnty: 'MAR9001' is also on line 2"
    ):
        read_acled(path)


def test_the_command_line_refuses_a_bad_file_with_one_line_and_writes_nothing(tmp_path, capsys):
    path = bad_file(tmp_path, [("16 May 2025,2025,1", "someday,2025,1")])
    out = tmp_path / "records.csv"
    assert main(["import-acled", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "line 2, column event_date" in err
    assert not out.exists()
    assert not (tmp_path / "records.overrides.csv").exists()


def points_near_acled(acled_rows, points):
    by_place = {}
    for row in acled_rows:
        by_place.setdefault(row.get("ct_place") or row["location"], []).append(
            (float(row["latitude"]), float(row["longitude"]))
        )
    for point in points.itertuples():
        place = point.place.split(" (")[0] if point.place not in by_place else point.place
        near = min(
            haversine_km(point.geometry.y, point.geometry.x, lat, lon)
            for lat, lon in by_place[place]
        )
        assert near < 1.0, (point.place, near)
        assert point.place_source == "override"


def test_import_of_the_sample_keeps_acleds_points(tmp_path, cache, capsys):
    out = tmp_path / "records.csv"
    assert main(["import-acled", str(SAMPLE), "--out", str(out)]) == 0
    assert "5 operation(s) from 6 ACLED row(s); 1 row(s)" in capsys.readouterr().out
    records = load_records(out)
    points, unresolved = joined(records, cache, tmp_path / "records.overrides.csv")
    assert unresolved.empty
    assert len(points) == 5
    points_near_acled(rows_of(SAMPLE.read_text(encoding="utf-8")), points)
    assert dict(zip(points["place"], points["admin1"], strict=True))["Augsburg"] == "Bavaria"


def test_export_of_the_bundled_records_imports_within_a_km(tmp_path, cache):
    acled = tmp_path / "bundled-acled.csv"
    assert main(["export", "--acled", str(acled), "--cache", str(cache)]) == 0
    rows = rows_of(acled.read_text(encoding="utf-8-sig"))
    bundled_records = load_records(bundled.RECORDS)
    assert {r["ct_id"] for r in rows} <= set(bundled_records["id"])
    out = tmp_path / "records.csv"
    assert main(["import-acled", str(acled), "--out", str(out)]) == 0
    records = load_records(out)
    assert len(records) == len({r["ct_id"] for r in rows})
    points, unresolved = joined(records, cache, tmp_path / "records.overrides.csv")
    assert unresolved.empty
    assert len(points) == len(rows)
    points_near_acled(rows, points)


def test_round_trip_keeps_places_dates_precision_group_and_sources(tmp_path, cache):
    original = load_records(write_records(tmp_path, *ROWS))
    points, _ = joined(original, cache)
    acled = tmp_path / "acled.csv"
    acled.write_text(acled_csv_text(points), encoding="utf-8")
    back = read_acled(acled).records.set_index("id")
    every = original.set_index("id")
    assert list(back.index) == list(every.index)
    for column in ("places", "date", "date_precision", "affiliation", "sources", "country",
                   "arrested", "summary", "affiliation_as_written"):  # fmt: skip
        assert back[column].tolist() == every[column].tolist(), column
    assert back.loc["a", "agencies"] == ("BCIJ", "DGST")


def test_python_dash_m_reaches_import_acled(tmp_path):
    out = tmp_path / "records.csv"
    done = subprocess.run(
        [sys.executable, "-m", "mapapp", "import-acled", str(SAMPLE), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert load_records(out)["id"].tolist()[0] == "acled-MAR9001"


@pytest.mark.parametrize(
    ("event_date", "time_precision", "tags", "message"),
    [
        ("", "", "", "event_date: empty: every event has a date"),
        ("16 May 2025", "", "", "time_precision: empty: a dated event has a time precision"),
        ("16 May 2025", "1", "date: not reported", "tagged 'date: not reported'"),
    ],
)
def test_dates_and_the_undated_tag_must_agree(tmp_path, event_date, time_precision, tags, message):
    header = (
        "event_id_cnty,event_date,year,time_precision,sub_event_type,iso,country,location,"
        "latitude,longitude,tags"
    )
    year = event_date[-4:] if event_date else ""
    line = f"MAR1,{event_date},{year},{time_precision},Arrests,504,Morocco,Fes,34.03,-5.0,{tags}"
    path = tmp_path / "acled.csv"
    path.write_text(f"{header}\n{line}\n", encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        read_acled(path)
    assert message in str(caught.value)
    assert "line 2" in str(caught.value)
