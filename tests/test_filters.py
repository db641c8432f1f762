"""The selection shared by the CLI export and the app."""

import datetime as dt

import pandas as pd
import pytest

from mapapp.points.filters import Selection


def frame():
    """Four operations: a day, a month, a year, and an undated one."""
    ts = pd.Timestamp
    return pd.DataFrame(
        {
            "op_id": ["day", "month", "year", "undated"],
            "date_start": [ts("2022-01-04"), ts("2021-03-01"), ts("2017-01-01"), pd.NaT],
            "date_end": [ts("2022-01-04"), ts("2021-03-31"), ts("2017-12-31"), pd.NaT],
            "affiliation": ["ISIS", "Al-Qaeda", "ISIS", "unknown"],
            "agencies": [("BCIJ", "DGST"), ("DGSN",), ("BCIJ",), ()],
            "country_code": ["MA", "MA", "ES", "BE"],
        }
    )


def kept(selection, data=None):
    return list(selection.apply(frame() if data is None else data)["op_id"])


def test_undated_operations_are_kept_unless_excluded():
    assert kept(Selection()) == ["day", "month", "year", "undated"]
    assert kept(Selection(include_undated=False)) == ["day", "month", "year"]


def test_since_keeps_what_overlaps_at_its_precision():
    assert kept(Selection(since=dt.date(2022, 1, 1), include_undated=False)) == ["day"]
    # "2017" (year precision) overlaps a range that starts in June 2017.
    assert kept(
        Selection(since=dt.date(2017, 6, 1), until=dt.date(2017, 6, 30), include_undated=False)
    ) == ["year"]
    # "March 2021" overlaps a range ending on 10 March 2021.
    assert kept(
        Selection(since=dt.date(2021, 3, 10), until=dt.date(2021, 3, 10), include_undated=False)
    ) == ["month"]


def test_until_and_undated():
    sel = Selection(until=dt.date(2020, 12, 31), include_undated=True)
    assert kept(sel) == ["year", "undated"]


@pytest.mark.parametrize("name", ["ISIS", "Daesh", "Islamic State", "isil"])
def test_affiliation_aliases_select_the_same_operations(name):
    assert kept(Selection.create(affiliations=[name])) == ["day", "year"]


def test_agency_and_country():
    assert kept(Selection.create(agencies=["BCIJ"])) == ["day", "year"]
    assert kept(Selection.create(countries=["es"])) == ["year"]


def test_empty_choices_mean_no_restriction():
    assert kept(Selection.create(affiliations=[], agencies=[], countries=[])) == [
        "day",
        "month",
        "year",
        "undated",
    ]
