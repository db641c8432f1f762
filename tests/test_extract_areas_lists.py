"""Areas, facilities and long lists, read from whole sentences with the real gazetteer.

Issue 11's classes: an area word written in lower case beside a name or once for a
list ("the Almaty region", "the provinces of Tehran, Alborz, Fars and Khuzestan");
areas kept beside a town that does not lie in them; an airport or a camp placed at
its town; a hyphened "Saint-" name inside a list; two far towns of one country
written "A, B" read as a list, not as a district and its city. Sentences are our
own, from several countries.
"""

import pytest

from mapapp.extract import PlaceLookup, extract_article
from mapapp.extract.areas import singular, typed_names
from mapapp.extract.mentions import Mention
from places import Resolution, Resolver


@pytest.fixture(scope="module")
def lookup(tmp_path_factory, index_path):
    cache = tmp_path_factory.mktemp("areas") / "cache.sqlite"
    with Resolver(cache_path=cache, index_path=index_path) as resolver:
        yield PlaceLookup(resolver)


def operation_places(lookup, text):
    result = extract_article(text, lookup=lookup)
    return [(p.name, p.precision) for op in result.operations for p in op.places]


def _mention(text, sentence, name):
    start = sentence.index(name)
    return Mention(name, 0, start, start + len(name), Resolution(name, error="unused"))


@pytest.mark.parametrize(
    ("sentence", "names", "typed"),
    [
        ("detained in the southern Almaty region", ["Almaty"], {0: "Almaty region"}),
        (
            "arrested in the provinces of Tehran, Alborz and Fars",
            ["Tehran", "Alborz", "Fars"],
            {0: "Tehran province", 1: "Alborz province", 2: "Fars province"},
        ),
        (
            "held in the Western Kazakhstan and Aktobe regions",
            ["Kazakhstan", "Aktobe"],
            {0: "Kazakhstan region", 1: "Aktobe region"},
        ),
        # A singular noun after a list types its last member only.
        ("raids in Kassel and the Hesse state", ["Kassel", "Hesse"], {1: "Hesse state"}),
        ("arrested in Nangade district", ["Nangade"], {0: "Nangade district"}),
        ("arrested in Kaduna and Kano", ["Kaduna", "Kano"], {}),
        # A name already written with its word is not typed twice.
        ("arrested in Bauchi State", ["Bauchi State"], {}),
    ],
)
def test_typed_names(sentence, names, typed):
    mentions = [_mention(sentence, sentence, n) for n in names]
    assert typed_names(sentence, mentions) == typed


def test_singular():
    assert [singular(w) for w in ("regions", "counties", "Provinces", "state")] == [
        "region",
        "county",
        "province",
        "state",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Iran: a list of provinces; the city of Tehran does not swallow Fars.
        (
            "The 14 suspects were arrested in the provinces of Tehran, Alborz, Fars and "
            "Khuzestan, the ministry said.",
            # The record keeps the names as the areas they are.
            {"Tehran province", "Alborz province", "Fars province", "Khuzestan province"},
        ),
        # Spain: the region of the towns is dropped, being where they are.
        (
            "Police arrested four men in Terrassa and Sabadell, Catalonia, on Tuesday.",
            {"Terrassa", "Sabadell"},
        ),
        # A possessive owner before the place situates it, like an adjective.
        (
            "Soldiers detained five suspects in southern Thailand's Pattani province on Friday.",
            {"Pattani province"},
        ),
        (
            "Fourteen men were arrested in Tajikistan's Shahrtuz District last month.",
            {"Shahrtuz District"},
        ),
        # Belgium: a "Saint-" name inside a long list, and far towns written "A, B".
        (
            "Searches were carried out in the cities of Seraing, Antwerp, "
            "Saint-Josse-ten-Noode, Menen and Ghent, and seven people were arrested.",
            {"Seraing", "Antwerp", "Saint-Josse-ten-Noode", "Menen", "Ghent"},
        ),
    ],
)
def test_operation_places(lookup, text, expected):
    assert {name for name, _ in operation_places(lookup, text)} == expected


@pytest.mark.parametrize(
    ("text", "name", "precision"),
    [
        (
            "Police in Kazakhstan detained two men in the Almaty region on Monday.",
            "Almaty region",
            "admin area",
        ),
        # "State" closing a name is the area's, not an organisation's.
        (
            "Nigerian troops arrested five men in Kaduna State on Monday.",
            "Kaduna State",
            "admin area",
        ),
        (
            "The Islamic State claimed the attack. Police arrested two men in Kano State.",
            "Kano State",
            "admin area",
        ),
        (
            "FBI agents arrested him at the Charleston International Airport, South "
            "Carolina, on Thursday.",
            "Charleston International Airport",
            "sub-city",
        ),
        (
            "Malaysian police arrested a contractor at Kuala Lumpur International Airport "
            "on May 17.",
            "Kuala Lumpur International Airport",
            "sub-city",
        ),
    ],
)
def test_areas_and_facilities_in_articles(lookup, text, name, precision):
    assert (name, precision) in operation_places(lookup, text)


@pytest.mark.parametrize(
    ("name", "hint", "town", "cc"),
    [
        ("Charleston International Airport", "US", "Charleston", "US"),
        ("Kuala Lumpur International Airport", None, "Kuala Lumpur", "MY"),
        ("Dadaab refugee camp", "KE", "Dadaab", "KE"),
        ("Molenbeek neighbourhood", "BE", None, "BE"),
    ],
)
def test_facilities_are_placed_at_their_town(lookup, name, hint, town, cc):
    res = lookup.resolver.resolve(name, country=hint)
    assert res.ok, res.error
    assert res.precision == "sub-city"
    assert res.points[0].country_code == cc
    if town:
        assert res.points[0].name == town


@pytest.mark.parametrize(
    ("name", "cc"), [("Netherlands", "NL"), ("the Netherlands", "NL"), ("Gambia", "GM")]
)
def test_countries_with_or_without_their_article(lookup, name, cc):
    res = lookup.resolver.resolve(name)
    assert res.ok, res.error
    assert res.precision == "country"
    assert res.points[0].country_code == cc


def operations_of(lookup, text):
    return [
        sorted(p.name for p in op.places) for op in extract_article(text, lookup=lookup).operations
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A headline's area and the towns below in it tell of one operation.
        (
            "Morocco: three AQIM recruiters arrested in Larache region\n\n"
            "The suspects were detained on January 28 in Larache and Ksar El Kebir.",
            [["Ksar El Kebir", "Larache"]],
        ),
        (
            "Guardia Civil breaks up Daesh cell in Catalonia\n\n"
            "Police arrested five men in raids in Badalona and Mataro.",
            [["Badalona", "Mataro"]],
        ),
        # "In a separate operation" starts another, whatever the headline says.
        (
            "Nigerian troops arrest 12 Boko Haram suspects in Borno\n\n"
            "Troops arrested 12 suspected Boko Haram members in Bama on Friday.\n\n"
            "In a separate operation, soldiers detained two ISWAP suppliers in Gwoza and "
            "Damboa on Thursday.",
            [["Bama"], ["Damboa", "Gwoza"]],
        ),
        # A date line between headline and lead does not hide the lead.
        (
            "Spain detains 17 in Catalonia anti-terror operation\n\n"
            "January 15, 2019\n\n"
            "MADRID (AP) - Authorities in Catalonia said 17 people were arrested on Tuesday.\n\n"
            "She said six premises had been searched in and around Barcelona.",
            [["Barcelona"]],
        ),
        # A town named again on another date is another operation.
        (
            "Iraqi forces arrested four suspects in Kirkuk on 3 March 2020.\n\n"
            "In January 2020, police had arrested two other men in Kirkuk.",
            [["Kirkuk"], ["Kirkuk"]],
        ),
        (
            "Iraqi forces arrested four suspects in Kirkuk on 3 March 2020. The men were "
            "held in Kirkuk on 3 March, police said.",
            [["Kirkuk"]],
        ),
        # "A similar case" is another operation.
        (
            "Police detained 14 people in Nurek, in the Khatlon Region, the ministry said.\n\n"
            "The ministry confirmed a similar case in the Shahrtuz District, where eight "
            "teenagers were detained.",
            [["Nurek"], ["Shahrtuz District"]],
        ),
    ],
)
def test_operations_from_headline_and_body(lookup, text, expected):
    assert operations_of(lookup, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A common word that GeoNames files as another country's town by an alternate
        # name does not vouch for its own country.
        "Thai soldiers detained five suspects in the Deep South on Friday.",
        "Iraqi forces arrested two men in the Valley on Monday.",
    ],
)
def test_a_stray_word_abroad_is_not_placed(lookup, text):
    assert operation_places(lookup, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A capital named by its country's demonym, or by the article's country.
        (
            "Tajik police detained 12 men near the Russian base in the Tajik capital.",
            [("Dushanbe", "city")],
        ),
        ("Kenyan police arrested three suspects in the capital on Monday.", [("Nairobi", "city")]),
        # A name after it is its own mention; "the capital of X" names X.
        ("Police arrested three men in the Kenyan capital, Nairobi.", [("Nairobi", "city")]),
        (
            "Police arrested two men in Mombasa, far from the Kenyan capital.",
            [("Mombasa", "city")],
        ),
    ],
)
def test_capitals_named_by_their_country(lookup, text, expected):
    assert operation_places(lookup, text) == expected
