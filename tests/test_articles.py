"""Reading article files: encodings, refusals, size limit and streaming."""

import pytest

from mapapp.articles import (
    ArticleError,
    iter_article_paths,
    iter_text_chunks,
    read_article,
)

TEXT = "Tétouan et Kénitra: la police a arrêté deux hommes à Salé.\n"


def test_utf8_with_and_without_bom(tmp_path):
    plain, bom = tmp_path / "a.txt", tmp_path / "b.txt"
    plain.write_text(TEXT, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert read_article(plain) == TEXT
    assert read_article(bom) == TEXT


def test_other_encodings_are_detected(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes((TEXT * 20).encode("cp1252"))
    assert read_article(path) == TEXT * 20


def test_binary_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(ArticleError, match="photo.txt"):
        read_article(path)


def test_undecodable_file_is_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(ArticleError, match="noise.txt"):
        read_article(path)


def test_size_limit_names_the_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(ArticleError, match=r"big\.txt.*limit"):
        read_article(path, max_bytes=1000)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ArticleError, match="gone.txt"):
        read_article(tmp_path / "gone.txt")


def test_large_file_comes_in_paragraph_chunks(tmp_path):
    paragraph = "Police arrested two men in the city on Monday. " * 5 + "\n\n"
    path = tmp_path / "many.txt"
    path.write_text(paragraph * 2000)
    chunks = list(iter_text_chunks(path, chunk_chars=10_000))
    assert len(chunks) > 40
    assert all(len(c) <= 10_000 for c in chunks)
    assert all(c.endswith("\n\n") for c in chunks[:-1])
    assert "".join(chunks) == paragraph * 2000


def test_folders_expand_to_their_txt_files(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.md"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_article_paths([tmp_path])]
    assert found == ["a.txt", "b.txt", "sub/c.txt"]
