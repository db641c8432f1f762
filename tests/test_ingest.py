"""``mapapp ingest``: extract, merge into the records, write atomically."""

import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.ingest import ingest
from mapapp.records import load_records, save_records
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]

FIRST_REPORT = """RABAT, March 9 -- Moroccan police on Tuesday dismantled a four-member cell
loyal to the Islamic State group in the northern cities of Tetouan and Larache, the BCIJ said.
The four suspects, aged 22 to 35, were arrested in Tetouan and Larache on March 8, 2022.
"""

SECOND_REPORT = """Four suspected Daesh militants were arrested on 9 March 2022 in Tetuan and
Larache, Morocco's Central Bureau of Judicial Investigations (BCIJ) announced. The four men
were planning attacks, according to the statement.
"""


@pytest.fixture
def resolver(tmp_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_two_reports_of_one_operation_become_one_record(tmp_path, resolver):
    first = write(tmp_path, "wire-a.txt", FIRST_REPORT)
    second = write(tmp_path, "outlet-b.txt", SECOND_REPORT)
    records = tmp_path / "records.csv"
    report = ingest([first, second], records, resolver)
    assert len(report.added) == 1
    assert len(report.merged) == 1
    (row,) = load_records(records).to_dict("records")
    assert {s["name"] for s in row["sources"]} == {"wire-a.txt", "outlet-b.txt"}
    assert row["arrested"] == 4
    assert row["affiliation"] == "ISIS"


def test_hand_edits_survive_a_new_ingest(tmp_path, resolver):
    records = tmp_path / "records.csv"
    ingest([write(tmp_path, "wire-a.txt", FIRST_REPORT)], records, resolver)
    edited = load_records(records)
    edited.loc[0, "summary"] = "Checked by hand: four arrests, two towns."
    edited.loc[0, "arrested"] = 5
    save_records(edited, records)
    ingest([write(tmp_path, "outlet-b.txt", SECOND_REPORT)], records, resolver)
    (row,) = load_records(records).to_dict("records")
    assert row["summary"] == "Checked by hand: four arrests, two towns."
    assert row["arrested"] == 5
    assert len(row["sources"]) == 2


def test_seed_articles_ingest_once(tmp_path, resolver, seeds_dir):
    records = tmp_path / "records.csv"
    articles = sorted(seeds_dir.glob("*.txt"))
    first = ingest(articles, records, resolver)
    assert len(first.added) >= 4  # the five gold operations; Verviers may be left out
    again = ingest(articles, records, resolver)
    assert again.added == []
    assert len(load_records(records)) == len(first.added)


def test_cli_reports_and_refuses_a_broken_records_file(tmp_path):
    article = write(tmp_path, "wire-a.txt", FIRST_REPORT)
    records = tmp_path / "records.csv"
    cmd = [sys.executable, "-m", "mapapp", "ingest", str(article), "--records", str(records)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1 added, 0 merged" in done.stdout
    records.write_bytes(b"id,date\n\xff\xfe broken\n")
    before = records.read_bytes()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "not UTF-8" in done.stderr
    assert "Traceback" not in done.stderr
    assert records.read_bytes() == before
