#!/usr/bin/env python3
"""Summarise a bench run (results.csv + probe.csv of run_peers.sh) as Markdown tables.

    summarize.py RESULTS_DIR

Per size: one line per system with pages, wall time, pages/s, peak RSS, time to the PDF's first
bytes and to 10 % of its bytes, PDF size and the grand-total check; then Folio's ratios to every
other system measured in the same run.
"""
import csv
import os
import sys

NAMES = {
    "folio": "Folio",
    "folio-nocount": "Folio, no page count",
    "floor": "floor.c (-O2)",
    "floorfixed": "floor.c --fixed",
    "rml": "z3c.rml + ReportLab",
    "fo": "Apache FOP",
    "html": "WeasyPrint",
}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "results"
    rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
    probes = {}
    ppath = os.path.join(out, "probe.csv")
    if os.path.exists(ppath):
        for p in csv.DictReader(open(ppath)):
            probes[(p["peer"], p["n"])] = p
    totals = [r for r in rows if r["step"] == "total"]
    sizes = sorted({int(r["n"]) for r in totals})
    if os.path.exists(os.path.join(out, "machine.txt")):
        print("```")
        print(open(os.path.join(out, "machine.txt")).read().rstrip())
        print("```\n")
    for n in sizes:
        print(f"### {n:,} rows\n")
        print("| system | pages | wall s | pages/s | CPU s | pages/CPU-s | peak RSS MB | first byte s | 10 % of PDF s | PDF bytes | other load CPU-s | check |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        here = {}
        for r in totals:
            if int(r["n"]) != n:
                continue
            here[r["peer"]] = r
            p = probes.get((r["peer"], r["n"]), {})
            status = r["check"] if r["status"] == "ok" else r["status"]
            cpu, pages = num(r["cpu_s"]), num(r["pages"])
            per_cpu = f"{pages / cpu:.1f}" if cpu and pages else "–"
            print("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                NAMES.get(r["peer"], r["peer"]), r["pages"], r["wall_s"], r["pages_per_s"], r["cpu_s"], per_cpu,
                r["peak_rss_mb"], p.get("first_byte_s", "–"), p.get("out10_s", "–"), r["pdf_bytes"], r["bg_cpu_s"], status))
        f = here.get("folio")
        if f and num(f["pages_per_s"]):
            print()
            print("| Folio vs | speed (pages/s ratio) | work (pages/CPU-s ratio) | peak RSS ratio | PDF size ratio |")
            print("|---|---:|---:|---:|---:|")
            for peer, r in here.items():
                if peer == "folio" or r["status"] != "ok":
                    continue
                sp, rs, by = num(r["pages_per_s"]), num(r["peak_rss_mb"]), num(r["pdf_bytes"])
                fc, pc = num(f["cpu_s"]), num(r["cpu_s"])
                work = f"{pc / fc * num(f['pages']) / num(r['pages']):.2f}×" if fc and pc and num(r["pages"]) else "–"
                print("| {} | {} | {} | {} | {} |".format(
                    NAMES.get(peer, peer),
                    f"{num(f['pages_per_s']) / sp:.2f}×" if sp else "–", work,
                    f"{num(f['peak_rss_mb']) / rs:.2f}×" if rs else "–",
                    f"{num(f['pdf_bytes']) / by:.2f}×" if by else "–"))
        print()
    skipped = [r for r in totals if r["status"] == "skipped"]
    for r in skipped:
        print(f"- {NAMES.get(r['peer'], r['peer'])} at {int(r['n']):,} rows: skipped ({r['note']}; "
              f"~{r['wall_s']} s, ~{r['peak_rss_mb']} MB)")


if __name__ == "__main__":
    main()
