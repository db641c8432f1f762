"""Fault run: what issue 9 asks the tool to survive, done for real and counted.

``python benchmarks/fault_run.py [--repo DIR] [--rounds N]`` runs, against the
checkout in DIR (default: this one), each through the command line as a user would:

* **two writers at once**: two ``ingest`` runs into one records file, N times;
  counts the rounds in which a record was lost;
* **kills**: N ``ingest`` and N ``export`` runs killed (SIGKILL) at a random moment;
  counts records files or maps left torn, and temporary files still there after the
  next run that writes to the same place;
* **pathological pastes**: 2 MB of dots, spaces, capitals, quotes and digits through
  ``extract``, with the seconds each took;
* **damage**: a flipped byte inside a cached value, and a damaged page of the name
  index, each followed by a ``places geocode`` run that must answer right.

It prints one JSON object. Pointing ``--repo`` at an older checkout shows what the
same faults did there. The machine's load average is printed with it: the timings
are those of a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE_A = """RABAT, March 9 -- Moroccan police on Tuesday dismantled a four-member cell
loyal to the Islamic State group in the northern cities of Tetouan and Larache, the BCIJ said.
The four suspects, aged 22 to 35, were arrested in Tetouan and Larache on March 8, 2022.
"""
ARTICLE_B = """RABAT, June 3 -- Moroccan police on Friday dismantled a three-member cell
loyal to the Islamic State group in the eastern cities of Oujda and Berkane, the BCIJ said.
The three suspects were arrested in Oujda and Berkane on June 2, 2023.
"""
TOWNS = ["Tangier", "Fez", "Nador", "Safi", "Agadir", "Meknes", "Oujda", "Kenitra", "Taza"]

PASTES = {
    "dots": "Arrested in Rabat" + "." * 2_000_000,
    "spaces": "Arrested in Rabat" + " " * 2_000_000,
    "capitals": "Arrested in " + "Aaaa Bbbb " * 200_000,
    "quotes": "Arrested in Rabat" + "\"'" * 1_000_000,
    "digits": "Arrested in Rabat on " + "1" * 2_000_000,
}


def mapapp(repo: Path, env: dict, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "mapapp", *map(str, args)], cwd=repo,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            **kwargs)  # fmt: skip


def finish(proc, timeout=600) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode("utf-8", "replace")


def loads(repo: Path, path: Path) -> int | None:
    """Number of records in ``path`` as the checkout's own loader reads it, None if torn."""
    code = ("import sys; from mapapp.records import load_records; "
            "print(len(load_records(sys.argv[1])))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, str(path)], cwd=repo, capture_output=True,
                          text=True, check=False)  # fmt: skip
    return int(done.stdout) if done.returncode == 0 else None


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def two_writers(repo: Path, env: dict, work: Path, rounds: int) -> dict:
    a, b = work / "a.txt", work / "b.txt"
    a.write_text(ARTICLE_A)
    b.write_text(ARTICLE_B)
    lost = []
    for n in range(rounds):
        records = work / f"writers-{n}.csv"
        shutil.copy(repo / "mapapp" / "data" / "records.csv", records)
        before = loads(repo, records)
        procs = [mapapp(repo, env, "ingest", path, "--records", records) for path in (a, b)]
        codes = [finish(p)[0] for p in procs]
        after = loads(repo, records)
        if codes != [0, 0] or after != before + 2:
            lost.append({"round": n, "exit": codes, "records": after, "expected": before + 2})
    return {"rounds": rounds, "rounds_with_a_record_lost": len(lost), "lost": lost}


def big_records(repo: Path, path: Path, operations: int) -> None:
    rng = random.Random(7)
    bundled = repo / "mapapp" / "data" / "records.csv"
    header = bundled.read_text(encoding="utf-8-sig").splitlines()[0]
    rows = [header]
    for n in range(operations):
        towns = ";".join(rng.sample(TOWNS, rng.randint(1, 3)))
        rows.append(
            f"op-{n},2019-0{rng.randint(1, 9)},month,{towns},MA,{rng.randint(1, 9)},ISIS,,"
            f"BCIJ,Summary {n}.,Outlet,Title {n},https://example.org/{n},,Evidence {n}."
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def kills(repo: Path, env: dict, work: Path, rounds: int) -> dict:
    rng = random.Random(11)
    folder = work / "kills"
    folder.mkdir()
    articles = folder / "articles"
    articles.mkdir()
    for n in range(400):
        town = TOWNS[n % len(TOWNS)]
        (articles / f"{n:04d}.txt").write_text(ARTICLE_A.replace("Larache", town).replace(
            "March 8, 2022", f"March {1 + n % 28}, 20{10 + n % 14}"))  # fmt: skip
    records = folder / "records.csv"
    shutil.copy(repo / "mapapp" / "data" / "records.csv", records)
    source = folder / "source.csv"
    big_records(repo, source, 20_000)
    out = folder / "map.html"
    result = {"ingest_killed": 0, "export_killed": 0, "torn_records": 0, "torn_maps": 0,
              "temporaries_left_after_next_run": []}  # fmt: skip
    # Time one whole run of each, then kill later runs late in theirs, where they write.
    durations = {}
    for name, args in (("ingest", ("ingest", articles, "--records", folder / "timing.csv")),
                       ("export", ("export", "--records", source, "--out", out,
                                   "--self-contained"))):  # fmt: skip
        start = time.perf_counter()
        finish(mapapp(repo, env, *args))
        durations[name] = time.perf_counter() - start
    result["uninterrupted_seconds"] = {k: round(v, 2) for k, v in durations.items()}
    for _ in range(rounds):
        proc = mapapp(repo, env, "ingest", articles, "--records", records)
        time.sleep(rng.uniform(0.6, 1.0) * durations["ingest"])
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            result["ingest_killed"] += 1
        finish(proc)
        if loads(repo, records) is None:
            result["torn_records"] += 1
        proc = mapapp(repo, env, "export", "--records", source, "--out", out, "--self-contained")
        time.sleep(rng.uniform(0.6, 1.0) * durations["export"])
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            result["export_killed"] += 1
        finish(proc)
        if out.exists() and not out.read_bytes().rstrip().endswith(b"</html>"):
            result["torn_maps"] += 1
    result["temporaries_left_by_kills"] = temporaries(folder)
    # The next runs that write there, to completion: they must clean up after the killed.
    small = folder / "one.txt"
    small.write_text(ARTICLE_B)
    finish(mapapp(repo, env, "ingest", small, "--records", records))
    finish(mapapp(repo, env, "export", "--records", source, "--out", out))
    result["temporaries_left_after_next_run"] = temporaries(folder)
    result["rounds"] = rounds
    return result


def pastes(repo: Path, env: dict, work: Path, limit: float) -> dict:
    seconds = {}
    for kind, text in PASTES.items():
        path = work / f"paste-{kind}.txt"
        path.write_text(text)
        start = time.perf_counter()
        proc = mapapp(repo, env, "extract", path)
        try:
            finish(proc, timeout=limit)
            seconds[kind] = round(time.perf_counter() - start, 2)
        except subprocess.TimeoutExpired:
            proc.kill()
            finish(proc)
            seconds[kind] = f"over {limit:.0f} s (stopped)"
    return seconds


def geocode(repo: Path, env: dict, *names: str) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "places", "geocode", *names, "--json"]
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def damage(repo: Path, env: dict) -> dict:
    cache, index = Path(env["PLACES_CACHE"]), Path(env["PLACES_INDEX"])
    geocode(repo, env, "Tetouan", "--country", "MA")
    with sqlite3.connect(cache) as conn:
        # The first byte of each JSON value with a bit flipped ('{' becomes 'z'): it no
        # longer parses, though SQLite's own integrity check still passes.
        conn.execute("UPDATE resolutions SET value = 'z' || substr(value, 2)")
    code, out, err = geocode(repo, env, "Tetouan", "--country", "MA")
    cache_ok = code == 0 and '"lat"' in out
    env = {**env, "PLACES_CACHE": str(cache.with_name("second-cache.sqlite"))}
    data = bytearray(index.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = os.urandom(page)
    index.write_bytes(bytes(data))
    code, out, err2 = geocode(repo, env, "Casablanca", "--country", "MA")
    return {
        "flipped_byte_in_cache": {"answered": cache_ok, "stderr": err.strip()[-300:]},
        "damaged_index_page": {
            "answered": code == 0 and "Casablanca" in out,
            "stderr": err2.strip()[-300:],
        },  # fmt: skip
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--paste-limit", type=float, default=120, help="seconds per paste")
    parser.add_argument("--only", action="append",
                        choices=("writers", "kills", "pastes", "damage"))  # fmt: skip
    args = parser.parse_args()
    repo = args.repo.resolve()
    parts = args.only or ["writers", "kills", "pastes", "damage"]
    report: dict = {"repo": str(repo), "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "PLACES_CACHE": str(work / "geocode.sqlite"),
               "PLACES_INDEX": str(work / "names.sqlite")}  # fmt: skip
        geocode(repo, env, "Rabat")  # builds the name index once, outside the timings
        if "writers" in parts:
            report["two_writers"] = two_writers(repo, env, work, args.rounds)
        if "kills" in parts:
            report["kills"] = kills(repo, env, work, args.rounds)
        if "pastes" in parts:
            report["pastes_2mb_seconds"] = pastes(repo, env, work, args.paste_limit)
        if "damage" in parts:
            report["damage"] = damage(repo, env)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
