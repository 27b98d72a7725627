#!/usr/bin/env python3
"""Load generator and batch timer for bench/service/run.sh (standard library only).

  load.py load  --url URL --body FILE --content-type T --concurrency N --duration S [--token T]
      N threads, each with its own keep-alive connection, POST the body in a loop for S seconds.
      Prints one JSON line: requests, errors, requests_per_s, p50_ms, p99_ms.

  load.py batch --base URL --report NAME --record FILE --count N [--token T]
      Submits one merged batch job of N copies of the record, polls until it ends and prints one
      JSON line: seconds (submit to end), pages, pages_per_s, documents_per_s, result_bytes.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connect(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=600), u.path or "/"


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def run_load(args):
    body = open(args.body, "rb").read()
    headers = {"Content-Type": args.content_type}
    if args.token:
        headers["Authorization"] = "Bearer " + args.token
    latencies, errors, lock = [], [0], threading.Lock()
    start = time.monotonic()
    deadline = start + args.duration

    def worker():
        conn, path = connect(args.url)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and data.startswith(b"%PDF")
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn, path = connect(args.url)
            t1 = time.perf_counter()
            if ok:
                mine.append((t1 - t0) * 1000.0)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    print(json.dumps({
        "concurrency": args.concurrency, "seconds": round(elapsed, 2), "requests": len(latencies),
        "errors": errors[0], "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2), "p99_ms": round(percentile(latencies, 99), 2),
    }))


def request(base, method, path, token, body=None):
    conn, _ = connect(base)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def run_batch(args):
    record = open(args.record, encoding="utf-8").read()
    job = json.dumps({"report": args.report, "batch": "merged", "records": [record] * args.count}).encode()
    t0 = time.monotonic()
    status, data = request(args.base, "POST", "/v1/jobs", args.token, job)
    if status != 202:
        sys.exit("job not accepted: %d %s" % (status, data[:300]))
    job_id = json.loads(data)["id"]
    while True:
        status, data = request(args.base, "GET", "/v1/jobs/" + job_id, args.token)
        state = json.loads(data)
        if state["state"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.5)  # each status read decodes the job record, which holds every posted record
    elapsed = time.monotonic() - t0
    if state["state"] != "succeeded" or state["errors"]:
        sys.exit("job ended %s with %d failed records: %s" % (state["state"], len(state["errors"]), state.get("failure")))
    status, result = request(args.base, "GET", "/v1/jobs/%s/result" % job_id, args.token)
    if status != 200 or not result.startswith(b"%PDF"):
        sys.exit("no result: %d" % status)
    pages = state["pagesDone"]
    print(json.dumps({
        "documents": args.count, "request_bytes": len(job), "seconds": round(elapsed, 2), "pages": pages,
        "pages_per_s": round(pages / elapsed, 1), "documents_per_s": round(args.count / elapsed, 1),
        "result_bytes": len(result),
    }))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    l = sub.add_parser("load")
    l.add_argument("--url", required=True)
    l.add_argument("--body", required=True)
    l.add_argument("--content-type", default="application/xml")
    l.add_argument("--concurrency", type=int, default=1)
    l.add_argument("--duration", type=float, default=20)
    l.add_argument("--token")
    b = sub.add_parser("batch")
    b.add_argument("--base", required=True)
    b.add_argument("--report", required=True)
    b.add_argument("--record", required=True)
    b.add_argument("--count", type=int, default=1000)
    b.add_argument("--token")
    args = p.parse_args()
    run_load(args) if args.command == "load" else run_batch(args)


if __name__ == "__main__":
    main()
