"""Issue 9 on the command line: one line and exit 2, nothing lost, nothing left behind."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.files import atomic_write, remove_stale_temporaries
from mapapp.records import BUNDLED_RECORDS, load_records, save_records

ROOT = Path(__file__).resolve().parents[1]

REPORT = """RABAT, March 9 -- Moroccan police on Tuesday dismantled a four-member cell
loyal to the Islamic State group in the northern cities of Tetouan and Larache, the BCIJ said.
The four suspects, aged 22 to 35, were arrested in Tetouan and Larache on March 8, 2022.
"""


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "mapapp", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip


def assert_one_line_error(done, *words):
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0]


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "records.csv"
    save_records(load_records(BUNDLED_RECORDS), path)
    return path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "cannot read"),
        ("nul.txt", b"Arrested in Rabat.\x00\x00binary", "NUL bytes"),
    ],
)
def test_ingest_of_an_unreadable_article_is_one_line_and_writes_nothing(
    tmp_path, records, index_path, name, content, expected
):
    article = tmp_path / name
    if content is not None:
        article.write_bytes(content)
    before = records.read_bytes()
    done = run_cli("ingest", article, "--records", records)
    assert_one_line_error(done, name, expected)
    assert records.read_bytes() == before


def test_ingest_of_an_oversize_article_is_one_line(tmp_path, records, index_path):
    article = tmp_path / "big.txt"
    with article.open("wb") as handle:  # sparse: over the 64 MB limit without writing it
        handle.truncate(65_000_000)
    before = records.read_bytes()
    done = run_cli("ingest", article, "--records", records)
    assert_one_line_error(done, "big.txt", "over the 64 MB limit")
    assert records.read_bytes() == before


def test_a_semicolon_in_an_article_name_is_recorded_as_a_comma(tmp_path, records, index_path):
    article = tmp_path / "wire;copy.txt"
    article.write_text(REPORT, encoding="utf-8")
    done = run_cli("ingest", article, "--records", records)
    assert done.returncode == 0, done.stderr
    sources = [s["name"] for row in load_records(records)["sources"] for s in row]
    assert "wire,copy.txt" in sources


def test_debug_shows_the_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,records,file\n", encoding="utf-8")
    assert "Traceback" not in run_cli("export", "--records", bad, "--out", "x.html").stderr
    done = run_cli("--debug", "export", "--records", bad, "--out", tmp_path / "x.html")
    assert done.returncode != 0
    assert "Traceback" in done.stderr
    assert "RecordsError" in done.stderr


def test_an_export_over_its_own_records_is_refused(tmp_path, records):
    before = records.read_bytes()
    done = run_cli("export", "--records", records, "--out", records)
    assert_one_line_error(done, "--out", "--records")
    assert records.read_bytes() == before
    link = tmp_path / "link.html"
    link.symlink_to(records)
    assert_one_line_error(run_cli("export", "--records", records, "--out", link), "--records")
    done = run_cli("export", "--records", records, "--out", tmp_path / "m.html",
                   "--csv", tmp_path / "m.html")  # fmt: skip
    assert_one_line_error(done, "--csv", "--out")
    assert records.read_bytes() == before


def test_an_export_writes_every_file_or_none(tmp_path, records):
    out = tmp_path / "map.html"
    out.write_text("the old map", encoding="utf-8")
    done = run_cli("export", "--records", records, "--out", out,
                   "--geojson", tmp_path / "no-such-folder" / "points.geojson")  # fmt: skip
    assert done.returncode == 2
    assert "No such file or directory" in done.stderr
    assert out.read_text(encoding="utf-8") == "the old map"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_of_killed_writers_are_removed_by_the_next_write(tmp_path):
    target = tmp_path / "map.html"
    stale = tmp_path / f".map.html.{dead_pid()}.0123456789ab.tmp"
    stale.write_text("half a map")
    live = tmp_path / f".map.html.{os.getppid()}.0123456789ab.tmp"  # a live writer's
    live.write_text("being written")
    other = tmp_path / f".other.html.{dead_pid()}.0123456789ab.tmp"
    other.write_text("another target's")
    atomic_write(target, "<html></html>")
    assert not stale.exists()
    assert live.exists()
    assert other.exists()
    assert target.read_text() == "<html></html>"
    assert remove_stale_temporaries(tmp_path / "other.html") == [other]
