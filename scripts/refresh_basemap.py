"""Refresh the offline base map shipped in ``mapapp/static/basemap`` (for maintainers).

The country outlines (Natural Earth 1:50m as TopoJSON, npm package ``world-atlas``)
and the script that reads them (``topojson-client``) are shipped inside the Python
package, so users need neither Node.js nor npm. This script fetches the versions
named in ``manifest.json`` (or newer ones given on the command line) with
``npm pack`` from the npm registry, copies the files and their licences in, and
rewrites the manifest with each file's sha256::

    python scripts/refresh_basemap.py [--world-atlas 2.0.2] [--topojson-client 3.1.0]

Only this script needs npm; the tool itself never runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

BASEMAP = Path(__file__).resolve().parents[1] / "mapapp" / "static" / "basemap"
MANIFEST = BASEMAP / "manifest.json"

#: npm package → (file inside the package, file name in BASEMAP).
FILES = {
    "world-atlas": [("countries-50m.json", "countries-50m.json"),
                    ("LICENSE", "LICENSE.world-atlas")],
    "topojson-client": [("dist/topojson-client.min.js", "topojson-client.min.js"),
                        ("LICENSE", "LICENSE.topojson-client")],
}  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package: str, version: str, work: Path) -> dict:
    """``npm pack`` one package, copy its files into BASEMAP; its manifest entry."""
    done = subprocess.run(["npm", "pack", f"{package}@{version}", "--json"], cwd=work,
                          capture_output=True, text=True, check=True)  # fmt: skip
    (packed,) = json.loads(done.stdout)
    with tarfile.open(work / packed["filename"]) as tar:
        tar.extractall(work / package, filter="data")
    root = work / package / "package"
    meta = json.loads((root / "package.json").read_text())
    files = {}
    for inside, name in FILES[package]:
        shutil.copyfile(root / inside, BASEMAP / name)
        files[name] = {"from": inside, "sha256": sha256(BASEMAP / name)}
    return {"version": meta["version"], "license": meta.get("license", ""), "files": files}


def main() -> int:
    current = json.loads(MANIFEST.read_text())["packages"]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for package in FILES:
        parser.add_argument(
            f"--{package}",
            default=current[package]["version"],
            help=f"version (default: {current[package]['version']})",
        )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        packages = {p: fetch(p, getattr(args, p.replace("-", "_")), Path(tmp)) for p in FILES}
    manifest = json.loads(MANIFEST.read_text())
    manifest["packages"] = packages
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(packages, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
