"""Writers of a records file lose nothing: locks, merges, modes, links, long fields, formulas.

Issue 9's cases: two ingests at once, a hand edit saved while an ingest runs, two
review sessions adding at once, a private file made world-readable, a symbolic
link replaced by a file, evidence too long to read back, and cells a spreadsheet
would run as formulas.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mapapp.extract import PlaceLookup, extract_article
from mapapp.files import LockedError, locked
from mapapp.ingest import ingest, operation_record, records_frame
from mapapp.records import (
    BUNDLED_RECORDS,
    load_records,
    records_csv_text,
    save_records,
    update_records,
)
from mapapp.records.merge import merge_operations
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]
SEED_RECORDS = Path(__file__).resolve().parent / "fixtures" / "seed_records.csv"  # 5 seed rows

REPORT_A = """RABAT, March 9 -- Moroccan police on Tuesday dismantled a four-member cell
loyal to the Islamic State group in the northern cities of Tetouan and Larache, the BCIJ said.
The four suspects, aged 22 to 35, were arrested in Tetouan and Larache on March 8, 2022.
"""

REPORT_B = """RABAT, June 3 -- Moroccan police on Friday dismantled a three-member cell
loyal to the Islamic State group in the eastern cities of Oujda and Berkane, the BCIJ said.
The three suspects were arrested in Oujda and Berkane on June 2, 2023.
"""


@pytest.fixture
def resolver(tmp_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "records.csv"
    save_records(load_records(SEED_RECORDS), path)
    return path


def article(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "mapapp", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, check=False, **kwargs,
    )  # fmt: skip


@pytest.mark.slow
def test_two_ingests_at_once_both_keep_their_records(tmp_path, records, index_path):
    a, b = article(tmp_path, "a.txt", REPORT_A), article(tmp_path, "b.txt", REPORT_B)
    for _ in range(2):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "mapapp", "ingest", str(path), "--records", str(records)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for path in (a, b)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, err
    places = {p for row in load_records(records)["places"] for p in row}
    assert {"Tetouan", "Larache", "Oujda", "Berkane"} <= places
    assert len(load_records(records)) == 7  # 5 seed records + 2, the second round merged


def test_a_hand_edit_saved_while_an_ingest_runs_is_kept(tmp_path, records, resolver, monkeypatch):
    """A spreadsheet saves the file between ingest's read and its write."""
    import mapapp.ingest

    edited = load_records(records)
    edited.loc[0, "summary"] = "Checked by hand."
    real_merge, calls = mapapp.ingest.merge_operations, []

    def merge_while_someone_saves(current, new, resolver):
        calls.append(len(current))
        if len(calls) == 1:
            save_records(edited, records)  # the hand edit lands mid-ingest
        return real_merge(current, new, resolver)

    monkeypatch.setattr(mapapp.ingest, "merge_operations", merge_while_someone_saves)
    ingest([article(tmp_path, "a.txt", REPORT_A)], records, resolver)
    saved = load_records(records)
    assert saved.loc[0, "summary"] == "Checked by hand."
    assert len(saved) == 6
    assert len(calls) == 2  # merged again with the file as it was then


def test_two_sessions_adding_at_once_keep_both(tmp_path, records, resolver):
    """Two review-page sessions press "Add" together: threads of one server, each merging
    slowly, as the page does through :func:`update_records`."""
    lookup = PlaceLookup(resolver)
    adds = []
    for text in (REPORT_A, REPORT_B):
        result = extract_article(text, lookup=lookup, source="pasted")
        adds.append(records_frame([operation_record(op) for op in result.operations]))

    def add(accepted):
        def merge(current):
            with Resolver(cache_path=resolver.cache_path) as own:
                report = merge_operations(current, accepted, own)
            time.sleep(0.3)  # a slow merge: without the lock both would read the same file
            return report.records, report

        update_records(records, merge)

    threads = [threading.Thread(target=add, args=(frame,)) for frame in adds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    places = {p for row in load_records(records)["places"] for p in row}
    assert {"Tetouan", "Larache", "Oujda", "Berkane"} <= places


def test_a_held_lock_makes_a_writer_wait_then_say_so(records):
    with locked(records), pytest.raises(LockedError, match="another process"):  # noqa: SIM117
        with locked(records, timeout=0.2):
            pass


def test_the_bundled_records_are_refused_as_an_ingest_target(tmp_path):
    before = BUNDLED_RECORDS.read_bytes()
    done = run_cli("ingest", article(tmp_path, "a.txt", REPORT_A), "--records", BUNDLED_RECORDS)
    assert done.returncode == 2
    assert "bundled records are never written" in done.stderr
    assert "Traceback" not in done.stderr
    assert BUNDLED_RECORDS.read_bytes() == before


def test_a_private_records_file_stays_private(tmp_path, records, resolver):
    os.chmod(records, 0o600)
    ingest([article(tmp_path, "a.txt", REPORT_A)], records, resolver)
    assert records.stat().st_mode & 0o777 == 0o600
    save_records(load_records(records), records)
    assert records.stat().st_mode & 0o777 == 0o600


def test_a_linked_records_file_updates_its_target_and_stays_a_link(tmp_path, records, resolver):
    link = tmp_path / "link.csv"
    link.symlink_to(records)
    ingest([article(tmp_path, "a.txt", REPORT_A)], link, resolver)
    assert link.is_symlink()
    assert len(load_records(records)) == 6


def test_evidence_longer_than_the_csv_default_field_limit_loads_again(tmp_path):
    records = load_records(BUNDLED_RECORDS)
    records.loc[0, "evidence"] = "The suspects were arrested. " * 6000  # 168 KB
    path = tmp_path / "long.csv"
    save_records(records, path)
    assert load_records(path).loc[0, "evidence"] == records.loc[0, "evidence"].strip()


def test_an_ingest_with_a_very_long_sentence_writes_a_file_it_reads_back(tmp_path, resolver):
    long_sentence = "The four suspects were arrested in Tetouan and Larache on 8 March 2022" + (
        ", and the BCIJ said they had pledged allegiance" * 3500) + "."  # fmt: skip
    records = tmp_path / "records.csv"
    ingest([article(tmp_path, "long.txt", "BCIJ statement.\n\n" + long_sentence)], records,
           resolver)  # fmt: skip
    assert len(load_records(records)["evidence"].iloc[0]) > 128 * 1024


FORMULAS = ['=HYPERLINK("http://evil.example/","Click")', "@SUM(1+1)", "+33 6 12", "-2+3",
            "'=already quoted", "''@twice", "\tTab", "'s-Hertogenbosch"]  # fmt: skip


def test_formula_cells_are_written_inert_and_read_back_as_the_same_text(tmp_path):
    one = load_records(BUNDLED_RECORDS).head(1)
    records = one.loc[one.index.repeat(len(FORMULAS))].reset_index(drop=True)
    records["id"] = [f"op-{n}" for n in range(len(FORMULAS))]
    records["summary"] = FORMULAS
    records["agencies"] = [(text.strip(),) for text in FORMULAS]
    text = records_csv_text(records)
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row, formula in zip(rows, FORMULAS, strict=True):
        for cell in (row["summary"], row["agencies"]):
            assert cell[:1] not in ("=", "+", "-", "@", "\t"), cell
        if formula.lstrip("'")[:1] in ("=", "+", "-", "@", "\t"):
            assert row["summary"] == "'" + formula
        else:
            assert row["summary"] == formula  # an apostrophe of its own is left alone
    path = tmp_path / "formulas.csv"
    path.write_text(text, encoding="utf-8")
    loaded = load_records(path)
    assert loaded["summary"].tolist() == FORMULAS
    assert [a[0] for a in loaded["agencies"]] == [f.strip() for f in FORMULAS]


def test_export_csv_and_saved_records_are_formula_safe(tmp_path):
    records = load_records(BUNDLED_RECORDS)
    records.loc[0, "summary"] = '=HYPERLINK("http://evil.example/","Click")'
    source = tmp_path / "in.csv"
    save_records(records, source)
    assert "'=HYPERLINK" in source.read_text(encoding="utf-8")
    done = run_cli("export", "--records", source, "--out", tmp_path / "m.html",
                   "--csv", tmp_path / "out.csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ",\"'=HYPERLINK(" in (tmp_path / "out.csv").read_text(encoding="utf-8")
