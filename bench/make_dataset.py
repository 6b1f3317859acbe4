#!/usr/bin/env python3
"""A carrier-sized data set, fed as the carrier's billing engine feeds it: accounts, users and
invoices through the Partner API (8 connections at once, as an engine with a connection pool
would), call records through `import-cdrs`. Every account is on Auto Pay with a test card (what its
office manager would have set up in the portal: rows, as the portal would write them), and every
account's newest invoice is due on one common day.

usage: make_dataset.py URL PARTNER_KEY DATABASE_URL BIN WORKDIR --accounts N --months M
                       --users-per-account U --call-accounts K --calls-per-account C
Prints one JSON object: what was made, and the cycle day's figures (the newest month's invoices,
all posted at once: invoices per second and the 99th percentile latency). Deterministic.
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import random
import subprocess
import threading
import time
import urllib.parse

CONNECTIONS = 8
FIRST_ACCOUNT = 200000


def months_back(day, n):
    month = day.month - 1 - n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


class Engine:
    """The billing engine's HTTP client: one kept-alive connection per thread."""

    def __init__(self, url, key):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port, self.key = parsed.hostname, parsed.port, key
        self.local = threading.local()

    def send(self, method, path, body):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        connection.request(method, "/partner/v1" + path, json.dumps(body),
                           {"content-type": "application/json", "authorization": f"Bearer {self.key}"})
        response = connection.getresponse()
        answer = response.read()
        if response.status not in (200, 201):
            raise SystemExit(f"{method} {path}: {response.status} {answer[:300]!r}")
        return time.perf_counter() - started

    def all(self, requests):
        """Sends (method, path, body) requests over 8 connections; answers each one's seconds."""
        with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
            return list(pool.map(lambda r: self.send(*r), requests))


def invoice(account, issued_on, due_on, calls_total):
    seats = 2 + account % 10
    lines = [("Hosted PBX seats", seats * 2495), ("Phone numbers", seats * 500), ("Calls", calls_total)]
    subtotal = sum(amount for _, amount in lines)
    tax = subtotal * 13 // 100
    money = lambda minor: f"{minor // 100}.{minor % 100:02d}"
    return {
        "periodStart": str(months_back(issued_on, 1)),
        "periodEnd": str(issued_on - datetime.timedelta(days=1)),
        "issuedOn": str(issued_on),
        "dueOn": str(due_on),
        "lines": [{"description": d, "amount": money(a)} for d, a in lines],
        "taxes": [{"name": "HST", "amount": money(tax)}],
        "total": money(subtotal + tax),
    }


def main():
    parser = argparse.ArgumentParser()
    for name in ("url", "key", "database_url", "bin", "workdir"):
        parser.add_argument(name)
    for name, default in (("accounts", 10000), ("months", 24), ("users-per-account", 3),
                          ("call-accounts", 200), ("calls-per-account", 100000)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    engine = Engine(args.url, args.key)
    today = datetime.date.today()
    # The newest invoices are issued on the first of this month and all due on one day.
    newest = today.replace(day=1)
    due_day = newest + datetime.timedelta(days=21)
    numbers = [str(FIRST_ACCOUNT + n) for n in range(args.accounts)]
    report = {"accounts": args.accounts, "months": args.months, "due_on": str(due_day)}

    started = time.perf_counter()
    engine.all([("PUT", f"/accounts/{number}", {
        "name": f"Business {number}",
        "billingAddress": {"line1": f"{int(number) % 900 + 1} King St W", "line2": None, "city": "Toronto",
                           "province": "ON", "postalCode": "M5V 1J5", "country": "CA"},
        "timeZone": "America/Toronto", "currency": "CAD"}) for number in numbers])
    roles = ["OFFICE_MANAGER"] + ["MEMBER"] * (args.users_per_account - 1)
    engine.all([("POST", f"/accounts/{number}/users", {
        "email": f"user{u}@b{number}.example", "name": f"User {u} of {number}", "role": role})
        for number in numbers for u, role in enumerate(roles)])
    report["users"] = args.accounts * len(roles)
    report["accounts_and_users_seconds"] = round(time.perf_counter() - started, 1)

    # History: every month but the newest, oldest first, each already due.
    started = time.perf_counter()
    for back in range(args.months - 1, 0, -1):
        issued = months_back(newest, back)
        engine.all([("PUT", f"/accounts/{number}/invoices/INV-{number}-{issued:%Y%m}",
                     invoice(int(number), issued, issued + datetime.timedelta(days=21), 1000 + back))
                    for number in numbers])
    report["history_invoices"] = args.accounts * (args.months - 1)
    report["history_seconds"] = round(time.perf_counter() - started, 1)

    # History is paid: a credit settles each account's past months (payments taken by other means,
    # as the engine posts them), so that the common due date charges the newest invoice alone.
    def history_total(number):
        totals = (invoice(int(number), newest, newest, 1000 + back)["total"] for back in range(1, args.months))
        return sum(int(total.replace(".", "")) for total in totals)
    engine.all([("PUT", f"/accounts/{number}/credits/PAID-{newest:%Y%m}", {
        "amount": f"{history_total(number) // 100}.{history_total(number) % 100:02d}",
        "description": "Paid by cheque", "postedOn": str(newest - datetime.timedelta(days=1))})
        for number in numbers if args.months > 1])

    # Cycle day: the newest month's invoices, all at once.
    started = time.perf_counter()
    latencies = engine.all([("PUT", f"/accounts/{number}/invoices/INV-{number}-{newest:%Y%m}",
                             invoice(int(number), newest, due_day, 1000)) for number in numbers])
    seconds = time.perf_counter() - started
    latencies.sort()
    report["cycle_day"] = {
        "invoices": len(latencies),
        "seconds": round(seconds, 2),
        "invoices_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000, 1),
    }

    # Auto Pay with a test card, as each office manager would have set it up in the portal: the
    # mock's test Visa attached to the account's customer (ids as the mock's attach makes them).
    sql = f"""
      INSERT INTO payment_methods (account_id, gateway, gateway_id, kind, brand, last4, exp_month, exp_year, created_at)
      SELECT id, 'mock', 'pm_card_visa__cus_mock_' || id || '__dataset', 'card', 'visa', '4242', 12, {today.year + 3}, now()
      FROM accounts WHERE number::bigint >= {FIRST_ACCOUNT};
      INSERT INTO auto_pay_settings (account_id, enabled, payment_method_id, updated_at)
      SELECT m.account_id, true, m.id, now() FROM payment_methods m
      JOIN accounts a ON a.id = m.account_id WHERE a.number::bigint >= {FIRST_ACCOUNT};
    """
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", args.database_url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)

    # Call records: the busiest accounts, each month's calls billed on that month's invoice.
    started = time.perf_counter()
    rng = random.Random(21)
    for number in numbers[:args.call_accounts]:
        path = os.path.join(args.workdir, f"calls-{number}.csv")
        per_month = max(1, args.calls_per_account // args.months)
        with open(path, "w") as out:
            out.write("call_id,started_at,direction,from_number,to_number,duration_seconds,call_type,"
                      "rated_amount,currency,invoice_number\n")
            for back in range(args.months - 1, -1, -1):
                issued = months_back(newest, back)
                start = datetime.datetime.combine(months_back(issued, 1), datetime.time(), datetime.timezone.utc)
                span = int((datetime.datetime.combine(issued, datetime.time(), datetime.timezone.utc) - start)
                           .total_seconds())
                step = span // per_month
                for n in range(per_month):
                    at = start + datetime.timedelta(seconds=n * step + rng.randrange(max(step, 1)))
                    duration = rng.randrange(8, 1800)
                    out.write(f"c{back:02d}-{n:07d},{at:%Y-%m-%dT%H:%M:%SZ},outbound,+1416555{rng.randrange(10000):04d},"
                              f"+1905555{rng.randrange(10000):04d},{duration},long_distance,"
                              f"0.{rng.randrange(10, 99)},CAD,INV-{number}-{issued:%Y%m}\n")
        subprocess.run([args.bin, "import-cdrs", "--account", number, path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.remove(path)
    report["call_records"] = args.call_accounts * max(1, args.calls_per_account // args.months) * args.months
    report["call_records_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
