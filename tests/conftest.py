"""Session-wide test settings.

No test may write to the user's own cache directory, so the geocode cache and
the gazetteer's name index go to a per-session temporary folder; the index is
built once there and shared by every test.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from places.gazetteer import INDEX_FILENAME, Gazetteer

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def isolated_places_dirs(tmp_path_factory):
    """Point PLACES_CACHE and PLACES_INDEX at a session-scoped temporary folder."""
    base = tmp_path_factory.mktemp("places")
    saved = {k: os.environ.get(k) for k in ("PLACES_CACHE", "PLACES_INDEX")}
    os.environ["PLACES_CACHE"] = str(base / "geocode.sqlite")
    os.environ["PLACES_INDEX"] = str(base / INDEX_FILENAME)
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def index_path(isolated_places_dirs):
    """The session's GeoNames name index, built once (about 20 s) and shared by all tests."""
    path = Path(os.environ["PLACES_INDEX"])
    Gazetteer(path).close()
    return path


@pytest.fixture
def seeds_dir():
    """The seed articles and their gold, which live beside the repository."""
    if not (SEEDS / "gold.json").exists():
        pytest.skip("../shared/seeds is not beside the repository: seed checks need it")
    return SEEDS


@pytest.fixture
def places_run(tmp_path, index_path):
    """Run ``python -m places ARGS…`` with its own cache and the session's index."""
    env = {**os.environ, "PLACES_INDEX": str(index_path), "PLACES_CACHE": str(tmp_path / "env")}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "places", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def pytest_collection_modifyitems(items):
    """Mark every test that reads the seed articles ``seeds``, so ``-m "not seeds"`` works."""
    for item in items:
        if "seeds_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.seeds)
