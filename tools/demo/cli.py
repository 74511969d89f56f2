"""Command line of the demo generator: python -m tools.demo [--size small] [--seed 2026] [--force]."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    from tools.demo import SIZES

    p = argparse.ArgumentParser(prog="python -m tools.demo",
                                description="load the demo data set (only into an empty database)")
    p.add_argument("--db", default=None, help="DuckDB file (default: $CSM_DB_PATH or data/csm.duckdb)")
    p.add_argument("--size", choices=list(SIZES), default="small")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--force", action="store_true", help="add demo data even if data exists")
    return p


def main(argv: list[str] | None = None) -> int:
    from csm.db import open_database
    from tools import demo

    args = build_parser().parse_args(argv)
    db = open_database(args.db)
    try:
        if not args.force and not demo.is_empty(db):
            print(f"database {db.path} already has data; kept as it is (use --force to add demo data anyway)")
            return 0
        summary = demo.generate(db, size=args.size, seed=args.seed)
        print(f"demo data ({args.size}, seed {args.seed}) in {db.path}:")
        for key, value in summary.items():
            print(f"  {key}: {value}")
    finally:
        db.close()
    return 0
