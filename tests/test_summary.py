"""The figures beside the map: arrests by year (every year on the axis), coverage by year."""

import pandas as pd

from mapapp.points.summary import arrests_by_year, coverage, coverage_by_year, is_calendar_year
from mapapp.records.figures import load_national_figures

FIGURES_HEADER = (
    "country,period_start,period_end,period_label,cells_dismantled,arrested,plots_foiled,"
    "qualifier,note,source_name\n"
)


def points(*ops):
    """One point per (op_id, date_start, date_end, arrested, country_code)."""
    frame = pd.DataFrame(
        ops, columns=["op_id", "date_start", "date_end", "arrested", "country_code"]
    )
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    frame["arrested"] = frame["arrested"].astype("Int64")
    return frame


def figures(*lines):
    return load_national_figures((FIGURES_HEADER + "\n".join(lines) + "\n").encode(), name="f.csv")


MAPPED = points(
    ("a", "2003-05-01", "2003-05-31", 3, "MA"),
    ("b", "2006-01-01", "2006-12-31", None, "MA"),
    ("b", "2006-01-01", "2006-12-31", None, "MA"),  # a second place of b
    ("c", None, None, 2, "MA"),
    ("d", "2015-02-01", "2015-02-01", 10, "MA"),
    ("e", "2015-06-01", "2015-06-30", 5, "ES"),  # in Spain: not in Morocco's figures
)


def test_every_year_from_first_to_last_is_a_row():
    table = arrests_by_year(MAPPED)
    assert list(table.index) == list(range(2003, 2016))
    assert table.loc[2004].tolist() == [0, 0, 0]
    assert table.loc[2006].tolist() == [1, 0, 1]  # one operation, giving no number
    assert table.loc[2015].tolist() == [2, 15, 0]
    assert table["operations"].sum() == 4  # c is undated: counted apart


def test_no_dated_operation_gives_an_empty_table():
    table = arrests_by_year(points(("c", None, None, 2, "MA")))
    assert table.empty
    assert list(table.columns) == ["operations", "arrested", "without_count"]


def test_coverage_by_year_uses_whole_calendar_years_only_and_shows_ranges():
    figs = figures(
        "MA,2015,2015,2015,21,275,,exact,,A",
        "MA,2015,2015,en 2015,21,276,,exact,,B",
        "MA,2016,2016,2016,,55,,at least,,C",
        "MA,2019-01,2019-10,until October,13,,,exact,,D",
        "MA,2002,,since 2002,2000,3500,,more than,,E",
    )
    assert is_calendar_year(figs).tolist() == [True, True, True, False, False]
    table = coverage_by_year(MAPPED, figs)
    assert table["year"].tolist() == [2015, 2016]
    row = table.iloc[0]
    assert row["operations (map)"] == 1  # Spain's operation is not Morocco's
    assert row["arrested (map)"] == 10
    assert row["arrested (officials)"] == "275–276"
    assert row["cells (officials)"] == "21"
    assert row["map / officials"] == f"{10 / 276:.0%}"
    assert table.iloc[1]["arrested (officials)"] == "≥ 55"
    assert table.iloc[1]["map / officials"] == "0%"


def test_coverage_of_an_open_period_is_not_compared():
    figs = figures(
        "MA,2002,,since 2002,2000,3500,,more than,,E", "MA,2002,2016,2002 to 2016,,100,,exact,,F"
    )
    table = coverage(MAPPED, figs)
    assert pd.isna(table.loc[0, "operations on the map"])
    assert table.loc[0, "share on the map"] == "–"
    assert table.loc[1, "operations on the map"] == 3  # a, b, d: not Spain's e, not undated c
    assert table.loc[1, "arrested on the map"] == 13
    assert table.loc[1, "share on the map"] == "13%"
