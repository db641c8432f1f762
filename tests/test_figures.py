"""National figures: validated like records, kept apart from operations."""

import pandas as pd
import pytest

from mapapp.records import RecordsError
from mapapp.records.figures import FIGURE_COLUMNS, load_national_figures

HEADER = ",".join(FIGURE_COLUMNS)


def figures(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def test_bundled_figures_load():
    df = load_national_figures()
    assert len(df) >= 8  # the seed articles' figures, then those the Morocco dataset quotes
    assert set(df["qualifier"]) == {"exact", "at least", "more than"}
    row = df[(df["period_start"] == "2002") & (df["period_end"] == "2017")].iloc[0]
    assert (row["cells_dismantled"], row["arrested"], row["plots_foiled"]) == (167, 2963, 341)
    assert row["date_end"] == pd.Timestamp("2017-12-31")
    open_ended = df[df["period_end"] == ""].iloc[0]
    assert pd.isna(open_ended["date_end"])
    assert str(df["arrested"].dtype) == "Int64"


def test_good_row_with_lower_case_country():
    df = load_national_figures(figures("ma,2019-01,2019-10,x,13,,,exact,,Aawsat"))
    assert df.loc[0, "country"] == "MA"
    assert df.loc[0, "date_end"] == pd.Timestamp("2019-10-31")


def test_every_problem_is_named_with_line_and_column():
    data = figures(
        "MA,2015,2015,2015,21,275,,exact,,",
        "XX,2016-13,2015,x,many,,,roughly,,",
        "MA,2017,2016,x,,,,exact,,",
    )
    with pytest.raises(RecordsError) as caught:
        load_national_figures(data, name="figures.csv")
    assert caught.value.problems == [
        "figures.csv line 3, column country: 'XX' is not an ISO 3166-1 alpha-2 country code",
        "figures.csv line 3, column period_start: '2016-13' is not a date "
        "(use YYYY-MM-DD, YYYY-MM or YYYY)",
        "figures.csv line 3, column cells_dismantled: 'many' is not a whole number >= 0 "
        "(or empty)",
        "figures.csv line 3, column qualifier: 'roughly' is not one of: exact, at least, "
        "more than",
        "figures.csv line 4: no figure given: fill one of cells_dismantled, arrested, "
        "plots_foiled",
        "figures.csv line 4, column period_end: the period ends before it starts",
    ]


def test_missing_column_is_named():
    header = HEADER.replace(",plots_foiled", "")
    with pytest.raises(RecordsError, match=r"line 1: missing column\(s\): plots_foiled"):
        load_national_figures(f"{header}\n".encode(), name="figures.csv")
