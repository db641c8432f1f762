"""Loading and validating records CSV files: every bad row or file is reported precisely."""

import io

import pandas as pd
import pytest

from mapapp.records import COLUMNS, RecordsError, derive_id, load_records

GOOD = {
    "id": "op-1",
    "date": "2022-01-04",
    "date_precision": "day",
    "places": "Casablanca;Mohammedia",
    "country": "MA",
    "arrested": "6",
    "affiliation": "ISIS",
    "affiliation_as_written": "",
    "agencies": "BCIJ;DGST",
    "summary": "A cell.",
    "source_name": "Outlet",
    "source_title": "",
    "source_url": "",
    "source_published": "",
    "evidence": "",
}


def csv_text(*rows: dict, columns=COLUMNS) -> str:
    """A CSV file: the header, then each row as GOOD updated with the given cells."""
    lines = [",".join(columns)]
    for row in rows:
        cells = {**GOOD, **row}
        lines.append(",".join(_quote(cells.get(c, "")) for c in columns))
    return "\n".join(lines) + "\n"


def _quote(cell: str) -> str:
    if any(c in cell for c in ',"\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def problems(data: str | bytes, **kwargs) -> list[str]:
    """Load, expect failure, and return the problems."""
    payload = data.encode() if isinstance(data, str) else data
    with pytest.raises(RecordsError) as caught:
        load_records(payload, name="records.csv", **kwargs)
    return caught.value.problems


def test_good_file_loads_with_derived_columns():
    text = csv_text(
        {"id": "a"},
        {"id": "b", "date": "2022-02", "date_precision": "month", "arrested": ""},
        {"id": "c", "date": "2017", "date_precision": "year", "affiliation": "Daesh"},
        {"id": "d", "date": "", "date_precision": "unknown", "affiliation": ""},
    )
    df = load_records(io.BytesIO(text.encode()))
    assert list(df["id"]) == ["a", "b", "c", "d"]
    assert df.loc[0, "places"] == ("Casablanca", "Mohammedia")
    assert df.loc[0, "agencies"] == ("BCIJ", "DGST")
    assert str(df["arrested"].dtype) == "Int64"
    assert df.loc[0, "arrested"] == 6
    assert pd.isna(df.loc[1, "arrested"])
    assert df.loc[1, "date_start"] == pd.Timestamp("2022-02-01")
    assert df.loc[1, "date_end"] == pd.Timestamp("2022-02-28")
    assert (df.loc[2, "date_start"], df.loc[2, "date_end"]) == (
        pd.Timestamp("2017-01-01"),
        pd.Timestamp("2017-12-31"),
    )
    assert pd.isna(df.loc[3, "date_start"])
    assert pd.isna(df.loc[3, "date_end"])
    assert df.loc[2, "affiliation"] == "ISIS"
    assert df.loc[2, "affiliation_as_written"] == "Daesh"
    assert df.loc[3, "affiliation"] == "unknown"
    assert df.loc[3, "affiliation_as_written"] == ""
    assert df.loc[0, "sources"] == ({"name": "Outlet", "title": "", "url": "", "published": ""},)
    assert not {"source_name", "source_title", "source_url", "source_published"} & set(df)


def test_several_sources_are_parallel_lists():
    text = csv_text(
        {
            "source_name": "A;B",
            "source_url": "https://a.example/x;",
            "source_published": ";2022-01-05",
        }
    )
    (sources,) = load_records(text.encode())["sources"]
    assert sources == (
        {"name": "A", "title": "", "url": "https://a.example/x", "published": ""},
        {"name": "B", "title": "", "url": "", "published": "2022-01-05"},
    )


def test_misaligned_source_lists_are_an_error():
    (message,) = problems(csv_text({"source_name": "A;B;C", "source_url": "https://a.example"}))
    assert message.startswith("records.csv line 2, column source_name:")
    assert "source_name has 3" in message
    assert "source_url has 1" in message


def test_bad_date():
    (message,) = problems(csv_text({}, {"id": "x"}, {"id": "y", "date": "2022-13-45"}))
    assert message.startswith("records.csv line 4, column date: '2022-13-45' is not a date")


def test_bad_count():
    (message,) = problems(csv_text({"arrested": "six"}))
    assert message.startswith("records.csv line 2, column arrested: 'six' is not a whole number")
    assert problems(csv_text({"arrested": "-1"}))
    (message,) = problems(csv_text({"arrested": "1" * 30}))
    assert message.endswith("is too large for a count")


def test_unknown_date_precision():
    (message,) = problems(csv_text({"date_precision": "week"}))
    assert message.startswith("records.csv line 2, column date_precision: 'week' is not a")


@pytest.mark.parametrize(
    ("date", "precision"),
    [("2022-01-04", "month"), ("2022-01", "day"), ("2022", "unknown"), ("", "year")],
)
def test_precision_must_match_date(date, precision):
    (message,) = problems(csv_text({"date": date, "date_precision": precision}))
    assert message.startswith(f"records.csv line 2, column date_precision: '{precision}' does")


def test_missing_column_is_named():
    columns = [c for c in COLUMNS if c != "places"]
    (message,) = problems(csv_text({}, columns=columns))
    assert message == "records.csv line 1: missing column(s): places"


def test_unknown_extra_column_is_named():
    (message,) = problems(csv_text({}, columns=[*COLUMNS, "notes"]))
    assert message.startswith("records.csv line 1: unknown column(s): 'notes'")


def test_semicolon_separated_file_gets_a_hint():
    messages = problems(";".join(COLUMNS) + "\n")
    assert any("';' between columns" in m for m in messages)


def test_not_utf8_names_the_line_of_the_first_bad_byte():
    data = csv_text({}, {"id": "x", "places": "Tétouan"}).encode("cp1252")
    (message,) = problems(data)
    assert message.startswith("records.csv line 3: file is not UTF-8")


def test_utf8_bom_is_accepted():
    df = load_records(b"\xef\xbb\xbf" + csv_text({"places": "Tétouan"}).encode())
    assert df.loc[0, "places"] == ("Tétouan",)
    assert df.loc[0, "id"] == "op-1"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n \n"])
def test_empty_file(data):
    (message,) = problems(data)
    assert message.startswith("records.csv: file is empty")


def test_header_only_file_is_an_empty_table():
    df = load_records(csv_text().encode())
    assert df.empty
    assert {"date_start", "sources"} <= set(df)


def test_too_many_and_too_few_fields():
    text = csv_text({}, {"id": "x"}) + "a,b,c\n" + csv_text({"id": "y"}).split("\n")[1] + ",z\n"
    assert problems(text) == [
        "records.csv line 4: row has 3 fields, expected 15 (one per column)",
        "records.csv line 5: row has 16 fields, expected 15 (one per column)",
    ]


def test_too_big_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "records.csv"
    path.write_text(csv_text({}))
    size = path.stat().st_size
    with pytest.raises(RecordsError) as caught:
        load_records(path, max_bytes=100)
    (message,) = caught.value.problems
    assert message == f"records.csv: file is {size:,} bytes, over the limit of 100 bytes"
    with pytest.raises(RecordsError, match=f"upload.csv: file is {size:,} bytes, over the"):
        load_records(io.BytesIO(path.read_bytes()), name="upload.csv", max_bytes=100)


def test_empty_places():
    (message,) = problems(csv_text({"places": " ; "}))
    assert message == (
        "records.csv line 2, column places: empty: an operation needs at least one place"
    )


def test_line_numbers_count_multiline_cells():
    text = csv_text({"summary": "one\ntwo\nthree"}, {"id": "x", "arrested": "many"})
    (message,) = problems(text)
    assert message.startswith("records.csv line 5, column arrested:")


def test_stray_quote_is_reported_not_swallowed():
    text = csv_text({}) + 'op-9,"2022\n'
    (message,) = problems(text)
    assert message.startswith("records.csv line 3: row is not readable as CSV")


def test_bad_country_url_and_published_date():
    messages = problems(
        csv_text(
            {
                "country": "Morocco",
                "source_url": "www.example.com/a",
                "source_published": "2022-01",
            }
        )
    )
    assert messages == [
        "records.csv line 2, column country: 'Morocco' is not an ISO 3166-1 alpha-2 country code",
        "records.csv line 2, column source_url: 'www.example.com/a' is not an absolute URL "
        "(source 1)",
        "records.csv line 2, column source_published: '2022-01' is not a date YYYY-MM-DD "
        "(source 1)",
    ]


def test_every_problem_is_reported_and_listing_is_capped():
    rows = [{"id": f"r{i}", "date": "someday"} for i in range(30)]
    error_messages = problems(csv_text(*rows, {"id": "r0"}))
    assert len(error_messages) == 31
    assert "duplicate id 'r0' (first on line 2)" in error_messages[-1]
    text = str(RecordsError(error_messages))
    assert "records.csv line 21," in text
    assert "records.csv line 22," not in text
    assert text.rstrip().endswith("… and 11 more")


def test_derived_ids_are_stable_and_ignore_row_order_and_place_spelling():
    text = csv_text({"id": ""}, {"id": "", "places": "Azilal", "arrested": "2"})
    first = load_records(text.encode())
    lines = text.splitlines()
    swapped = "\n".join([lines[0], lines[2], lines[1]]).replace(
        "Casablanca;Mohammedia", "MOHAMMEDIA;Casablanca"
    )
    second = load_records(swapped.encode())
    assert set(first["id"]) == set(second["id"])
    assert first["id"].is_unique
    assert all(i.startswith("op-") for i in first["id"])
    assert first.loc[0, "id"] == derive_id(
        "2022-01-04",
        ["Mohammedia", "Casablanca"],
        [{"name": "Outlet", "title": "", "url": ""}],
        6,
    )


def test_identical_rows_without_id_are_a_duplicate():
    (message,) = problems(csv_text({"id": ""}, {"id": ""}))
    assert message.startswith("records.csv line 3, column id: duplicate id 'op-")
    assert "(first on line 2)" in message


def test_name_defaults_to_file_name(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(csv_text({"arrested": "x"}))
    with pytest.raises(RecordsError, match=r"mine\.csv line 2, column arrested"):
        load_records(path)
    with pytest.raises(RecordsError, match=r"<uploaded file> line 2"):
        load_records(io.BytesIO(path.read_bytes()))


def test_blank_and_all_empty_rows_are_skipped():
    text = csv_text({}).replace("\n", "\n\n" + "," * 14 + "\n", 1)
    df = load_records(text.encode())
    assert len(df) == 1


def test_hundred_thousand_rows_load():
    row = csv_text({"id": ""}).splitlines()[1]
    lines = [",".join(COLUMNS)] + [
        row.replace("Casablanca", f"Town {i}", 1) for i in range(100_000)
    ]
    df = load_records("\n".join(lines).encode())
    assert len(df) == 100_000
    assert df["id"].is_unique
    assert df["arrested"].sum() == 600_000
