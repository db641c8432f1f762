"""The opt-in Nominatim path, against a fake server on 127.0.0.1 (no internet)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from places import Resolver
from places.geocoders import nominatim

SLOW_SECONDS = 3.0
TIMEOUT = 0.5


class FakeNominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim, or fails the way ``server.mode`` says."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        self.server.queries.append(query)
        mode = self.server.mode
        if url.path != "/search" or mode == "500":
            return self._send(500, b"internal error", "text/plain")
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        if mode == "garbage":
            return self._send(200, b"<html>definitely not json", "application/json")
        answer = (
            []
            if mode == "empty"
            else [
                {
                    "place_id": 1,
                    "osm_type": "relation",
                    "osm_id": 42,
                    "class": "boundary",
                    "type": "administrative",
                    "importance": 0.6,
                    "lat": "35.5",
                    "lon": "-5.5",
                    "display_name": f"{query} (fake), Maroc",
                    "address": {"country_code": "ma"},
                }
            ]
        )
        return self._send(200, json.dumps(answer).encode(), "application/json")

    def _send(self, status, body, ctype):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    # The documented test hook: short delays, allowed only for a loopback host.
    monkeypatch.setattr(nominatim.options, "min_delay_seconds", 0.0)
    monkeypatch.setattr(nominatim.options, "error_wait_seconds", 0.0)
    monkeypatch.setattr(nominatim.options, "max_retries", 1)
    monkeypatch.setattr(nominatim.options, "timeout", TIMEOUT)
    monkeypatch.setattr(nominatim.options, "outage_cooldown_seconds", 0.0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    httpd.daemon_threads = True
    httpd.mode, httpd.queries = "ok", []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def resolver(server, tmp_path, index_path):
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with Resolver(
        cache_path=tmp_path / "c.sqlite",
        index_path=index_path,
        geocoder="nominatim",
        nominatim_url=url,
    ) as r:
        yield r


def test_a_healthy_server_answers_and_is_cached(server, resolver):
    res = resolver.resolve("Kenitra", country="MA")
    assert res.source == "nominatim"
    assert res.precision == "admin area"
    point = res.points[0]
    assert (point.name, point.lat, point.lon, point.country_code, point.geonameid) == (
        "Kenitra (fake)",
        35.5,
        -5.5,
        "MA",
        None,
    )
    again = resolver.resolve("Kenitra", country="MA")
    assert again.cached
    assert again.points == res.points
    assert server.queries == ["Kenitra"]


@pytest.mark.parametrize("mode", ["500", "slow", "garbage"])
def test_an_outage_falls_back_offline_quickly_and_is_not_cached(server, resolver, mode):
    server.mode = mode
    started = time.monotonic()
    res = resolver.resolve("Tetouan", country="MA")
    elapsed = time.monotonic() - started
    assert res.source == "geonames"
    assert res.points[0].geonameid == 2528910
    assert elapsed < 2 * (TIMEOUT + 1)  # two tries at most, each bounded
    assert resolver.stats.outages == 1
    assert len(server.queries) == 2  # first try and one retry
    server.mode = "ok"
    healed = resolver.resolve("Tetouan", country="MA")
    assert not healed.cached
    assert healed.source == "nominatim"
    assert len(server.queries) == 3
    assert resolver.resolve("Tetouan", country="MA").cached


def test_nothing_found_online_is_answered_offline_and_cached(server, resolver):
    server.mode = "empty"
    res = resolver.resolve("Fnideq", country="MA")
    assert res.source == "geonames"
    assert res.points[0].geonameid == 2548818
    assert resolver.resolve("Fnideq", country="MA").cached
    assert server.queries == ["Fnideq"]


def test_a_refused_connection_falls_back_offline(tmp_path, index_path, server):
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    with Resolver(
        cache_path=tmp_path / "c2.sqlite",
        index_path=index_path,
        geocoder="nominatim",
        nominatim_url=f"http://127.0.0.1:{port}",
    ) as r:
        res = r.resolve("Nador", country="MA")
        assert res.source == "geonames"
        assert r.stats.outages == 1
        assert not r.resolve("Nador", country="MA").cached


def test_the_one_second_floor_holds_for_any_real_host(monkeypatch):
    monkeypatch.setattr(nominatim.options, "min_delay_seconds", 0.01)
    monkeypatch.setattr(nominatim.options, "error_wait_seconds", 0.01)
    remote = nominatim.make_nominatim("https://nominatim.example.org")
    public = nominatim.make_nominatim(None)
    local = nominatim.make_nominatim("http://127.0.0.1:8080")
    assert remote.min_delay_seconds == public.min_delay_seconds == 1.0
    assert local.min_delay_seconds == 0.01
    assert remote.swallow_exceptions is False


def test_the_user_agent_is_not_geopys_default():
    assert not nominatim.options.user_agent.startswith("geopy/")
    assert nominatim.nominatim_key("http://127.0.0.1:8080/") == "nominatim:http://127.0.0.1:8080"


def test_after_an_outage_names_go_offline_for_a_while(server, resolver, monkeypatch):
    monkeypatch.setattr(nominatim.options, "outage_cooldown_seconds", 60.0)
    server.mode = "500"
    resolver.resolve("Tetouan", country="MA")
    server.mode = "ok"
    started = time.monotonic()
    res = resolver.resolve("Nador", country="MA")
    assert time.monotonic() - started < 1
    assert res.source == "geonames"
    assert not resolver.resolve("Nador", country="MA").cached
    assert server.queries == ["Tetouan", "Tetouan"]
    assert resolver.stats.outages == 3
