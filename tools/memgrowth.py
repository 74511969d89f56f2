"""What grew in a server's memory: `python -m tools.memgrowth FILE [--from-minute 2] [--top 25]`.

FILE is a memray capture of the server (`python -m tools.soak --memray FILE`, native stacks on).
Every allocation made after the given minute and still alive when the capture ends is summed by
the place it was allocated (its innermost frames, Python and C), largest first: the memory the
soak's "growth from minute 2" is made of, including what C libraries allocate outside Python's
allocator (which tracemalloc cannot see). A diagnosis tool, not part of the product.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict


def _frames(record) -> list:
    for how in ("hybrid_stack_trace", "native_stack_trace", "stack_trace"):
        try:
            return list(getattr(record, how)(max_stacks=40))
        except (AssertionError, NotImplementedError, ValueError):  # no Python frames, no native ones…
            continue
    return []


def _where(record, depth: int) -> str:
    frames = []
    for frame in _frames(record):
        name, file, line = frame[0], frame[1], frame[2]
        if any(s in str(file) for s in ("memray", "libc.so", "malloc")) or name in ("malloc", "calloc",
                                                                                    "realloc", "operator new"):
            continue
        frames.append(f"{name} ({str(file).rsplit('/', 1)[-1]}:{line})")
        if len(frames) >= depth:
            break
    return " <- ".join(frames) or "?"


def growth(path: str, from_minute: float, depth: int, resolve: int = 400) -> tuple[list[tuple[str, int, int]], float, float]:
    import memray

    reader = memray.FileReader(path)
    snaps = list(reader.get_memory_snapshots())
    if not snaps:
        raise SystemExit(f"{path}: no memory snapshots (was the capture started with memory_interval_ms?)")
    t0 = snaps[0].time
    start = next((i for i, s in enumerate(snaps) if (s.time - t0) / 60000 >= from_minute), len(snaps) - 1)
    by_stack: dict[tuple, list] = {}  # (python stack, native stack, allocator) -> [bytes, blocks, a record]
    for record in reader.get_temporal_allocation_records(merge_threads=True):
        alive = [iv for iv in record.intervals
                 if iv.deallocated_before_snapshot is None and iv.allocated_before_snapshot > start]
        if not alive:
            continue
        key = (record.stack_id, record.native_stack_id, record.allocator)
        entry = by_stack.setdefault(key, [0, 0, record])
        entry[0] += sum(iv.n_bytes for iv in alive)
        entry[1] += sum(iv.n_allocations for iv in alive)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ranked = sorted(by_stack.values(), key=lambda e: -e[0])
    for b, n, record in ranked[:resolve]:  # resolving a stack is the slow part: the largest only
        entry = sums[_where(record, depth)]
        entry[0] += b
        entry[1] += n
    rest = ranked[resolve:]
    if rest:
        sums[f"(the other {len(rest):,} stacks)"] = [sum(e[0] for e in rest), sum(e[1] for e in rest)]
    rows = sorted(((k, b, n) for k, (b, n) in sums.items()), key=lambda r: -r[1])
    minutes = (snaps[-1].time - t0) / 60000
    return rows, (snaps[start].time - t0) / 60000, minutes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.memgrowth", description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--from-minute", type=float, default=2.0)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--depth", type=int, default=6, help="frames per allocation site")
    args = ap.parse_args(argv)
    rows, start, end = growth(args.file, args.from_minute, args.depth)
    total = sum(b for _, b, _ in rows)
    print(f"allocated after minute {start:.1f} and alive at minute {end:.1f}: {total / 2**20:.1f} MB "
          f"in {sum(n for *_, n in rows):,} blocks")
    for where, b, n in rows[:args.top]:
        print(f"{b / 2**20:8.2f} MB {n:9,}  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
