"""``ingest --sources``: per-article outlet, title, URL and publication date."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.ingest import ingest
from mapapp.records import RecordsError, load_records
from mapapp.records.sources import ArticleSource, load_sources
from places import Resolver

ROOT = Path(__file__).resolve().parents[1]

REPORT = """Moroccan police on Tuesday dismantled a four-member cell loyal to the Islamic
State group in the northern cities of Tetouan and Larache, the BCIJ said. The four
suspects, aged 22 to 35, were arrested on Tuesday in Tetouan and Larache.
"""

HEADER = "file,outlet,title,url,published\n"


@pytest.fixture
def resolver(tmp_path):
    r = Resolver(cache_path=tmp_path / "geocode.sqlite")
    yield r
    r.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_sources_give_each_record_its_source_and_the_day(tmp_path, resolver):
    article = write(tmp_path / "wire-a.txt", REPORT)
    sources = write(
        tmp_path / "sources.csv",
        HEADER + "wire-a.txt,Morocco Wire,Cell dismantled,https://example.org/a,2022-03-10\n",
    )
    records = tmp_path / "records.csv"
    report = ingest([article], records, resolver, sources=load_sources(sources))
    assert len(report.added) == 1
    (row,) = load_records(records).to_dict("records")
    assert row["sources"] == (
        {
            "name": "Morocco Wire",
            "title": "Cell dismantled",
            "url": "https://example.org/a",
            "published": "2022-03-10",
        },
    )
    # 2022-03-10 was a Thursday: "on Tuesday" is 8 March.
    assert row["date"] == "2022-03-08"


def test_json_lines_sources_are_read_with_the_same_keys(tmp_path):
    lines = [
        {"file": "a.txt", "outlet": "Outlet A", "title": "T", "url": "", "published": None},
        {
            "file": "dir/b.txt",
            "outlet": "B; and C",
            "title": "T2",
            "url": "https://x.example/b",
            "published": "2020-01-02",
            "text": "the archive's text is ignored",
        },
    ]
    path = write(tmp_path / "sources.jsonl", "\n".join(map(json.dumps, lines)) + "\n\n")
    sources = load_sources(path)
    assert sources["a.txt"] == ArticleSource("Outlet A", "T", "", "")
    # a path is matched by its file name; ';' separates sources, so it becomes ','
    assert sources["b.txt"] == ArticleSource("B, and C", "T2", "https://x.example/b", "2020-01-02")


def test_an_optional_language_column_is_accepted(tmp_path):
    path = write(
        tmp_path / "s.csv",
        "file,outlet,title,url,published,language\na.txt,O,T,https://e.org/x,,fr\n",
    )
    assert load_sources(path)["a.txt"].url == "https://e.org/x"


def test_an_article_without_a_row_keeps_its_file_name_as_source(tmp_path, resolver):
    article = write(tmp_path / "wire-a.txt", REPORT)
    sources = write(tmp_path / "sources.csv", HEADER + "other.txt,O,T,https://e.org/o,\n")
    records = tmp_path / "records.csv"
    ingest([article], records, resolver, sources=load_sources(sources))
    (row,) = load_records(records).to_dict("records")
    assert row["sources"][0]["name"] == "wire-a.txt"
    assert row["sources"][0]["url"] == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "a.txt,O,T,not a url,\n",
            "sources.csv line 2, column url: 'not a url' is not an absolute URL",
        ),
        (
            "a.txt,O,T,https://e.org/a,2022-13-01\n",
            "sources.csv line 2, column published: '2022-13-01' is not a date YYYY-MM-DD",
        ),
        ("a.txt,O,T,https://e.org/a,2022-03\n", "sources.csv line 2, column published"),
        (",O,T,https://e.org/a,\n", "sources.csv line 2, column file: empty"),
        (
            "a.txt,O,T,,\nb.txt,O,T,,\na.txt,O2,T2,,\n",
            "sources.csv line 4, column file: 'a.txt' is listed twice (first on line 2)",
        ),
        ("a.txt,O,T,https://e.org/a;b,\n", "contains ';'"),
        ("a.txt,O,T\n", "sources.csv line 2: row has 3 fields, expected 5"),
    ],
)
def test_bad_csv_rows_name_file_line_and_column(tmp_path, body, message):
    path = write(tmp_path / "sources.csv", HEADER + body)
    with pytest.raises(RecordsError) as error:
        load_sources(path)
    assert message in str(error.value)


def test_a_missing_column_is_named(tmp_path):
    path = write(tmp_path / "sources.csv", "file,outlet,title,published\na.txt,O,T,\n")
    with pytest.raises(RecordsError, match="missing column.*url"):
        load_sources(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "sources.jsonl line 2: not valid JSON"),
        ("[1, 2]", "sources.jsonl line 2: expected a JSON object"),
        ('{"file": "b.txt"}', "sources.jsonl line 2: missing key(s): outlet, title, url"),
        (
            '{"file": "b.txt", "outlet": "O", "title": "T", "url": "x", "published": ""}',
            "sources.jsonl line 2, column url: 'x' is not an absolute URL",
        ),
        (
            '{"file": "b.txt", "outlet": 3, "title": "T", "url": "", "published": ""}',
            "sources.jsonl line 2, column outlet: 3 is not a string",
        ),
        (
            '{"file": "a.txt", "outlet": "O", "title": "T", "url": "", "published": ""}',
            "sources.jsonl line 2, column file: 'a.txt' is listed twice (first on line 1)",
        ),
    ],
)
def test_bad_json_lines_name_file_line_and_key(tmp_path, line, message):
    first = '{"file": "a.txt", "outlet": "O", "title": "T", "url": "", "published": ""}'
    path = write(tmp_path / "sources.jsonl", first + "\n" + line + "\n")
    with pytest.raises(RecordsError) as error:
        load_sources(path)
    assert message in str(error.value)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "mapapp", *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.mark.slow
def test_cli_bad_sources_one_line_exit_2_nothing_written(tmp_path):
    article = write(tmp_path / "a.txt", REPORT)
    sources = write(tmp_path / "sources.csv", HEADER + "a.txt,O,T,nope,\n")
    records = tmp_path / "records.csv"
    result = run_cli(
        "ingest", str(article), "--records", str(records), "--sources", str(sources),
        "--cache", str(tmp_path / "c.sqlite"),
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "sources.csv line 2, column url: 'nope' is not an absolute URL" in lines[0]
    assert not records.exists()


@pytest.mark.slow
def test_cli_sources_reach_the_records(tmp_path):
    article = write(tmp_path / "a.txt", REPORT)
    sources = write(
        tmp_path / "sources.jsonl",
        json.dumps(
            {
                "file": "a.txt",
                "outlet": "Wire",
                "title": "Cell",
                "url": "https://e.org/a",
                "published": "2022-03-10",
            }
        )
        + "\n",
    )
    records = tmp_path / "records.csv"
    result = run_cli(
        "ingest", str(article), "--records", str(records), "--sources", str(sources),
        "--cache", str(tmp_path / "c.sqlite"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = load_records(records).to_dict("records")
    assert row["sources"][0]["url"] == "https://e.org/a"
    assert row["date"] == "2022-03-08"
