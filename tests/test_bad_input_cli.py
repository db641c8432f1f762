"""Malformed records and killed processes, as a user meets them on the command line.

Each bad file gets one clear message naming the file (and line and column where
they apply), a non-zero exit status, no traceback, and no output file. An ingest
killed at any moment leaves the records file either as it was or as it would be
after the run, never torn.
"""

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapapp.records import COLUMNS, load_records

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
    assert "records.csv" in done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_not_utf8(tmp_path):
    records = tmp_path / "records.csv"
    records.write_bytes((HEADER + "\n" + GOOD.replace("Rabat", "Sal\xe9")).encode("latin-1"))
    done, out = run_export(tmp_path, records)
    assert done.returncode == 2
    assert "line 2" in done.stderr
    assert "not UTF-8" in done.stderr
    assert not out.exists()


def test_a_200_mb_file_is_refused_before_reading(tmp_path):
    records = tmp_path / "records.csv"
    with records.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(200 * 1024 * 1024)
    done, out = run_export(tmp_path, records)
    assert done.returncode == 2
    assert "over the limit" in done.stderr
    assert not out.exists()


@pytest.mark.slow
def test_an_ingest_killed_at_any_moment_leaves_a_whole_records_file(tmp_path, seeds_dir):
    """Kill ``mapapp ingest`` at random moments, many during its write of a large file.

    The records file must always load, and hold either the old records or the
    old plus the new ones: never a torn file.
    """
    sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark's generator of records
    from bench import write_records

    original = tmp_path / "original.csv"
    write_records(original, 30_000)  # large enough that the final write takes a while
    records = tmp_path / "records.csv"
    cmd = [sys.executable, "-m", "mapapp", "ingest", str(seeds_dir), "--records", str(records)]
    rng = random.Random(7)
    outcomes = []
    for _ in range(6):
        records.write_bytes(original.read_bytes())
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(1.0, 5.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        rows = len(load_records(records))  # raises if the file is torn
        assert rows >= 30_000
        outcomes.append("old" if rows == 30_000 else "new")
        for leftover in tmp_path.glob(".records.csv.*.tmp"):
            leftover.unlink()  # the temporary file of a killed write, never the records
    assert "old" in outcomes
