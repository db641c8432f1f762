"""Saving records: the same format back, exactly, and never a torn file."""

import os

import pandas as pd
import pytest

from mapapp.records import BUNDLED_RECORDS, load_records, records_csv_text, save_records

TRICKY = (
    "id,date,date_precision,places,country,arrested,affiliation,affiliation_as_written,"
    "agencies,summary,source_name,source_title,source_url,source_published,evidence\n"
    ',2021-07,month,"Tétouan; Fnideq",ma,,Da\'esh,,,"Two lines:\nsaid ""cell""",'
    "A;B,,https://a.example/x?q=1;,;2021-07-09,\n"
    "x1,,unknown,Verviers,BE,0,,,Belgian services,,,,,,\n"
)


def test_round_trip_is_exact(tmp_path):
    first = load_records(TRICKY.encode(), name="tricky.csv")
    path = tmp_path / "out.csv"
    save_records(first, path)
    again = load_records(path)
    pd.testing.assert_frame_equal(again, first)
    save_records(again, path)
    pd.testing.assert_frame_equal(load_records(path), first)
    assert first.loc[0, "country"] == "MA"
    assert first.loc[0, "affiliation"] == "ISIS"
    assert first.loc[0, "affiliation_as_written"] == "Da'esh"


def test_bundled_records_round_trip_byte_for_byte(tmp_path):
    path = tmp_path / "records.csv"
    save_records(load_records(), path)
    assert path.read_bytes() == BUNDLED_RECORDS.read_bytes()


def test_text_starts_with_a_bom_for_spreadsheets():
    text = records_csv_text(load_records())
    assert text.startswith("\ufeffid,date,")
    subset = records_csv_text(load_records().iloc[:2])
    assert len(load_records(subset.encode())) == 2


def test_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "records.csv"
    save_records(load_records(), path)
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_records(load_records(TRICKY.encode()), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["records.csv"]


def test_semicolon_inside_a_place_is_refused_before_writing(tmp_path):
    records = load_records()
    records.at[0, "places"] = ("Casablanca; Mohammedia",)
    path = tmp_path / "records.csv"
    with pytest.raises(ValueError, match="contains ';'"):
        save_records(records, path)
    assert list(tmp_path.iterdir()) == []
