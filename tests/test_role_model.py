"""The trained arrest-place decision: features, the weights file, decide and explain.

Features are read from invented wire sentences of several countries through the
real extractor over a fake gazetteer; the model tests use tiny hand-written
weights, so they say what the code does whatever the shipped model has learnt.
"""

import json
import math
import subprocess
import sys

import pytest
from extract_fakes import FakeResolver, runner

from experiments.role_model.features import article_features, is_candidate
from experiments.role_model.model import (
    FORMAT,
    NOT_ARREST,
    VERSION,
    RoleModel,
    RoleModelError,
    decide,
    explain,
    extract_with_model,
    load_model,
    model_from_json,
)
from mapapp.extract import PlaceLookup
from mapapp.extract.roles import ARREST, DATELINE
from mapapp.extract.sentences import split_sentences

# name -> (lat, lon, country, precision)
TOWNS = {
    "Peshawar": (34.01, 71.58, "PK", "city"),
    "Lahore": (31.55, 74.34, "PK", "city"),
    "Kano": (12.00, 8.52, "NG", "city"),
    "Kaduna": (10.52, 7.44, "NG", "city"),
    "Maiduguri": (11.85, 13.16, "NG", "city"),
    "Jakarta": (-6.21, 106.85, "ID", "city"),
    "Surabaya": (-7.25, 112.75, "ID", "city"),
    "Bekasi": (-6.23, 106.99, "ID", "city"),
    "Raqqa": (35.95, 39.01, "SY", "city"),
    "Minneapolis": (44.98, -93.27, "US", "city"),
    "Kaduna State": (10.33, 7.75, "NG", "admin area"),
}


@pytest.fixture
def run():
    return runner(FakeResolver(TOWNS))


def features_of(result, text, name, nth=0):
    """The features of the ``nth`` mention written ``name``."""
    features = article_features(result.roles, split_sentences(text))
    found = [f for r, f in zip(result.roles, features, strict=True) if r.mention.text == name]
    return found[nth]


CASES = [
    # (country, text, place, features present (value 1.0 unless given), features absent)
    (
        "PK",
        "Police arrested four men in Peshawar on Monday.",
        "Peshawar",
        {
            "role=arrest": 1.0,
            "cue=arrest": 1.0,
            "prep=in": 1.0,
            "sentence_trigger": 1.0,
            "arrest_verb_in_sentence": 1.0,
            "count_in_sentence": 1.0,
            "precision=city": 1.0,
            "lead": 1.0,
            "only_place": 1.0,
        },
        {"in_list", "headline", "abroad", "no_arrest_in_article"},
    ),
    (
        "NG",
        "The suspects were detained in Kano, Kaduna and Maiduguri.",
        "Kaduna",
        {"role=arrest": 1.0, "in_list": 1.0, "list_size_log": math.log(3), "prep=in": 1.0},
        {"list_first"},
    ),
    (
        "NG",
        "The suspects were detained in Kano, Kaduna and Maiduguri.",
        "Kano",
        {"in_list": 1.0, "list_first": 1.0, "other_arrest_in_sentence": 1.0},
        set(),
    ),
    (
        "ID",
        "One of the men was born in Surabaya, police said.",
        "Surabaya",
        {"role=origin": 1.0, "cue=origin": 1.0, "speech_verb_in_sentence": 1.0},
        {"role=arrest", "arrest_verb_in_sentence"},
    ),
    (
        "ID",
        "Densus 88 arrested two men in Bekasi, 20 km east of Jakarta.",
        "Jakarta",
        {"role=reference point": 1.0, "cue=reference point": 1.0, "prep=of": 1.0},
        {"role=arrest"},
    ),
    (
        "PK",
        "Police arrest seven in Lahore\n\nThe men were planning attacks, officials said.",
        "Lahore",
        {"headline": 1.0, "first_paragraph": 1.0},
        {"lead"},
    ),
    (
        "US",
        "MINNEAPOLIS (Reuters) - Six men were charged on Tuesday with trying to join a group.",
        "MINNEAPOLIS",
        {"role=dateline": 1.0, "cue=dateline": 1.0, "trial_verb_in_sentence": 1.0},
        {"role=arrest"},
    ),
]


@pytest.mark.parametrize(("country", "text", "place", "present", "absent"), CASES)
def test_features_of_sentences_from_several_countries(run, country, text, place, present, absent):
    result = run(text)
    features = features_of(result, text, place)
    for name, value in present.items():
        assert features.get(name) == pytest.approx(value), (country, place, name, features)
    for name in absent:
        assert name not in features, (country, place, name)


def test_a_place_named_again_knows_it_was_an_arrest_place(run):
    text = (
        "Police arrested a man in Kano on Friday.\n\n"
        "Kano is the largest city of the north, and the suspect had travelled to Raqqa."
    )
    result = run(text)
    again = features_of(result, text, "Kano", nth=1)
    assert again["arrest_elsewhere"] == 1.0
    assert again["named_in_trigger_sentence"] == 1.0
    assert again["times_named_log"] == pytest.approx(math.log(2))
    assert features_of(result, text, "Kano")["times_named_log"] == pytest.approx(math.log(2))
    raqqa = features_of(result, text, "Raqqa")
    assert raqqa["abroad"] == 1.0
    assert raqqa["role=conflict zone or travel"] == 1.0
    assert raqqa["sentence_trigger"] == 1.0  # "the suspect"


def test_distance_to_the_arrest_word_is_in_words(run):
    near = "Police arrested a man in Kano."
    far = "Police arrested a man whose cousin, a trader well known in the markets, lived in Kano."
    a = features_of(run(near), near, "Kano")["trigger_words_log"]
    b = features_of(run(far), far, "Kano")["trigger_words_log"]
    assert a == pytest.approx(math.log1p(3))  # "a man in"
    assert b > a


def test_countries_and_unplaced_names_are_not_decided(run):
    result = run("Police in Morocco arrested a man in Casablanca and Xyzzyville.")
    decided = {r.mention.text: is_candidate(r) for r in result.roles}
    assert decided["Casablanca"] is True
    assert decided["Morocco"] is False


def test_features_of_an_article_without_places_is_empty():
    assert article_features([], split_sentences("Nothing here.")) == []


# ------------------------------------------------------------------ the weights file


def weights(**overrides):
    data = {
        "format": FORMAT,
        "version": VERSION,
        "features": ["role=arrest", "role=origin"],
        "coefficients": [3.0, -1.0],
        "intercept": -1.0,
        "threshold": 0.5,
    }
    data.update(overrides)
    return data


def test_the_loader_reads_a_weights_file(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(weights(about={"articles": 3})), encoding="utf-8")
    model = load_model(path)
    assert model.features == ("role=arrest", "role=origin")
    assert model.weights == {"role=arrest": 3.0, "role=origin": -1.0}
    assert model.about == {"articles": 3}
    assert model.probability({"role=arrest": 1.0}) == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert model_from_json(model.to_json()) == model


def test_the_packaged_model_loads_and_is_plain_python():
    model = load_model()
    assert len(model.features) == len(model.coefficients) > 10
    assert 0 < model.threshold < 1
    assert model.about["trained_by"] == "python -m experiments.role_model.train"
    # Deciding never needs scikit-learn.
    code = (
        "import sys; from experiments.role_model.model import load_model; load_model(); "
        "assert 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"coefficients": [3.0]}, "'coefficients' has 1 numbers for 2 features"),
        ({"coefficients": [3.0, 1.0, 2.0]}, "'coefficients' has 3 numbers for 2 features"),
        ({"coefficients": {"role=arrest": 3.0}}, "'coefficients' is not a list"),
        ({"features": "role=arrest"}, "'features' is not a list of feature names"),
        ({"features": ["a", "a"]}, "names a feature twice"),
        ({"coefficients": [3.0, "x"]}, "coefficients[1] is 'x', not a finite number"),
        ({"coefficients": [3.0, float("nan")]}, "not a finite number"),
        ({"intercept": None}, "'intercept' is None"),
        ({"threshold": 1.5}, "'threshold' is 1.5, not between 0 and 1"),
        ({"format": "pickle"}, "'format' is 'pickle'"),
        ({"version": 2}, "'version' is 2, not 1"),
    ],
)
def test_a_weights_file_of_the_wrong_shape_is_refused(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(weights(**change)), encoding="utf-8")
    with pytest.raises(RoleModelError) as caught:
        load_model(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_a_missing_key_or_bad_json_is_refused(tmp_path):
    data = weights()
    del data["threshold"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RoleModelError, match="'threshold' missing"):
        load_model(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RoleModelError, match="not valid JSON"):
        load_model(path)
    with pytest.raises(RoleModelError, match="cannot read"):
        load_model(tmp_path / "absent.json")


def test_a_model_built_with_the_wrong_shape_is_refused():
    with pytest.raises(RoleModelError, match="1 coefficients for 2 features"):
        RoleModel(("a", "b"), (1.0,), 0.0, 0.5)


# ------------------------------------------------------------------ decide and explain


def model(weights_by_name, intercept=0.0, threshold=0.5):
    names = tuple(weights_by_name)
    return RoleModel(names, tuple(weights_by_name[n] for n in names), intercept, threshold)


ARTICLE = (
    "Police arrested four men in Peshawar on Monday.\n\n"
    "One of them was born in Lahore, officials said."
)


def test_decide_keeps_the_rules_when_the_weights_agree(run):
    result = run(ARTICLE)
    agrees = model({"role=arrest": 4.0}, intercept=-2.0)
    decided = decide(result.roles, split_sentences(ARTICLE), agrees)
    assert decided == list(result.roles)


def test_decide_changes_a_decision_when_the_weights_say_so(run):
    result = run(ARTICLE)
    roles = {r.mention.text: r.role for r in result.roles}
    assert roles == {"Peshawar": ARREST, "Lahore": "origin"}
    # Origins are arrest places, and Peshawar is not, by these weights.
    flipped = model({"role=origin": 4.0, "count_in_sentence": -4.0}, intercept=-1.0)
    decided = {r.mention.text: r for r in decide(result.roles, split_sentences(ARTICLE), flipped)}
    assert decided["Lahore"].role == ARREST
    assert decided["Lahore"].cue.startswith("model 0.95; rules: origin")
    assert decided["Peshawar"].role == NOT_ARREST
    rule_cue = next(r.cue for r in result.roles if r.mention.text == "Peshawar")
    assert decided["Peshawar"].cue == f"model 0.01; rules: {rule_cue}"


def test_decide_leaves_countries_and_unplaced_names_to_the_rules(run):
    text = "RABAT (AP) - Police in Morocco arrested two men in Casablanca and Xyzzyville."
    result = run(text)
    rules = {r.mention.text: r.role for r in result.roles}
    everything = model({}, intercept=10.0)  # every decided mention an arrest place
    nothing = model({}, intercept=-10.0)  # none
    yes = {r.mention.text: r.role for r in decide(result.roles, split_sentences(text), everything)}
    no = {r.mention.text: r.role for r in decide(result.roles, split_sentences(text), nothing)}
    assert yes["Casablanca"] == ARREST
    assert no["Casablanca"] == NOT_ARREST
    assert yes["RABAT"] == ARREST  # a placed dateline is decided too
    assert no["RABAT"] == rules["RABAT"] == DATELINE
    for name in ("Morocco", "Xyzzyville"):  # a country, a name not placed
        assert yes[name] == no[name] == rules[name]


def test_extract_with_model_builds_operations_from_the_models_places():
    lookup = PlaceLookup(FakeResolver(TOWNS))
    flipped = model({"role=origin": 4.0, "count_in_sentence": -4.0}, intercept=-1.0)
    result = extract_with_model(ARTICLE, model=flipped, lookup=lookup, source="t.txt")
    assert [[p.name for p in op.places] for op in result.operations] == [["Lahore"]]
    assert {r.mention.text: r.role for r in result.roles}["Peshawar"] == NOT_ARREST
    rules = extract_with_model(
        ARTICLE, model=model({"role=arrest": 4.0}, -2.0), lookup=lookup, source="t.txt"
    )
    assert [[p.name for p in op.places] for op in rules.operations] == [["Peshawar"]]


def test_extract_with_model_restores_the_extractor(run):
    from mapapp.extract import extractor, operations

    lookup = PlaceLookup(FakeResolver(TOWNS))
    with pytest.raises(AttributeError):
        extract_with_model("In Kano.", model=None, lookup=lookup)  # decide fails inside
    assert extractor.group_operations is operations.group_operations


def test_explain_gives_the_largest_contributions_first():
    m = model({"role=arrest": 2.0, "prep=in": 0.5, "abroad": -3.0, "headline": 0.0})
    features = {"role=arrest": 1.0, "prep=in": 1.0, "abroad": 1.0, "headline": 1.0, "new": 1.0}
    assert explain(features, m) == [
        ("abroad", 1.0, -3.0),
        ("role=arrest", 1.0, 2.0),
        ("prep=in", 1.0, 0.5),
    ]
    assert explain(features, m, top=1) == [("abroad", 1.0, -3.0)]
    assert explain({"trigger_words_log": 2.0}, model({"trigger_words_log": -0.5})) == [
        ("trigger_words_log", 2.0, -1.0)
    ]


def test_explain_sums_to_the_score(run):
    result = run(ARTICLE)
    shipped = load_model()
    for features in article_features(result.roles, split_sentences(ARTICLE)):
        parts = explain(features, shipped, top=1000)
        assert shipped.intercept + sum(p[2] for p in parts) == pytest.approx(
            shipped.score(features)
        )


def test_datelines_have_their_own_cue_kind(run):
    text = "PESHAWAR - Police arrested two men on Monday."
    result = run(text)
    dateline = next(r for r in result.roles if r.role == DATELINE)
    features = article_features(result.roles, split_sentences(text))[result.roles.index(dateline)]
    assert features["cue=dateline"] == 1.0
    assert features["sentence_trigger"] == 1.0
