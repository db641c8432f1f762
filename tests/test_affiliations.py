"""The alias table: every spelling reaches its group, and no word is ever lost."""

import pytest

from mapapp.records.affiliations import KNOWN_AFFILIATIONS, UNKNOWN, fold, normalise_affiliation


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("IS", "ISIS"),
        ("ISIL", "ISIS"),
        ("Daesh", "ISIS"),
        ("Da'esh", "ISIS"),
        ("Da’esh", "ISIS"),
        ("DAECH", "ISIS"),
        ("Islamic State", "ISIS"),
        ("Islamic State in Iraq and Syria", "ISIS"),
        ("pro-ISIS", "ISIS"),
        ("isis", "ISIS"),
        ("Estado Islamico", "ISIS"),
        ("al-Qaida", "Al-Qaeda"),
        ("al Qaeda", "Al-Qaeda"),
        ("AQ", "Al-Qaeda"),
        ("Al-Qa'ida", "Al-Qaeda"),
        ("Al-Qaeda in the Islamic Maghreb", "AQIM"),
        ("aqim", "AQIM"),
        ("AQAP", "AQAP"),
        ("MUJAO", "MUJAO"),
        ("JNIM", "JNIM"),
        ("Boko Haram", "Boko Haram"),
        ("Al Shabab", "Al-Shabaab"),
        ("ISWAP", "ISWAP"),
        ("ISGS", "ISGS"),
        ("ISIS-K", "ISKP"),
        ("Islamic State Khorasan Province", "ISKP"),
    ],
)
def test_aliases(written, canonical):
    assert normalise_affiliation(written) == canonical


@pytest.mark.parametrize("written", ["", "  ", None, "unknown", "Unknown", "n/a", "?", "-"])
def test_unknown(written):
    assert normalise_affiliation(written) == UNKNOWN


def test_unlisted_group_keeps_its_name():
    assert normalise_affiliation(" Al Faye Wa Al Istihlal ") == "Al Faye Wa Al Istihlal"


def test_canonical_names_are_fixed_points_and_ordered_for_the_legend():
    assert KNOWN_AFFILIATIONS[:3] == ("ISIS", "Al-Qaeda", "AQIM")
    assert UNKNOWN not in KNOWN_AFFILIATIONS
    assert len(set(KNOWN_AFFILIATIONS)) == len(KNOWN_AFFILIATIONS)
    for name in KNOWN_AFFILIATIONS:
        assert normalise_affiliation(name) == name


def test_fold_removes_case_accents_apostrophes_and_hyphens():
    assert fold("Tétouan") == "tetouan"
    assert fold("Da'esh") == fold("DAESH") == "daesh"
    assert fold("Inezgane-Aït Melloul") == "inezgane ait melloul"
