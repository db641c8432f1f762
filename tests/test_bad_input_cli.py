"""Malformed records and killed processes, as a user meets them on the command line.

Each bad file gets one clear message naming the file (and line and column where
they apply), a non-zero exit status, no traceback, and no output file. An ingest
killed at any moment leaves the records file either as it was or as it would be
after the run, never torn.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapapp.records import BUNDLED_RECORDS, COLUMNS, load_records, save_records

ROOT = Path(__file__).resolve().parents[1]
HEADER = ",".join(COLUMNS)
GOOD = "a1,2022-01-04,day,Rabat,MA,3,ISIS,,BCIJ,,,,,,"

BAD_FILES = {
    "bad date": (HEADER + "\n" + GOOD.replace("2022-01-04", "2022-13-45"), "line 2, column date"),
    "bad count": (HEADER + "\n" + GOOD.replace(",3,", ",three,"), "line 2, column arrested"),
    "unknown precision": (
        HEADER + "\n" + GOOD.replace(",day,", ",week,"),
        "line 2, column date_precision",
    ),
    "missing column": (
        HEADER.replace(",evidence", "") + "\n" + GOOD[:-1],
        "missing column(s): evidence",
    ),
    "too many fields": (HEADER + "\n" + GOOD + ",extra", "line 2"),
    "empty file": ("", "empty"),
}


def run_export(tmp_path, records):
    out = tmp_path / "out.html"
    cmd = [sys.executable, "-m", "mapapp", "export", "--records", str(records), "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return done, out


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_records_file(tmp_path, kind):
    text, expected = BAD_FILES[kind]
    records = tmp_path / "records.csv"
    records.write_text(text, encoding="utf-8")
    done, out = run_export(tmp_path, records)
    assert done.returncode == 2
    assert "records.csv" in done.stderr and expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_not_utf8(tmp_path):
    records = tmp_path / "records.csv"
    records.write_bytes((HEADER + "\n" + GOOD.replace("Rabat", "Sal\xe9")).encode("latin-1"))
    done, out = run_export(tmp_path, records)
    assert done.returncode == 2 and "line 2" in done.stderr and "not UTF-8" in done.stderr
    assert not out.exists()


def test_a_200_mb_file_is_refused_before_reading(tmp_path):
    records = tmp_path / "records.csv"
    with records.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(200 * 1024 * 1024)
    done, out = run_export(tmp_path, records)
    assert done.returncode == 2 and "over the limit" in done.stderr
    assert not out.exists()


def test_an_ingest_killed_at_any_moment_leaves_a_whole_records_file(tmp_path, seeds_dir):
    """Kill ``mapapp ingest`` at random moments; the file must always load."""
    records = tmp_path / "records.csv"
    save_records(load_records(BUNDLED_RECORDS), records)
    before = records.read_bytes()
    cmd = [sys.executable, "-m", "mapapp", "ingest", str(seeds_dir), "--records", str(records)]
    rng = random.Random(7)
    outcomes = set()
    for _ in range(8):
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 6.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = load_records(records)  # raises if torn
        outcomes.add("unchanged" if records.read_bytes() == before else "written")
        assert len(after) >= 5
        leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
        assert len(leftovers) <= 1  # at most the temporary file of the killed write
        for name in leftovers:
            (tmp_path / name).unlink()
        save_records(load_records(BUNDLED_RECORDS), records)
    assert "unchanged" in outcomes
