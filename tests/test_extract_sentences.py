"""Sentence splitting on news copy: abbreviations, headlines, wrapped lines, quotes."""

from mapapp.extract.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Mr. Smith met Gen. J. Doe on Jan. 5 in the U.S. capital. They spoke."
    assert texts(text) == [
        "Mr. Smith met Gen. J. Doe on Jan. 5 in the U.S. capital.",
        "They spoke.",
    ]


def test_headline_without_full_stop_stands_alone():
    sentences = split_sentences(
        "Police break up a cell in the north\nFour men were held. They were charged."
    )
    assert [s.headline for s in sentences] == [True, False, False]
    assert [s.paragraph for s in sentences] == [0, 1, 1]


def test_quotes_close_sentences():
    assert texts('"We acted fast." The minister left.') == [
        '"We acted fast."',
        "The minister left.",
    ]


def test_wrapped_wire_lines_make_one_paragraph():
    text = (
        "Police said on Monday they had arrested three men suspected of\n"
        "planning attacks against public buildings in the capital, and\n"
        "seized weapons. The men were taken to a police station for\n"
        "questioning."
    )
    sentences = split_sentences(text)
    assert len(sentences) == 2
    assert {s.paragraph for s in sentences} == {0}
    assert "suspected of planning" in sentences[0].text


def test_blank_lines_separate_paragraphs():
    sentences = split_sentences("One. Two.\n\nThree.")
    assert [(s.paragraph, s.first_in_paragraph) for s in sentences] == [
        (0, True),
        (0, False),
        (1, True),
    ]
