"""Details of operations read from the whole article (issue 11).

The count, date and group are often in the headline or the lead sentence, and the
places a sentence later; dates and counts of past attacks, trials, ranges and
statistics never become the operation's; the day a source spoke, or a dateline's
date, gives way to the day the text says the arrests were made. Articles and
sentences are our own, from several countries.
"""

import datetime as dt

import pytest
from extract_fakes import FakeResolver, runner

from mapapp.extract.dates import date_in, first_date
from mapapp.extract.numbers import count_people

TOWNS = {
    "Arnhem": (51.98, 5.91, "NL", "city"),
    "Weert": (51.25, 5.71, "NL", "city"),
    "Brest": (48.39, -4.49, "FR", "city"),
    "Mymensingh": (24.75, 90.4, "BD", "city"),
    "Bursa": (40.19, 29.06, "TR", "city"),
    "Kampala": (0.32, 32.58, "UG", "city"),
    "Strasbourg": (48.58, 7.75, "FR", "city"),
    "Almaty": (43.25, 76.92, "KZ", "city"),
}


@pytest.fixture(scope="module")
def run():
    return runner(FakeResolver(TOWNS))


def details(result):
    return [(op.date, op.arrested, op.affiliation) for op in result.operations]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # The lead gives count and day; the places come in the next paragraph.
        (
            "Seven men were detained on Thursday on suspicion of plotting an attack.\n\n"
            "Police arrested them in the towns of Arnhem and Weert.",
            dt.date(2018, 9, 29),
            [("2018-09-27", 7, "unknown")],
        ),
        (
            "Seven men suspected of planning an attack were arrested by security forces on "
            "Monday, sources told AFP.\n\n"
            "The arrests were made in the western city of Brest.",
            dt.date(2020, 1, 21),
            [("2020-01-20", 7, "unknown")],
        ),
        # The headline gives count and group; the body the place.
        (
            "Four suspected Daesh militants arrested\n\n"
            "An elite team raided a house in Mymensingh district early on Saturday, "
            "the battalion said.",
            dt.date(2021, 9, 5),
            [("2021-09-04", 4, "ISIS")],
        ),
        # A headline that drops the noun: "police arrest seven".
        (
            "Turkish police detain 38 over Islamic State links\n\n"
            "The suspects were held in raids across Bursa province on Tuesday.",
            dt.date(2017, 2, 8),
            [("2017-02-07", 38, "ISIS")],
        ),
    ],
)
def test_lead_and_headline_details_reach_the_operation(run, text, published, expected):
    assert details(run(text, published=published)) == expected


def test_details_of_two_operations_go_to_their_own(run):
    text = (
        "Ugandan police arrested 16 suspects in raids on Monday, a spokesman said.\n\n"
        "They were detained in Kampala.\n\n"
        "Last May, police detained a teenager in the eastern city of Strasbourg."
    )
    result = run(text, published=dt.date(2022, 6, 8))
    by_place = {op.places[0].name: (op.date, op.arrested) for op in result.operations}
    assert by_place == {"Kampala": ("2022-06-06", 16), "Strasbourg": ("2022-05", 1)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dates of past attacks, trials and ranges are not the operation's.
        ("Police arrested two men since the attacks of 12 March 2011 in the city.", None),
        ("Twenty men were detained on Friday over the Dec. 17 attack on the bus.", "2022-12-30"),
        ("He was arrested in 2019 and sentenced on Monday.", "2019"),
        ("The five men carried out attacks between 2010 and 2013.", None),
        ("A weekly review, 16 October – 22 October: a man arrested on 14 October.", "2022-10-14"),
        # The day a source spoke is used only when no other day is given, and then
        # only for its month; so is a page's stamp or a dateline credit's date.
        ("The ministry said on Friday that the men had been arrested on Thursday.", "2022-12-29"),
        ("The ministry said on Friday that the men had been arrested.", "2022-12"),
        ("In its statement on Thursday, Sapo said four people had been arrested.", "2022-12"),
        ("MOSCOW (Sputnik - 24th October, 2022) The FSB detained two men.", "2022-10"),
        ("NEW DELHI, Dec 26: The NIA arrested five men.", "2022-12-26"),
        # Numeric dates, day first, and "last May".
        ("He was arrested from Chennai on 12.07.2017.", "2017-07-12"),
        ("Last May, police detained a teenager.", "2022-05"),
    ],
)
def test_dates_of_the_arrests_not_of_past_events(text, expected):
    found = date_in(text, published=dt.date(2022, 12, 31))
    assert (found[0] if found else None) == expected


def test_a_dateline_date_gives_way_to_the_text(run):
    text = (
        "ALMATY, March 9 (Reuters) - Police arrested three suspected militants in "
        "Almaty on March 8, the interior ministry said."
    )
    (operation,) = run(text, published=dt.date(2024, 3, 9)).operations
    assert operation.date == "2024-03-08"


def test_a_dateline_date_is_kept_when_the_text_gives_none():
    assert first_date(
        ["ALMATY, March 9 (Reuters) - Police arrested three men."], published=dt.date(2024, 3, 10)
    ) == ("2024-03-09", "day")


@pytest.mark.parametrize(
    ("weekday", "published", "expected"),
    [
        ("Monday", dt.date(2024, 3, 13), "2024-03-11"),
        ("Wednesday", dt.date(2024, 3, 13), "2024-03-13"),
        ("Sunday", dt.date(2019, 1, 1), "2018-12-30"),
    ],
)
def test_a_publication_date_resolves_weekdays(run, weekday, published, expected):
    text = f"Police arrested two men in Almaty on {weekday}."
    (operation,) = run(text, published=published).operations
    assert (operation.date, operation.date_precision) == (expected, "day")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("French police arrest seven over terror plot", 7),
        ("Kazakh police detained 12 in raids", 12),
        ("Police arrested a number of suspects", None),
        ("He was arrested in 2019", None),
        ("Police detained two of the men", None),
        ("Densus 88 detains 10 terrorism suspects in Central Java", 10),
        ("Officers arrested four males in an investigation", 4),
        # One person without a number, and nationalities as people.
        ("Police did not name the 24-year-old man it arrested yesterday.", 1),
        ("the 18-year-old arrested on Friday evening in Vienna", 1),
        ("after the FBI arrested him last night", 1),
        ("the committee detained an adherent of a banned movement", 1),
        ("four ethnic Albanians suspected of terrorism have been arrested", 4),
        ("police detained three Tajiks in raids", 3),
        ("Police arrested a further five suspects", 5),
    ],
)
def test_counts_after_an_arrest_verb(text, count):
    assert count_people(text) == count


def test_a_lead_total_wins_over_one_man_of_the_places_sentence(run):
    text = (
        "Officers arrested four males in an investigation into suspected offences.\n\n"
        "A 27-year-old man was arrested at an address in Kampala; a 31-year-old and a "
        "17-year-old were held at a second address in Kampala."
    )
    (operation,) = run(text).operations
    assert operation.arrested == 4


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # News in the present perfect, dated nowhere: the month of publication.
        (
            "Four men have been arrested in Arnhem on suspicion of plotting an attack.",
            dt.date(2018, 9, 29),
            ("2018-09", "month"),
        ),
        (
            "Ugandan police has detained a suspect in Kampala.",
            dt.date(2022, 6, 21),
            ("2022-06", "month"),
        ),
        # Without a publication date, or in the simple past, it stays unknown.
        ("Four men have been arrested in Arnhem.", None, (None, "unknown")),
        ("Four men were arrested in Arnhem.", dt.date(2018, 9, 29), (None, "unknown")),
        # A date in the text still wins.
        (
            "Four men have been arrested in Brest on Tuesday.",
            dt.date(2020, 11, 26),
            ("2020-11-24", "day"),
        ),
    ],
)
def test_recent_news_is_dated_to_its_month(run, text, published, expected):
    (operation,) = run(text, published=published).operations
    assert (operation.date, operation.date_precision) == expected
