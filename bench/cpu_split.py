#!/usr/bin/env python3
"""Where the CPU went during a load, from `perf script -F comm,ip,sym` on stdin: the share of each
process (ours, PostgreSQL, the load generator, the kernel's idle) and, inside ours, of each crate.

usage: perf script -i perf.data -F comm,ip,sym | bench/cpu_split.py
"""
import collections
import re
import sys

PROCESSES = {"tokio-runtime-w": "billing-portal", "tokio-rt-worker": "billing-portal", "billing-portal": "billing-portal", "postgres": "postgres",
             "wrk": "wrk", "pgbench": "pgbench", "swapper": "idle"}
samples = collections.Counter()
crates = collections.Counter()
for line in sys.stdin:
    parts = line.split(None, 2)
    if not parts:
        continue
    process = PROCESSES.get(parts[0], "other")
    samples[process] += 1
    if process == "billing-portal":
        symbol = parts[2].strip() if len(parts) > 2 else ""
        # The first path segment of a demangled symbol names its crate; the rest is the kernel's
        # (its addresses are the top half) or a C library's (libc's malloc and memmove, mostly).
        match = re.search(r"([a-z_][a-z0-9_]*)::", symbol)
        if match:
            crates[match.group(1)] += 1
        else:
            crates["kernel" if parts[1].startswith("ffff") else "libc"] += 1

# Crates by the stage of a request they work in.
STAGES = {
    "GraphQL parsing": ("pest", "async_graphql_parser", "stacker", "psm"),
    "GraphQL validation and execution": ("async_graphql", "async_graphql_value", "indexmap"),
    "SQL (building, driver, rows)": ("sea_orm", "sea_query", "sqlx_core", "sqlx_postgres", "sqlx"),
    "JSON": ("serde_json", "serde", "serde_core"),
    "HTTP": ("hyper", "poem", "http", "h2", "httparse", "hyper_util"),
    "async runtime": ("tokio", "futures_util", "futures_core", "futures_channel", "mio"),
    "kernel (sockets, scheduling)": ("kernel",),
    "memory (malloc, memmove)": ("libc", "mimalloc", "libmimalloc_sys", "alloc"),
}
stage_of = {crate: stage for stage, members in STAGES.items() for crate in members}
stages = collections.Counter()
for crate, count in crates.items():
    stages[stage_of.get(crate, "other (our code, std, hashing, …)")] += count

total = sum(samples.values()) or 1
print("CPU by process:  " + "   ".join(f"{name} {count / total:.0%}" for name, count in samples.most_common()))
ours = sum(crates.values()) or 1
top = "   ".join(f"{name} {count / ours:.0%}" for name, count in crates.most_common(12))
print(f"inside billing-portal, by crate:  {top}")
print("inside billing-portal, by stage:  " + "   ".join(f"{name} {count / ours:.0%}" for name, count in stages.most_common()))
