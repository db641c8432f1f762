"""``ct-arrest-map evaluate``: the scoring rules, the corpus checks and the whole command.

The scoring functions are called on hand-made gold and predicted inputs; the whole
command runs the real extractor, with real geocoding (the session's name index), on
the fixture corpus in ``tests/fixtures/corpus``: four short fictional wire stories.
Its expected figures were worked out by hand from the annotations and from what
the extractor reads in each text:

* ``ma_2023_fes-meknes-cell`` (MA): one operation, Fes and Meknes, 4 arrested,
  gold group "Daesh" (an alias of ISIS), BCIJ. The extractor finds both towns, the
  count, ISIS and BCIJ, and dates it "on Wednesday" (2023-03-08), not from the
  dateline (2023-03-09): all right.
* ``ng_2021_bama-gwoza-damboa`` (NG): two operations; the extractor misses Bama
  (operation 1 not found) and finds Gwoza and Damboa with the right date, group
  and count (2, "detained two ISWAP logistics suppliers"), and no agency (gold
  "Nigerian Army"). The headline's "in Borno" (the state, a province since the
  gazetteer knows provinces worldwide) is read as a third operation: invented.
* ``ma_2022_cells-since-2002`` (MA, negative): national figures only; nothing found.
* ``es_2024_barcelona-cell-sentence`` (ES, negative): a sentencing story; the
  extractor reads the 2022 arrest in Barcelona as an operation: invented.

Totals: 6 predicted places, 5 gold, 4 matched; 3 gold operations, 4 predicted,
2 matched, 2 invented; on the 2 matched: date 2, count 2, group 2, agencies 1,
gold agencies 2 of which 1 found. If the extractor changes how it reads these
texts, these figures change with it: update them from the misses the command lists.
"""

import json
import shutil
from pathlib import Path

import pytest

from mapapp.cli import main
from mapapp.evaluate import (
    DEFAULT_RADIUS_KM,
    Annotation,
    CorpusError,
    Counts,
    GoldOperation,
    GoldPlace,
    agencies_found,
    agencies_right,
    aggregate,
    count_right,
    date_right,
    dedupe_points,
    evaluate_corpus,
    group_right,
    haversine_km,
    load_corpus,
    load_split,
    match_operations,
    match_places,
    score_article,
    select_part,
)
from mapapp.extract import Operation, PlacePoint
from places import Resolver

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"
KM_PER_DEGREE = 111.195  # of latitude, on the mean Earth radius


# --------------------------------------------------------------------- helpers


def gold_place(lat, lon, radius=DEFAULT_RADIUS_KM, name="G", cc="MA"):
    return GoldPlace(name=name, cc=cc, lat=lat, lon=lon, radius_km=radius)


def gold_op(*places, date=None, precision="unknown", arrested=None, group="unknown", agencies=()):
    return GoldOperation(
        date=date,
        date_precision=precision,
        places=tuple(places),
        arrested=arrested,
        affiliation=group,
        agencies=tuple(agencies),
    )


def point(lat, lon, name="P"):
    return PlacePoint(name, lat, lon, "MA", None, "city", name)


def predicted_op(
    *points, date=None, precision="unknown", arrested=None, group="unknown", agencies=()
):
    return Operation(
        source="a.txt",
        date=date,
        date_precision=precision,
        places=tuple(points),
        arrested=arrested,
        affiliation=group,
        affiliation_as_written=None,
        agencies=tuple(agencies),
        country="MA",
        evidence=(),
        confidence=1.0,
    )


def annotation(*operations, negative=False, country="MA", continent="Africa", file="a.txt"):
    return Annotation(
        path=Path(f"corpus/annotations/{file[:-4]}.json"),
        text_path=Path(f"corpus/articles/{file}"),
        file=file,
        published=None,
        country=country,
        continent=continent,
        negative=negative,
        operations=tuple(operations),
    )


# --------------------------------------------------------------------- places


def test_haversine_one_degree_of_latitude():
    assert haversine_km(34.0, -5.0, 35.0, -5.0) == pytest.approx(KM_PER_DEGREE, rel=1e-4)
    assert haversine_km(34.0, -5.0, 34.0, -5.0) == 0.0


@pytest.mark.parametrize(
    ("predicted", "gold", "pairs"),
    [
        # 0.2 degree of latitude is 22 km: inside the default 25 km, so a match.
        ([(34.2, -5.0)], [(34.0, -5.0, DEFAULT_RADIUS_KM)], [(0, 0)]),
        # 0.3 degree is 33 km: outside 25 km ...
        ([(34.3, -5.0)], [(34.0, -5.0, DEFAULT_RADIUS_KM)], []),
        # ... but inside a province's 60 km.
        ([(34.3, -5.0)], [(34.0, -5.0, 60)], [(0, 0)]),
        # Two predicted points near one gold town: one to one, the nearer wins.
        ([(34.1, -5.0), (34.05, -5.0)], [(34.0, -5.0, DEFAULT_RADIUS_KM)], [(1, 0)]),
        # One predicted point near two gold towns counts for the nearer only.
        ([(34.0, -5.0)], [(34.1, -5.0, 25), (34.02, -5.0, 25)], [(0, 1)]),
        # Nearest pairs first: p0 would take g1 (11 km) but p1 is nearer it (2 km),
        # and p0 still gets g0.
        (
            [(34.0, -5.0), (34.12, -5.0)],
            [(33.85, -5.0, 25), (34.1, -5.0, 25)],
            [(0, 0), (1, 1)],
        ),
        # No prediction, no gold.
        ([], [(34.0, -5.0, 25)], []),
        ([(34.0, -5.0)], [], []),
    ],
)
def test_match_places(predicted, gold, pairs):
    assert match_places([point(*p) for p in predicted], [gold_place(*g) for g in gold]) == pairs


def test_match_places_radius_is_inclusive():
    # "Within the radius" includes a point exactly on its edge.
    gold = gold_place(34.0, -5.0)
    edge = haversine_km(34.1, -5.0, 34.0, -5.0)
    on_edge = GoldPlace("G", "MA", 34.0, -5.0, radius_km=edge)
    assert match_places([point(34.1, -5.0)], [on_edge]) == [(0, 0)]
    just_inside = GoldPlace("G", "MA", 34.0, -5.0, radius_km=edge * 0.999)
    assert match_places([point(34.1, -5.0)], [just_inside]) == []
    assert gold.radius_km == DEFAULT_RADIUS_KM


def test_dedupe_points_keeps_first_and_membership():
    fes, meknes = point(34.03, -5.0, "Fes"), point(33.89, -5.55, "Meknes")
    fes_again = point(34.03, -5.0, "Fès")
    points, members = dedupe_points([[fes, meknes], [fes_again], [fes, fes_again]])
    assert [p.name for p in points] == ["Fes", "Meknes"]
    assert members == [{0, 1}, {0}, {0}]


@pytest.mark.parametrize(
    ("predicted", "gold", "place_pairs", "expected"),
    [
        # A shared matched place pairs the operations.
        ([{0}], [{0}], [(0, 0)], [(0, 0)]),
        # No matched place shared: no pair.
        ([{0}], [{0}], [], []),
        ([{0}], [{1}], [(0, 0)], []),
        # Most shared places first: p1 shares two places with g0, p0 one.
        ([{0}, {1, 2}], [{0, 1, 2}], [(0, 0), (1, 1), (2, 2)], [(1, 0)]),
        # One to one: p0 shares with both gold operations, takes g0 (tie: gold
        # order); p1 then takes g1.
        ([{0}, {1}], [{0, 1}, {0, 1}], [(0, 0), (1, 1)], [(0, 0), (1, 1)]),
        # One predicted operation spanning two gold operations matches one of them.
        ([{0, 1}], [{0}, {1}], [(0, 0), (1, 1)], [(0, 0)]),
    ],
)
def test_match_operations(predicted, gold, place_pairs, expected):
    assert match_operations(predicted, gold, place_pairs) == expected


# --------------------------------------------------------------------- details


@pytest.mark.parametrize(
    ("gold", "predicted", "right"),
    [
        (("2023-03-08", "day"), ("2023-03-08", "day"), True),
        (("2023-03-08", "day"), ("2023-03-09", "day"), False),
        (("2023-03", "month"), ("2023-03-08", "day"), False),
        (("2023-03", "month"), ("2023-03", "month"), True),
        ((None, "unknown"), (None, "unknown"), True),
        ((None, "unknown"), ("2023", "year"), False),
        (("2023", "year"), (None, "unknown"), False),
        # The precision decides: a date string under "unknown" is no date.
        ((None, "unknown"), ("2023-03-08", "unknown"), True),
        (("2023-03-08", "day"), ("2023-03-08", "unknown"), False),
    ],
)
def test_date_right(gold, predicted, right):
    assert date_right(*gold, *predicted) is right


@pytest.mark.parametrize(
    ("gold", "predicted", "right"),
    [(4, 4, True), (4, 5, False), (None, None, True), (2, None, False), (None, 3, False)],
)
def test_count_right(gold, predicted, right):
    assert count_right(gold, predicted) is right


@pytest.mark.parametrize(
    ("gold", "predicted", "right"),
    [
        ("ISIS", "ISIS", True),
        ("Daesh", "ISIS", True),
        ("Islamic State", "IS", True),
        ("unknown", "unknown", True),
        ("unknown", "", True),
        ("Boko Haram", "ISWAP", False),
        ("ISIS", "unknown", False),
    ],
)
def test_group_right(gold, predicted, right):
    assert group_right(gold, predicted) is right


@pytest.mark.parametrize(
    ("gold", "predicted", "right", "found"),
    [
        (["BCIJ"], ["BCIJ"], True, 1),
        (["BCIJ", "DGST"], ["dgst", "bcij"], True, 2),
        (["BCIJ"], ["BCIJ", "DGSN"], False, 1),
        (["BCIJ", "DGST"], ["BCIJ"], False, 1),
        (["Nigerian Army"], [], False, 0),
        ([], [], True, 0),
    ],
)
def test_agencies(gold, predicted, right, found):
    assert agencies_right(gold, predicted) is right
    assert agencies_found(gold, predicted) == found


# --------------------------------------------------------------------- articles


def test_negative_article_every_prediction_is_invented():
    score = score_article(
        annotation(negative=True),
        [predicted_op(point(34.0, -5.0)), predicted_op(point(35.0, -5.0))],
    )
    c = score.counts
    assert (c.negatives, c.negatives_with_operations) == (1, 1)
    assert (c.predicted_operations, c.matched_operations, c.invented_operations) == (2, 0, 2)
    assert (c.predicted_places, c.right_places, c.found_places, c.gold_places) == (2, 0, 0, 0)
    assert c.rates()["invented_share"] == 1.0
    assert c.rates()["recall"] is None
    assert [m["negative"] for m in score.misses.invented_operations] == [True, True]


def test_article_score_counts_and_misses():
    fes, meknes, oujda = (34.03, -5.0), (33.89, -5.55), (34.68, -1.91)
    gold = annotation(
        gold_op(
            gold_place(*fes, name="Fes"),
            gold_place(*meknes, name="Meknes"),
            date="2023-03-08",
            precision="day",
            arrested=4,
            group="Daesh",
            agencies=["BCIJ", "DGST"],
        ),
        gold_op(gold_place(*oujda, name="Oujda"), arrested=2),
    )
    predicted = [
        # Fes twice (in two operations) is one point; Meknes 5 km off still matches.
        predicted_op(
            point(*fes, "Fes"),
            point(33.89 + 5 / KM_PER_DEGREE, -5.55, "Meknes"),
            date="2023-03-09",
            precision="day",
            arrested=4,
            group="ISIS",
            agencies=["BCIJ"],
        ),
        predicted_op(point(*fes, "Fes"), point(30.42, -9.6, "Agadir")),
    ]
    score = score_article(gold, predicted)
    c = score.counts
    assert (c.gold_places, c.predicted_places, c.right_places, c.found_places) == (3, 3, 2, 2)
    assert (c.gold_operations, c.predicted_operations, c.matched_operations) == (2, 2, 1)
    assert c.invented_operations == 1
    assert (c.date_right, c.count_right, c.group_right, c.agencies_right) == (0, 1, 1, 0)
    assert (c.gold_agencies, c.agencies_found) == (2, 1)
    m = score.misses
    assert [x["name"] for x in m.places_not_found] == ["Oujda"]
    assert [x["name"] for x in m.places_not_in_gold] == ["Agadir"]
    assert [x["operation"] for x in m.operations_not_found] == [2]
    assert [x["places"] for x in m.invented_operations] == [["Fes", "Agadir"]]
    assert [(x["attribute"], x["gold"], x["predicted"]) for x in m.wrong_attributes] == [
        ("date", "2023-03-08 (day)", "2023-03-09 (day)"),
        ("agencies", ["BCIJ", "DGST"], ["BCIJ"]),
    ]


def test_points_are_right_each_on_its_own_and_find_one_place_each():
    # Two suburbs within the gold city's radius are both right points, but the city
    # is found once; one point between two close gold towns finds only one of them.
    sydney = gold_place(-33.87, 151.21, radius=40, name="Sydney")
    suburbs = [predicted_op(point(-33.92, 151.08, "Lakemba"), point(-33.90, 151.06, "Greenacre"))]
    c = score_article(annotation(gold_op(sydney)), suburbs).counts
    assert (c.predicted_places, c.right_places, c.gold_places, c.found_places) == (2, 2, 1, 1)
    rabat, sale = gold_place(34.013, -6.833, name="Rabat"), gold_place(34.053, -6.798, name="Sale")
    c = score_article(annotation(gold_op(rabat, sale)), [predicted_op(point(34.03, -6.82))]).counts
    assert (c.right_places, c.found_places) == (1, 1)
    assert c.rates()["recall"] == 0.5


def test_gold_points_shared_by_two_operations_are_one_place():
    town = gold_place(34.0, -5.0)
    score = score_article(
        annotation(gold_op(town), gold_op(town)), [predicted_op(point(34.0, -5.0))]
    )
    assert (score.counts.gold_places, score.counts.found_places) == (1, 1)
    assert (score.counts.gold_operations, score.counts.matched_operations) == (2, 1)


def test_aggregate_is_micro_averaged_by_country_and_continent():
    town = gold_place(34.0, -5.0)
    big = annotation(*(gold_op(gold_place(34.0 + n, -5.0)) for n in range(3)), file="big.txt")
    small = annotation(gold_op(town), country="ES", continent="Europe", file="small.txt")
    # big: 1 of 3 places found; small: 1 of 1. Micro average: 2 of 4, not (1/3 + 1) / 2.
    report = aggregate(
        [
            score_article(big, [predicted_op(point(34.0, -5.0))]),
            score_article(small, [predicted_op(point(34.0, -5.0))]),
        ]
    )
    assert report.totals.rates()["recall"] == 0.5
    assert list(report.by_country) == ["ES", "MA"]
    assert report.by_country["MA"].gold_places == 3
    assert report.by_continent["Europe"].rates()["recall"] == 1.0
    assert report.totals.articles == 2


def test_rates_are_none_without_a_denominator():
    assert set(Counts().rates().values()) == {None}


# --------------------------------------------------------------------- corpus checks


def write_corpus(tmp_path, doc, *, text="RABAT - Police arrested two men in Fes.\n"):
    folder = tmp_path / "corpus" / "x"
    (folder / "annotations").mkdir(parents=True)
    (folder / "articles").mkdir()
    path = folder / "annotations" / "a.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    if text is not None:
        (folder / "articles" / "a.txt").write_text(text, encoding="utf-8")
    return tmp_path / "corpus", path


def valid_doc():
    return json.loads(
        (FIXTURE / "africa" / "annotations" / "ma_2023_fes-meknes-cell.json")
        .read_text()
        .replace("ma_2023_fes-meknes-cell.txt", "a.txt")
    )


def _set(path, value):
    def change(doc):
        *parents, last = path
        target = doc
        for key in parents:
            target = target[key]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value

    return change


DELETE = object()
PLACE = ("operations", 0, "arrest_places", 1)
OP = ("operations", 0)

SCHEMA_ERRORS = [
    (_set((*PLACE, "lat"), DELETE), "operations[0].arrest_places[1]: 'lat' missing"),
    (
        _set((*PLACE, "lat"), "33.9"),
        "operations[0].arrest_places[1]: 'lat' is \"33.9\", not a number",
    ),
    (_set((*PLACE, "lon"), 200), "operations[0].arrest_places[1]: 'lon' is 200, out of range"),
    (_set((*PLACE, "cc"), "Morocco"), "'cc' is \"Morocco\", not a two-letter country code"),
    (_set((*PLACE, "radius_km"), 0), "'radius_km' must be more than 0"),
    (_set((*OP, "arrested"), "four"), "operations[0]: 'arrested' is \"four\", not a whole number"),
    (_set((*OP, "arrested"), True), "operations[0]: 'arrested' is true, not a whole number"),
    (_set((*OP, "date"), "2023-03"), "operations[0]: 'date' is \"2023-03\", not a date at day"),
    (_set((*OP, "date_precision"), "week"), "'date_precision' is \"week\", not one of day"),
    (_set((*OP, "date"), "2023-02-30"), "'date' is \"2023-02-30\", not a real date"),
    (_set((*OP, "agencies"), "BCIJ"), "operations[0]: 'agencies' is \"BCIJ\", not a list of text"),
    (_set((*OP, "arrest_places"), []), "operations[0]: 'arrest_places' is empty"),
    (_set(("operations",), {}), "'operations' is {}, not a list"),
    (_set(("operations", 0), 7), "operations[0]: is 7, not an object"),
    (_set(("negative",), "no"), "'negative' is \"no\", not true or false"),
    (_set(("negative",), True), "'negative' is true, but 1 operation(s) are given"),
    (_set(("published",), "9 March 2023"), "'published' is \"9 March 2023\", not a date"),
    (_set(("country",), DELETE), "'country' missing"),
    (_set(("file",), "../a.txt"), "'file' is \"../a.txt\": give a file name"),
]


@pytest.mark.parametrize(("change", "message"), SCHEMA_ERRORS)
def test_schema_errors_name_the_file_and_field(tmp_path, change, message):
    doc = valid_doc()
    change(doc)
    corpus, path = write_corpus(tmp_path, doc)
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_negative_false_without_operations_is_refused(tmp_path):
    doc = valid_doc()
    doc["operations"] = []
    corpus, path = write_corpus(tmp_path, doc)
    with pytest.raises(CorpusError, match="'negative' is false, but no operation is given"):
        load_corpus(corpus)


def test_valid_annotation_loads_with_default_radius(tmp_path):
    doc = valid_doc()
    del doc["operations"][0]["arrest_places"][0]["radius_km"]
    corpus, _ = write_corpus(tmp_path, doc)
    (loaded,) = load_corpus(corpus)
    assert loaded.operations[0].places[0].radius_km == DEFAULT_RADIUS_KM
    assert loaded.operations[0].affiliation == "Daesh"
    assert str(loaded.published) == "2023-03-09"


@pytest.mark.parametrize(
    ("doc", "text", "message"),
    [
        ('{"file": "a.txt",', "x", "not valid JSON (Expecting property name"),
        ("[1, 2]", "x", "not a JSON object"),
        (None, None, "'file': its article"),
    ],
)
def test_file_problems(tmp_path, doc, text, message):
    corpus, path = write_corpus(tmp_path, doc if doc is not None else valid_doc(), text=text)
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_empty_or_missing_corpus(tmp_path):
    with pytest.raises(CorpusError, match="no annotations"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "nowhere")


def test_two_annotations_with_one_stem_are_refused(tmp_path):
    for part in ("a", "b"):
        shutil.copytree(FIXTURE / "europe", tmp_path / part)
    with pytest.raises(CorpusError, match="is also the stem of"):
        load_corpus(tmp_path)


def test_split_parts_and_their_errors(tmp_path):
    annotations = load_corpus(FIXTURE)
    split = load_split(FIXTURE / "split.json")
    assert set(split) == {"dev", "test"}  # "about" is a note, not a part
    chosen, absent = select_part(annotations, split, "test")
    assert [a.stem for a in chosen] == ["ma_2022_cells-since-2002"]
    assert absent == []
    chosen, absent = select_part(
        annotations, {"dev": frozenset({"ma_2022_cells-since-2002", "zz"})}, "dev"
    )
    assert (len(chosen), absent) == (1, ["zz"])
    with pytest.raises(CorpusError, match="no part 'test'"):
        select_part(annotations, {"dev": frozenset()}, "test")
    with pytest.raises(CorpusError, match="none of the 1 stems"):
        select_part(annotations, {"dev": frozenset({"zz"})}, "dev")
    both = tmp_path / "split.json"
    both.write_text(json.dumps({"dev": ["a"], "test": ["a"]}))
    with pytest.raises(CorpusError, match="'a' is in both 'dev' and 'test'"):
        load_split(both)


# --------------------------------------------------------------------- the command


def run_cli(capsys, *argv):
    status = main(["evaluate", *map(str, argv)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("change", "message"), [SCHEMA_ERRORS[0], SCHEMA_ERRORS[5], SCHEMA_ERRORS[15]]
)
def test_cli_schema_error_is_one_line_and_exit_2(tmp_path, capsys, index_path, change, message):
    doc = valid_doc()
    change(doc)
    corpus, path = write_corpus(tmp_path, doc)
    status, out, err = run_cli(capsys, corpus, "--cache", tmp_path / "c.sqlite")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"error: {path}: ")
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--part", "dev"], "--part needs --split FILE"),
        (["--split", FIXTURE / "split.json"], "--split needs --part"),
        (["--split", FIXTURE / "nowhere.json", "--part", "dev"], "nowhere.json: cannot read"),
    ],
)
def test_cli_split_options(tmp_path, capsys, index_path, argv, message):
    status, out, err = run_cli(capsys, FIXTURE, *argv, "--cache", tmp_path / "c.sqlite")
    assert (status, out) == (2, "")
    assert message in err


def expected_totals():
    return {
        "articles": 4,
        "negatives": 2,
        "negatives_with_operations": 1,
        "gold_places": 5,
        "predicted_places": 6,
        "right_places": 4,
        "found_places": 4,
        "gold_operations": 3,
        "predicted_operations": 4,
        "matched_operations": 2,
        "invented_operations": 2,
        "date_right": 2,
        "count_right": 2,
        "group_right": 2,
        "agencies_right": 1,
        "gold_agencies": 2,
        "agencies_found": 1,
    }


@pytest.fixture
def fixture_report(tmp_path, index_path):
    with Resolver(cache_path=tmp_path / "c.sqlite", index_path=index_path) as resolver:
        return evaluate_corpus(FIXTURE, resolver)


def test_fixture_corpus_figures(fixture_report):
    data = fixture_report.to_json()
    assert data["totals"]["counts"] == expected_totals()
    totals = data["totals"]
    assert (totals["precision"], totals["recall"]) == (pytest.approx(4 / 6), 0.8)
    assert totals["operations_found"] == pytest.approx(2 / 3)
    assert totals["invented_share"] == pytest.approx(2 / 4)
    assert (totals["date_accuracy"], totals["group_accuracy"], totals["agency_recall"]) == (
        1.0,
        1.0,
        0.5,
    )
    africa = data["by_continent"]["Africa"]["counts"]
    assert (africa["articles"], africa["predicted_places"], africa["right_places"]) == (3, 5, 4)
    assert (africa["gold_operations"], africa["invented_operations"]) == (3, 1)
    europe = data["by_continent"]["Europe"]
    assert (europe["counts"]["invented_operations"], europe["precision"], europe["recall"]) == (
        1,
        0.0,
        None,
    )
    assert list(data["by_country"]) == ["ES", "MA", "NG"]
    assert data["by_country"]["NG"]["counts"]["gold_places"] == 3
    assert data["by_country"]["MA"]["counts"]["matched_operations"] == 1


def test_fixture_corpus_misses(fixture_report):
    m = fixture_report.misses
    assert [(x["article"], x["name"], x["cc"]) for x in m.places_not_found] == [
        ("ng_2021_bama-gwoza-damboa.txt", "Bama", "NG")
    ]
    assert [(x["article"], x["name"], x["gazetteer_name"]) for x in m.places_not_in_gold] == [
        ("ng_2021_bama-gwoza-damboa.txt", "Borno", "Borno"),
        ("es_2024_barcelona-cell-sentence.txt", "Barcelona", "Barcelona"),
    ]
    assert [(x["article"], x["operation"]) for x in m.operations_not_found] == [
        ("ng_2021_bama-gwoza-damboa.txt", 1)
    ]
    assert [(x["article"], x["negative"]) for x in m.invented_operations] == [
        ("ng_2021_bama-gwoza-damboa.txt", False),
        ("es_2024_barcelona-cell-sentence.txt", True),
    ]
    assert [(x["article"], x["attribute"], x["gold"]) for x in m.wrong_attributes] == [
        ("ng_2021_bama-gwoza-damboa.txt", "agencies", ["Nigerian Army"]),
    ]


def test_cli_json_of_a_part(tmp_path, capsys, index_path):
    split = FIXTURE / "split.json"
    cache = tmp_path / "c.sqlite"
    status, out, err = run_cli(
        capsys, FIXTURE, "--split", split, "--part", "dev", "--json", "--cache", cache
    )
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"totals", "by_country", "by_continent", "misses"}
    # The dev part is the whole fixture corpus but the empty negative.
    expected = {**expected_totals(), "articles": 3, "negatives": 1}
    assert data["totals"]["counts"] == expected
    assert "3 articles in" in err
    assert "articles/s" in err

    status, out, _ = run_cli(
        capsys,
        FIXTURE,
        "--split",
        split,
        "--part",
        "test",
        "--json",
        "--no-misses",
        "--cache",
        cache,
    )
    data = json.loads(out)
    assert set(data) == {"totals", "by_country", "by_continent"}
    assert data["totals"]["counts"]["articles"] == 1
    assert data["totals"]["counts"]["negatives"] == 1
    assert data["totals"]["counts"]["predicted_operations"] == 0


def test_cli_readable_report(tmp_path, capsys, index_path):
    status, out, _ = run_cli(capsys, FIXTURE, "--cache", tmp_path / "c.sqlite")
    assert status == 0
    lines = out.splitlines()
    assert "4 articles in" in lines[0]
    assert any(
        line.startswith("place precision") and "66.7%  4 of 6 predicted" in line for line in lines
    )
    assert any(
        line.startswith("operations found") and "2 of 3 gold operations" in line for line in lines
    )
    assert any(
        line.startswith("invented operations") and "1 of 2 negative" in line for line in lines
    )
    assert any(line.startswith("Africa") and "80.0% 4/5" in line for line in lines)
    assert any(line.startswith("NG") for line in lines)
    assert "gold places not found (1):" in lines
    assert "  ng_2021_bama-gwoza-damboa.txt: Bama (NG)" in lines
    assert "invented operations (2):" in lines
    assert any("agencies: gold [Nigerian Army], predicted []" in line for line in lines)

    status, out, _ = run_cli(capsys, FIXTURE, "--no-misses", "--cache", tmp_path / "c.sqlite")
    assert "place precision" in out
    assert "not found (" not in out
    assert "Bama" not in out


def test_cli_output_is_terminal_safe(tmp_path, capsys, index_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE, corpus)
    path = corpus / "europe" / "annotations" / "es_2024_barcelona-cell-sentence.json"
    doc = json.loads(path.read_text())
    doc["continent"] = "Eu\x1b]0;owned\x07rope"
    path.write_text(json.dumps(doc))
    path = corpus / "africa" / "annotations" / "ng_2021_bama-gwoza-damboa.json"
    doc = json.loads(path.read_text())
    doc["operations"][0]["arrest_places"][0]["name"] = "Ba\x1b[2Jma"
    path.write_text(json.dumps(doc))
    status, out, _ = run_cli(capsys, corpus, "--cache", tmp_path / "c.sqlite")
    assert status == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "Europe" in out
    assert "  ng_2021_bama-gwoza-damboa.txt: Bama (NG)" in out.splitlines()
