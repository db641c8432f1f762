"""Decoding articles: stray bytes, short code-page texts, refusals (issue 9, items 2, 4)."""

import io
import warnings

import pytest
from extract_fakes import FakeResolver
from test_extract_cli import ARTICLE, args_for

from mapapp.articles import (
    ArticleError,
    ArticleWarning,
    decode_article,
    read_article,
)
from mapapp.cli.extract import run

FRENCH = (
    "RABAT - La police marocaine a arrêté mercredi à Fès et à Meknès trois hommes "
    "soupçonnés d'appartenir à une cellule. Les enquêteurs, déployés près de la gare où "
    "règne une forte présence policière, ont également saisi des documents, du matériel "
    "électronique et une somme d'argent. Le garçon interpellé à Salé a été relâché.\n"
)


def _read_warned(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = read_article(path)
    return text, [w for w in caught if issubclass(w.category, ArticleWarning)]


def test_utf8_with_one_stray_byte_is_utf8_with_a_warning(tmp_path):
    head = "TÉTOUAN - Police arrested two men.\nThey were taken to Rabat.\n".encode()
    data = head + b"Third line \x92 here.\n"
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    text, caught = _read_warned(path)
    assert text.startswith("TÉTOUAN")
    assert "\ufffd" in text
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "stray.txt" in message
    offset = data.index(b"\x92")
    assert f"byte {offset} (line 3)" in message


def test_stray_byte_warning_for_uploads_too():
    data = "Arrests in Fès and Tétouan. ".encode() * 3 + b"\xff"
    with pytest.warns(ArticleWarning, match=rf"upload\.txt.*byte {len(data) - 1} \(line 1\)"):
        text = decode_article(data, "upload.txt")
    assert text.startswith("Arrests in Fès")
    assert text.endswith("\ufffd")


def test_cli_prints_the_warning_as_one_line_and_still_extracts(tmp_path):
    path = tmp_path / "a.txt"
    # Lines 1-3 are the article, 4 is blank, the Latin-1 "é" is on line 5.
    path.write_bytes(("Tétouan. " + ARTICLE).encode() + b"\nEnd \xe9.\n")
    out, err = io.StringIO(), io.StringIO()
    assert run(args_for(path), FakeResolver(), out=out, err=err) == 0
    lines = [line for line in err.getvalue().splitlines() if line.startswith("warning: ")]
    assert len(lines) == 1
    assert "a.txt" in lines[0]
    assert "(line 5)" in lines[0]
    assert "1 operation(s)" in out.getvalue()


def test_short_latin1_text_is_never_misread(tmp_path):
    data = "Arrests in Fès".encode("latin-1")
    path = tmp_path / "fes.txt"
    path.write_bytes(data)
    for read in (lambda: read_article(path), lambda: decode_article(data, "fes.txt")):
        try:
            text = read()
        except ArticleError as exc:
            message = str(exc)
        else:
            assert text == "Arrests in Fès"
            continue
        assert "fes.txt" in message
        assert "save it as UTF-8" in message


def test_french_article_in_cp1252_is_read_correctly(tmp_path):
    data = FRENCH.encode("cp1252")
    path = tmp_path / "fr.txt"
    path.write_bytes(data)
    assert read_article(path) == FRENCH
    assert decode_article(data, "fr.txt") == FRENCH


def test_many_bad_bytes_are_not_papered_over(tmp_path):
    data = "Police arrested two men in Tétouan. ".encode() * 20 + bytes(range(128, 256)) * 3
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    with pytest.raises(ArticleError, match=r"mixed\.txt.*UTF-8"):
        read_article(path)
    with pytest.raises(ArticleError, match=r"mixed\.txt.*UTF-8"):
        decode_article(data, "mixed.txt")


def test_character_cut_between_read_blocks_is_not_a_stray_byte(tmp_path):
    path = tmp_path / "long.txt"
    text = "a" * (1024 * 1024 - 1) + "é and more\n"
    path.write_text(text, encoding="utf-8")
    assert _read_warned(path) == (text, [])


def test_text_ending_inside_a_character_is_a_stray_byte(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("Tétouan, Salé\n".encode() + "é".encode()[:1])
    text, caught = _read_warned(path)
    assert text == "Tétouan, Salé\n\ufffd"
    assert "(line 2)" in str(caught[0].message)


@pytest.mark.parametrize("case", ["late NUL", "bad UTF-16", "directory", "NUL in name"])
def test_every_unreadable_file_is_an_article_error(tmp_path, case):
    if case == "late NUL":
        path = tmp_path / "late.txt"
        path.write_bytes(b"Police arrested two men.\n" * 60_000 + b"\x00\x00")
    elif case == "bad UTF-16":
        path = tmp_path / "u16.txt"
        path.write_bytes(b"\xff\xfe" + "Rabat".encode("utf-16-le") + b"\x00\xd8")
    elif case == "directory":
        path = tmp_path / "folder.txt"
        path.mkdir()
    else:
        path = str(tmp_path / "bad\x00name.txt")
    with pytest.raises(ArticleError):
        read_article(path)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "Rabat".encode("utf-16-le") + b"\x00\xd8",
        b"Police arrested two men.\n" * 50 + b"\x00",
        b"x" * 2001,
    ],
)
def test_every_unreadable_upload_is_an_article_error(data):
    with pytest.raises(ArticleError, match="upload"):
        decode_article(data, "upload", max_bytes=2000)
