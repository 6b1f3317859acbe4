#!/usr/bin/env python3
"""Writes N rated calls in the contract's CSV format, all billed on one invoice.

usage: make_cdrs.py N INVOICE_NUMBER > calls.csv
Deterministic: the same N gives the same file.
"""
import random
import sys
from datetime import datetime, timedelta, timezone

count, invoice = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1001)
start = datetime(2026, 10, 1, tzinfo=timezone.utc)
out = sys.stdout
out.write("call_id,started_at,direction,from_number,to_number,duration_seconds,call_type,rated_amount,currency,invoice_number\n")
for n in range(count):
    started = start + timedelta(seconds=n * 5 + rng.randrange(5))
    duration = rng.randrange(8, 1800)
    kind = rng.choice(("local", "local", "long_distance", "international", "toll_free"))
    outbound = rng.random() < 0.7
    ours, theirs = f"+1416555{rng.randrange(100, 112):04d}", f"+1905555{rng.randrange(10000):04d}"
    src, dst = (ours, theirs) if outbound else (theirs, ours)
    rated = {"local": 0, "long_distance": 35000, "international": 250000, "toll_free": 20000}[kind] * duration // 60
    out.write(
        f"bench-{n:07d},{started:%Y-%m-%dT%H:%M:%SZ},{'outbound' if outbound else 'inbound'},{src},{dst},"
        f"{duration},{kind},{rated // 1000000}.{rated % 1000000:06d},CAD,{invoice}\n"
    )
