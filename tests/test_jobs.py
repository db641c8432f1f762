"""``extract`` and ``ingest`` with ``--jobs 2`` write what ``--jobs 1`` writes, byte for byte.

The articles are the test articles (tests/articles), several times over in a folder
so both workers get a share, plus a collection file large enough to be read here
and sent to the workers chunk by chunk.
"""

import argparse
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from extract_fakes import FakeResolver

from mapapp.articles import CHUNK_CHARS
from mapapp.cli.extract import _Context, _extract_chunk, run
from mapapp.extract import PlaceLookup
from mapapp.ingest import ingest
from mapapp.pool import Article, Done, Part, run_articles
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "tests" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three copies of every test article, and one file of them all, over a chunk long."""
    base = tmp_path_factory.mktemp("jobs")
    for copy in range(3):
        for path in ARTICLES:
            shutil.copy(path, base / f"{copy}-{path.name}")
    texts = [path.read_text(encoding="utf-8") for path in ARTICLES]
    with (base / "z-collection.txt").open("w", encoding="utf-8") as fh:
        while fh.tell() <= CHUNK_CHARS * 1.5:
            fh.write("\n\n".join(texts) + "\n\n")
    return base


@pytest.fixture
def resolver(tmp_path, index_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


def _extract(folder, resolver, jobs, *, as_json):
    args = argparse.Namespace(
        files=[str(folder)], json=as_json, country=None, published=None, max_mb=64.0
    )
    out, err = io.StringIO(), io.StringIO()
    status = run(args, resolver, out=out, err=err, jobs=jobs)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("as_json", [True, False])
def test_extract_jobs_2_prints_what_jobs_1_prints(folder, resolver, as_json):
    one = _extract(folder, resolver, 1, as_json=as_json)
    two = _extract(folder, resolver, 2, as_json=as_json)
    assert one[0] == two[0] == 0
    assert one[1] == two[1]
    assert one[1].count("z-collection.txt") >= 2  # both of its chunks were read


def test_chunks_of_a_large_file_come_back_in_order(folder, resolver):
    """A file over ``chunk_chars`` is read here and its chunks go to the workers."""
    collection = folder / "z-collection.txt"
    article = Article(collection, _Context(str(collection), None, None, True))

    def events(jobs):
        return list(
            run_articles(
                _extract_chunk,
                [article, article],
                resolver=resolver,
                jobs=jobs,
                chunk_chars=20_000,
            )
        )

    one, two = events(1), events(2)
    assert [type(e) for e in one] == [type(e) for e in two]
    assert sum(isinstance(e, Part) for e in one) > 10
    assert one == two


def test_ingest_jobs_2_writes_the_records_jobs_1_writes(folder, resolver, tmp_path):
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    report_one = ingest([folder], first, resolver, jobs=1)
    report_two = ingest([folder], second, resolver, jobs=2)
    assert first.read_bytes() == second.read_bytes()
    assert report_one.added == report_two.added
    assert report_one.merged == report_two.merged
    assert [(op.source, why) for op, why in report_one.review] == [
        (op.source, why) for op, why in report_two.review
    ]
    assert report_one.added
    assert report_one.merged


def _cli(*argv, env):
    return subprocess.run(
        [sys.executable, "-m", "mapapp", *map(str, argv)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def cli_env(tmp_path, index_path):
    return {
        **os.environ,
        "PLACES_CACHE": str(tmp_path / "cli.sqlite"),
        "PLACES_INDEX": str(index_path),
    }


def test_cli_jobs_2_same_output_and_records(folder, tmp_path, cli_env):
    one = _cli("extract", folder, "--json", "--jobs", "1", env=cli_env)
    two = _cli("extract", folder, "--json", "--jobs", "2", env=cli_env)
    assert one.returncode == two.returncode == 0, two.stderr
    assert one.stdout == two.stdout
    records = {jobs: tmp_path / f"records-{jobs}.csv" for jobs in (1, 2)}
    done = {
        jobs: _cli("ingest", folder, "--records", path, "--jobs", jobs, env=cli_env)
        for jobs, path in records.items()
    }
    assert done[1].returncode == done[2].returncode == 0, done[2].stderr
    assert records[1].read_bytes() == records[2].read_bytes()
    assert done[1].stdout.replace("records-1", "records-2") == done[2].stdout


def test_cli_jobs_2_unreadable_article(folder, tmp_path, cli_env):
    """``extract`` names it and reads the rest; ``ingest`` stops with one line, writes nothing."""
    articles = tmp_path / "articles"
    shutil.copytree(folder, articles)
    (articles / "1-broken.txt").write_bytes(b"\x00\x01\x02 not text")
    one = _cli("extract", articles, "--json", "--jobs", "1", env=cli_env)
    two = _cli("extract", articles, "--json", "--jobs", "2", env=cli_env)
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    errors = [line for line in two.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "1-broken.txt" in errors[0]

    records = tmp_path / "records.csv"
    done = _cli("ingest", articles, "--records", records, "--jobs", "2", env=cli_env)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert done.stderr.startswith("error:")
    assert "1-broken.txt" in done.stderr
    assert "Traceback" not in done.stderr
    assert not records.exists()
    assert done.stdout == ""


def test_unreadable_article_in_ingest_with_jobs_2_raises_and_writes_nothing(
    folder, tmp_path, resolver
):
    from mapapp.articles import ArticleError

    articles = tmp_path / "articles"
    shutil.copytree(folder, articles)
    (articles / "0-broken.txt").write_bytes(b"\x00binary")
    records = tmp_path / "records.csv"
    with pytest.raises(ArticleError, match="0-broken.txt"):
        ingest([articles], records, resolver, jobs=2)
    assert not records.exists()


def test_a_fake_resolver_keeps_the_run_here(tmp_path):
    """A resolver the workers cannot rebuild (a test's fake) runs in this process."""
    path = tmp_path / "a.txt"
    path.write_text("The BCIJ dismantled a cell of four Daesh followers in Fes.\n", "utf-8")
    article = Article(path, _Context(str(path), None, None, True))
    events = list(run_articles(_extract_chunk, [article] * 3, resolver=FakeResolver(), jobs=2))
    assert [type(e) for e in events] == [Part, Done] * 3


def test_lookup_answers_in_the_order_asked():
    """Remembered names do not come first: an article's votes do not depend on history."""
    lookup = PlaceLookup(FakeResolver())
    lookup.resolve_many(["Syria"], None)
    answers = lookup.resolve_many(["Madrid", "Syria", "Fes", "Madrid"], None)
    assert list(answers) == ["Madrid", "Syria", "Fes"]


def _children(pid):
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_workers_end_when_the_command_is_killed(folder, tmp_path, cli_env):
    """A killed ``ingest`` leaves no worker (nor fork server) waiting for ever."""
    articles = tmp_path / "many"
    articles.mkdir()
    for copy in range(10):
        for path in ARTICLES:
            shutil.copy(path, articles / f"{copy}-{path.name}")
    command = [sys.executable, "-m", "mapapp", "ingest", str(articles), "--jobs", "2"]
    proc = subprocess.Popen(
        [*command, "--records", str(tmp_path / "records.csv")],
        cwd=ROOT,
        env=cli_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers = []
        for _ in range(300):  # the fork server is the command's child, the workers its
            workers = [w for server in _children(proc.pid) for w in _children(server)]
            if workers or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert workers, "no worker seen"
        everyone = [*_children(proc.pid), *workers]
    finally:
        proc.kill()
        proc.wait()
    for _ in range(100):
        alive = [pid for pid in everyone if Path(f"/proc/{pid}").exists()]
        if not alive:
            break
        time.sleep(0.1)
    assert not alive
