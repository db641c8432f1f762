"""``python -m mapapp extract``: JSON lines, refusals, and streaming many files."""

import argparse
import io
import json

import pytest
from extract_fakes import FakeResolver

from mapapp.cli import build_parser, main
from mapapp.cli.extract import run
from mapapp.extract import PlaceLookup, extract_file

ARTICLE = (
    "RABAT - The BCIJ dismantled a cell of four Daesh followers in Fes and Oujda.\n\n"
    "Since 2002, more than 200 cells have been dismantled.\n"
)


def args_for(*argv):
    return build_parser().parse_args(["extract", *map(str, argv)])


def test_json_lines_for_operations_and_figures(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(args_for(path, "--json"), FakeResolver(), out=out, err=err) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = [line["kind"] for line in lines]
    assert kinds == ["operation", "national_figure"]
    op = lines[0]
    assert op["source"] == str(path)
    assert [p["name"] for p in op["places"]] == ["Fes", "Oujda"]
    assert (op["arrested"], op["affiliation"], op["agencies"]) == (4, "ISIS", ["BCIJ"])
    assert lines[1]["cells_dismantled"] == 200


def test_readable_summary_without_json(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = io.StringIO()
    run(args_for(path), FakeResolver(), out=out, err=io.StringIO())
    assert "1 operation(s)" in out.getvalue()
    assert "Fes, Oujda" in out.getvalue()


def test_refused_file_is_named_and_others_still_read(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = run(args_for(tmp_path, "--json"), FakeResolver(), out=out, err=err)
    assert status == 2
    assert "bad.txt" in err.getvalue()
    assert '"operation"' in out.getvalue()


def test_bad_country_and_date_are_usage_errors(capsys):
    for argv in (
        ["extract", "x.txt", "--country", "Morocco"],
        ["extract", "x.txt", "--published", "5/1/2022"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "error" in capsys.readouterr().err


def test_folder_of_many_articles_streams_with_progress(tmp_path):
    for n in range(1500):
        (tmp_path / f"{n:05d}.txt").write_text(ARTICLE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(
        files=[str(tmp_path)], json=True, country=None, published=None, max_mb=1.0
    )
    assert run(args, FakeResolver(), out=out, err=err, progress_files=500) == 0
    assert out.getvalue().count('"operation"') == 1500
    assert err.getvalue().count("extract progress: ") == 3
    assert "extract done: 1500 files done" in err.getvalue()


def test_large_file_is_read_lazily_in_chunks(tmp_path):
    path = tmp_path / "collection.txt"
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(1500):
            fh.write(ARTICLE + "\n")
    lookup = PlaceLookup(FakeResolver())
    results = extract_file(path, lookup=lookup, chunk_chars=20_000)
    first = next(results)
    assert 0 < first.chars <= 20_000
    assert first.operations
    assert first.figures
    rest = list(results)
    assert first.chars + sum(r.chars for r in rest) == path.stat().st_size
    assert all(r.chars <= 20_000 for r in rest)
