"""A Nominatim outage is one warning line on stderr, not pages of geopy tracebacks.

The resolver runs in a subprocess with no logging set up, as a user's script or
the command line would, so what reaches stderr is exactly what a user sees.
"""

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from places_damage import failing_nominatim

from places import Resolver
from places.geocoders import nominatim

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["Tetouan", "Nador", "Fnideq"]

# The documented test hook (places.geocoders.nominatim.options), then the run.
SETUP = textwrap.dedent(
    """
    import sys
    from places.geocoders import nominatim
    nominatim.options.min_delay_seconds = 0.0
    nominatim.options.error_wait_seconds = 0.0
    nominatim.options.max_retries = 2
    nominatim.options.timeout = 2.0
    nominatim.options.outage_cooldown_seconds = 0.0  # every name meets the outage
    """
)

API_RUN = SETUP + textwrap.dedent(
    """
    import json
    from places import Resolver
    with Resolver(cache_path=sys.argv[1], geocoder="nominatim", nominatim_url=sys.argv[2]) as r:
        found = r.resolve_many(sys.argv[3:], country="MA")
        print(json.dumps({n: res.source for n, res in found.items()}))
    """
)

CLI_RUN = SETUP + "from places.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def _run(tmp_path, index_path, script, *args):
    env = {
        **os.environ,
        "PLACES_INDEX": str(index_path),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _assert_one_warning(stderr, url):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert f"Nominatim at {url} failed (" in lines[0]
    assert "answering offline, not caching" in lines[0]


@pytest.mark.parametrize("mode", ["500", "garbage"])
def test_an_outage_through_the_api_is_one_line(tmp_path, index_path, mode):
    with failing_nominatim(mode) as (url, server):
        proc = _run(tmp_path, index_path, API_RUN, str(tmp_path / "c.sqlite"), url, *NAMES)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == dict.fromkeys(NAMES, "geonames")
    assert server.hits == 3 * len(NAMES)  # each name: a try and two retries
    _assert_one_warning(proc.stderr, url)


def test_an_outage_on_the_command_line_is_one_warning_line(tmp_path, index_path):
    with failing_nominatim("500") as (url, _):
        proc = _run(
            tmp_path,
            index_path,
            CLI_RUN,
            "geocode",
            *NAMES,
            "--country",
            "MA",
            "--json",
            "--cache",
            str(tmp_path / "c.sqlite"),
            "--geocoder",
            "nominatim",
            "--nominatim-url",
            url,
        )
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["source"] for line in proc.stdout.splitlines()] == ["geonames"] * 3
    _assert_one_warning(proc.stderr, url)
    assert proc.stderr.startswith("places: warning: ")


def test_geopy_logs_no_traceback_while_retrying(tmp_path, index_path, monkeypatch, caplog):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(nominatim.options, "min_delay_seconds", 0.0)
    monkeypatch.setattr(nominatim.options, "error_wait_seconds", 0.0)
    monkeypatch.setattr(nominatim.options, "max_retries", 2)
    monkeypatch.setattr(nominatim.options, "outage_cooldown_seconds", 0.0)
    caplog.set_level(logging.DEBUG)
    with (
        failing_nominatim("500") as (url, server),
        Resolver(
            cache_path=tmp_path / "c.sqlite",
            index_path=index_path,
            geocoder="nominatim",
            nominatim_url=url,
        ) as resolver,
    ):
        resolver.resolve_many(NAMES, country="MA")
    assert server.hits == 3 * len(NAMES)
    assert resolver.stats.outages == len(NAMES)
    assert not [r for r in caplog.records if r.exc_info]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in warnings] == ["places.resolver"]
    # geopy's own loggers keep their level: nothing was muted globally.
    assert logging.getLogger("geopy").level == logging.NOTSET
