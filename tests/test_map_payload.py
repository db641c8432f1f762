"""The operations layer's payload: every point and operation, compact, dates as day numbers."""

import math

import pandas as pd
import pytest
from map_fixtures import OPERATIONS, make_points
from shapely.geometry import Point

from mapapp.map.layer import (
    OTHER_COLOUR,
    PALETTE,
    UNKNOWN_COLOUR,
    build_payload,
    group_colours,
    point_label,
    web_url,
)


def day(text):
    return (pd.Timestamp(text) - pd.Timestamp("1970-01-01")).days


@pytest.fixture
def payload():
    return build_payload(make_points(), "Morocco")


def points_of(payload):
    pts = payload["pts"]
    return [pts[i : i + 4] for i in range(0, len(pts), 4)]


def test_every_point_and_operation_is_in_the_payload_once(payload):
    frame = make_points()
    assert len(points_of(payload)) == len(frame)
    assert len(payload["ops"]) == frame["op_id"].nunique() == len(OPERATIONS)
    s = payload["s"]
    for (lat, lon, op, label), row in zip(points_of(payload), frame.itertuples(), strict=True):
        assert (lat, lon) == (round(row.geometry.y, 5), round(row.geometry.x, 5))
        assert s[label] == row.place
        assert [s[i] for i in payload["ops"][op][7]] == list(row.places)


def test_repeated_strings_are_stored_once(payload):
    assert len(payload["s"]) == len(set(payload["s"]))
    assert payload["s"].count("BCIJ") == 1
    assert payload["title"] == "Morocco"


def test_dates_are_day_numbers_spanning_their_precision(payload):
    ops = {op_id: op for (op_id, *_), op in zip(OPERATIONS, payload["ops"], strict=True)}
    assert ops["op1"][:3] == [0, day("2022-01-04"), day("2022-01-04")]
    assert ops["op2"][:3] == [1, day("2021-03-01"), day("2021-03-31")]
    assert ops["op3"][:3] == [2, day("2019-01-01"), day("2019-12-31")]
    assert ops["op4"][:3] == [3, None, None]
    # Months as year * 12 + month0: Jan 2017 (op9) to May 2023 (op6).
    assert payload["span"] == [2017 * 12, 2023 * 12 + 4]


def test_counts_groups_and_as_written(payload):
    ops = {op_id: op for (op_id, *_), op in zip(OPERATIONS, payload["ops"], strict=True)}
    groups = [name for name, _ in payload["groups"]]
    assert ops["op3"][3] is None  # no number reported
    assert ops["op5"][3] == 15
    assert groups[ops["op1"][4]] == "ISIS"
    assert payload["s"][ops["op1"][5]] == "Daesh"
    assert ops["op2"][5] is None  # written as the group's own name


def test_sources_keep_only_web_links(payload):
    first, second = payload["ops"][0][9]
    assert payload["s"][first[0]] == "Hespress"
    assert first[2] == "https://example.org/op1"
    assert second[2] is None


def test_groups_most_frequent_first_and_unknown_last_in_grey():
    names = ["unknown"] * 5 + ["ISIS"] * 3 + ["AQIM"] * 2 + [f"cell {i:02}" for i in range(20)]
    groups = group_colours(pd.Series(names))
    assert groups[0] == ["ISIS", PALETTE[0]]
    assert groups[1] == ["AQIM", PALETTE[1]]
    assert groups[-1] == ["unknown", UNKNOWN_COLOUR]
    assert groups[-2][1] == OTHER_COLOUR  # beyond the palette: shared colour, own legend row
    assert len(groups) == 23


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_web_url(url, expected):
    assert web_url(url) == expected


def test_point_label_shows_the_resolved_name_only_when_different():
    assert point_label("Casablanca", "Casablanca") == "Casablanca"
    assert point_label("Casa", "Casablanca") == "Casa (Casablanca)"
    assert point_label("", "Rabat") == "Rabat"


def test_missing_values_do_not_break_the_payload():
    frame = make_points().head(2).copy()
    frame["agencies"] = [None, ()]
    frame["sources"] = [None, ({"name": None, "url": None},)]
    frame["summary"] = [None, math.nan]
    frame["affiliation"] = [None, ""]
    payload = build_payload(frame)
    assert [name for name, _ in payload["groups"]] == ["unknown"]
    assert payload["ops"][0][6] == []
    assert payload["ops"][0][8] == ""


def test_rows_without_coordinates_are_not_drawn():
    from mapapp.map.build import located

    frame = make_points()
    frame.loc[0, "geometry"] = None
    frame.loc[1, "geometry"] = Point(math.nan, math.nan)
    assert len(located(frame)) == len(frame) - 2
