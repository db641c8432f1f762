"""The groups table: one sentence in, the group out, for reports from many countries.

The records' normaliser and the extractor's group finder read the same table
(``mapapp/data/groups.csv``), so what one finds the other names the same way.
"""

import pytest

from mapapp.extract.groups import find_groups
from mapapp.records.affiliations import (
    GROUPS,
    KNOWN_AFFILIATIONS,
    name_key,
    normalise_affiliation,
    vocabulary_lookup,
)


@pytest.mark.parametrize(
    ("sentence", "group", "as_written"),
    [
        # Morocco and Spain: the first corpus.
        ("The BCIJ dismantled a Daesh-linked cell in Fes.", "ISIS", "Daesh"),
        ("Police detained two pro-ISIS individuals in Tetouan.", "ISIS", "pro-ISIS"),
        ("They had sworn allegiance to the Islamic State group.", "ISIS", "Islamic State group"),
        ("A cell loyal to Estado Islamico was broken up in Ceuta.", "ISIS", "Estado Islamico"),
        # Sahel and West Africa.
        ("Two men linked to Katiba Macina were held in Kidira.", "JNIM", "Katiba Macina"),
        (
            "The Group to Support Islam and Muslims claimed the attack.",
            "JNIM",
            "Group to Support Islam and Muslims",
        ),
        ("Al-Murabitoun claimed the raid on the nightclub.", "Al-Mourabitoun", "Al-Murabitoun"),
        (
            "Troops detained two Islamic State West Africa Province suppliers.",
            "ISWAP",
            "Islamic State West Africa Province",
        ),
        (
            "Fighters of the Islamic State in the Greater Sahara were arrested.",
            "ISGS",
            "Islamic State in the Greater Sahara",
        ),
        ("Members of al-Qaida in the Islamic Maghreb (AQIM) were held.", "AQIM", None),
        ("Soldiers arrested 12 suspected Boko Haram fighters.", "Boko Haram", "Boko Haram"),
        # East Africa.
        ("An Al Shabab member was captured in Addis Ababa.", "Al-Shabaab", "Al Shabab"),
        ("Suspects linked to the Allied Democratic Forces (ADF).", "ADF", None),
        # South and Central Asia.
        ("The Rapid Action Battalion arrested four JMB militants.", "JMB", "JMB"),
        ("Police held three Neo-JMB members in Dhaka.", "Neo-JMB", "Neo-JMB"),
        ("Five Tehreek-e-Taliban Pakistan militants were held.", "TTP", None),
        ("A Lashkar-e-Toiba operative was arrested in Srinagar.", "Lashkar-e-Taiba", None),
        ("The men belonged to the Daesh-Khorasan grouplet.", "ISKP", "Daesh-Khorasan"),
        ("Two ISIS-K recruiters were detained in Kabul.", "ISKP", "ISIS-K"),
        (
            "Members of Katibat al-Tawhid wal Jihad were detained.",
            "Katibat al-Tawhid wal Jihad",
            None,
        ),
        # South-east Asia.
        (
            "Some suspects were tied to the Jamaah Islamiyah (JI) network.",
            "Jemaah Islamiyah",
            None,
        ),
        ("Densus 88 arrested three JAD members in Surabaya.", "JAD", "JAD"),
        ("Soldiers caught eleven members of the Maute group.", "Maute group", "Maute group"),
        ("An Abu Sayyaf sub-leader surrendered in Sulu.", "Abu Sayyaf", "Abu Sayyaf"),
        # Middle East.
        ("Police arrested a Hezbollah financier.", "Hezbollah", "Hezbollah"),
        ("Shin Bet said the cell was directed by Hamas.", "Hamas", "Hamas"),
        ("Turkish police detained 12 suspected PKK members.", "PKK", "PKK"),
        # Europe.
        ("Guardia Civil officers arrested two former ETA members.", "ETA", "ETA"),
        ("Police arrested two suspected New IRA members in Derry.", "Dissident republicans", None),
        ("Two men were charged with membership of National Action.", "National Action", None),
        ("Police raided homes of Reichsbürger suspects.", "Reichsbürger", "Reichsbürger"),
    ],
)
def test_sentence_in_group_out(sentence, group, as_written):
    found = find_groups(sentence)
    assert found, sentence
    assert found[0].name == group
    if as_written is not None:
        assert found[0].as_written == as_written
    # What the finder read, the records' normaliser names the same way.
    assert normalise_affiliation(found[0].as_written) == group


@pytest.mark.parametrize(
    "sentence",
    [
        "ARRESTS IS NOT THE END OF THE CELL",  # a two-letter acronym in a shouted headline
        "The anti-IS coalition bombed the town.",  # glued after a hyphen
        "Troops returned to the base of the regiment.",  # "The Base" only as written
        "The national action plan was adopted.",  # "National Action" only as written
        "This is the point: is it over?",  # "IS" only in capitals
    ],
)
def test_words_that_are_not_groups(sentence):
    assert find_groups(sentence) == []


def test_longest_name_wins():
    [found] = find_groups("Fighters of the Islamic State Sahel Province were held.")
    assert (found.name, found.as_written) == ("ISGS", "Islamic State Sahel Province")


def test_spelling_variants_of_one_alias():
    for written in ("al-Qaeda", "al Qaeda", "AlQaeda", "AL-QAEDA"):
        assert [g.name for g in find_groups(f"He joined {written} in 2012.")] == ["Al-Qaeda"]
    for written in ("Da'esh", "Da’esh", "Daesh"):
        assert [g.name for g in find_groups(f"A {written} cell.")] == ["ISIS"]


def test_every_spelling_names_one_group_and_canonical_names_are_stable():
    lookup = vocabulary_lookup(GROUPS)  # raises if two groups share a spelling
    assert KNOWN_AFFILIATIONS[:3] == ("ISIS", "Al-Qaeda", "AQIM")
    for row in GROUPS:
        for spelling in (row.name, *row.aliases, *row.exact):
            assert lookup[name_key(spelling)] == row.name
            assert normalise_affiliation(spelling) == row.name


def test_a_shared_spelling_is_refused():
    from mapapp.records.affiliations import VocabularyRow

    with pytest.raises(ValueError, match="Daesh"):
        vocabulary_lookup(
            [VocabularyRow("ISIS", ("Daesh",), ()), VocabularyRow("X", ("Daesh",), ())]
        )


def test_letters_that_matching_allows_but_folding_keeps_apart_are_no_crash():
    # Case-insensitive matching lets the Turkish dotless i stand for "i".
    assert [g.name for g in find_groups("Hızbullah and Hamas")] == ["Hamas"]


def test_part_of_names_known_groups():
    from mapapp.records.affiliations import KNOWN_AFFILIATIONS, PART_OF

    assert PART_OF["ISKP"] == "ISIS"
    assert PART_OF["AQIM"] == "Al-Qaeda"
    assert set(PART_OF) | set(PART_OF.values()) <= set(KNOWN_AFFILIATIONS)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        # The branch named later is the operation's group, not its parent named first.
        (
            "Iranian intelligence arrested 14 Daesh members in Tehran.\n\n"
            "The statement said the 14 detainees belonged to Daesh-Khorasan.",
            "ISKP",
        ),
        (
            "Police arrested two al-Qaeda suspects in Bamako. The suspects belonged to AQIM.",
            "AQIM",
        ),
        # Two unrelated groups: the first named stays.
        ("Police arrested two Boko Haram suspects in Maiduguri. ISWAP denied it.", "Boko Haram"),
    ],
)
def test_the_branch_named_wins_over_its_parent(text, group):
    from extract_fakes import FakeResolver, runner

    run = runner(
        FakeResolver(
            {
                "Tehran": (35.69, 51.42, "IR", "city"),
                "Bamako": (12.65, -8.0, "ML", "city"),
                "Maiduguri": (11.85, 13.16, "NG", "city"),
            }
        )
    )
    (operation,) = run(text).operations
    assert operation.affiliation == group
