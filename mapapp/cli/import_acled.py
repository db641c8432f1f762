"""``ct-arrest-map import-acled``: an ACLED file into records, ACLED's points kept."""

from __future__ import annotations

import argparse
from pathlib import Path

from mapapp.export.pipeline import refuse_overwriting
from mapapp.files import writing
from mapapp.records.acled import read_acled


def overrides_path(out: Path) -> Path:
    """Where the overrides go by default: ``records.csv`` → ``records.overrides.csv``."""
    return out.with_name(f"{out.stem}.overrides.csv")


def command(args: argparse.Namespace) -> int:
    """Read and check the whole file, then write records and overrides, both or neither."""
    overrides = args.overrides_out or overrides_path(args.out)
    refuse_overwriting({"--out": args.out, "--overrides-out": overrides}, {"FILE": args.file})
    result = read_acled(args.file, all_events=args.all_events)
    with writing() as batch:
        batch.write(args.out, result.records_csv)
        batch.write(overrides, result.overrides_csv)
    skipped = (
        f"; {result.skipped} row(s) of other sub-event types skipped (--all-events keeps them)"
        if result.skipped
        else ""
    )
    print(
        f"{args.out}: {len(result.records)} operation(s) "
        f"from {result.rows} ACLED row(s){skipped}; "
        f"ACLED's points in {overrides} (use it as --overrides)"
    )
    return 0
