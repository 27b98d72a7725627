#!/usr/bin/env python3
"""Generate samples/ledger.rml, a multi-page general ledger for Folio.

The data is synthetic but internally consistent double-entry bookkeeping
for the fictional Atelier Lumen SARL (Lyon), first quarter of 2025:
every transaction balances, lines are grouped by account, each account
shows a running balance and a subtotal row, and the report ends with
grand totals.

Output is fully deterministic: the pseudo-random generator is seeded
with a fixed value, so running the script twice yields identical files.

Usage:  python3 samples/gen_ledger.py            (writes samples/ledger.rml)
        python3 samples/gen_ledger.py OUT.rml
"""

import datetime
import os
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

SEED = 20250331
WORKING_DAYS = 80           # business days carrying one random transaction each
CENT = Decimal("0.01")

ACCOUNTS = {
    "401000": "Suppliers",
    "411000": "Customers",
    "445660": "VAT deductible",
    "445710": "VAT collected",
    "512000": "Bank — Crédit Lyonnais",
    "601000": "Purchases of materials",
    "606300": "Small equipment",
    "613200": "Premises rent",
    "626000": "Postage and telecoms",
    "641000": "Salaries",
    "706000": "Design services",
    "707000": "Sales of light fittings",
}

JOURNALS = {"VE": "Sales", "AC": "Purchases", "BQ": "Bank", "OD": "Misc."}

CUSTOMERS = [
    "Hôtel des Deux Rives", "Brasserie Le Gône", "Musée des Tissus",
    "Librairie Passages", "Cabinet Roux et Associés", "Théâtre de la Croix-Rousse",
    "Boulangerie Pétrin d'Or", "Galerie Saint-Georges", "Clinique Vétérinaire Ainay",
]

SUPPLIERS = [
    ("Laiton Français SA", "601000", "brass tubes and sheets"),
    ("Verrerie de Givors", "601000", "blown glass shades"),
    ("Électro-Rhône", "601000", "LED modules and drivers"),
    ("Bois et Scierie Dumas", "601000", "oak boards"),
    ("Outillage Bellecour", "606300", "hand tools"),
    ("Quincaillerie Martin", "606300", "fixings and brackets"),
]


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value, blank_zero=True):
    """1234.5 -> '1,234.50'; zero -> '' when blank_zero."""
    if blank_zero and value == 0:
        return ""
    sign = "-" if value < 0 else ""
    return sign + "{:,.2f}".format(abs(value))


def working_day(year, month, day):
    """The given date, or the next Monday if it falls on a weekend."""
    d = datetime.date(year, month, day)
    while d.weekday() >= 5:
        d += datetime.timedelta(days=1)
    return d


def business_days(rng, start, end, count):
    """`count` sorted working days between start and end (inclusive)."""
    days = []
    d = start
    while d <= end:
        if d.weekday() < 5:
            days.append(d)
        d += datetime.timedelta(days=1)
    return sorted(rng.choice(days) for _ in range(count))


def build_transactions(rng):
    """Return a list of (date, journal, piece, [(account, label, debit, credit)])."""
    txs = []
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)
    open_invoices = []      # (customer, invoice no, amount incl. VAT)
    open_bills = []         # (supplier, ref, amount incl. VAT)
    sale_no, bill_no = 12, 1

    # Fixed monthly items (moved to Monday when on a weekend): rent on the 5th,
    # telecoms on the 10th, salaries on the 28th.
    for month in (1, 2, 3):
        rent = money("1850.00")
        txs.append((working_day(2025, month, 5), "BQ", "RENT-%02d" % month, [
            ("613200", "Workshop rent, month %02d/2025" % month, rent, 0),
            ("512000", "Rent transfer to SCI Canuts", 0, rent),
        ]))
        tel = money(rng.randint(9000, 12000)) / 100
        tel_vat = money(tel * Decimal("0.20"))
        txs.append((working_day(2025, month, 10), "AC", "TEL-%02d" % month, [
            ("626000", "Telephone and internet, %02d/2025" % month, tel, 0),
            ("445660", "VAT on telecoms %02d/2025" % month, tel_vat, 0),
            ("401000", "Rhône Télécom — invoice %02d/2025" % month, 0, tel + tel_vat),
        ]))
        sal = money("9420.00") + money(rng.randint(0, 60000)) / 100
        txs.append((working_day(2025, month, 28), "OD", "SAL-%02d" % month, [
            ("641000", "Salaries %02d/2025 (4 employees)" % month, sal, 0),
            ("512000", "Net salaries paid %02d/2025" % month, 0, sal),
        ]))

    # One random transaction on each of WORKING_DAYS days spread over the
    # quarter; with the fixed items this gives about 220 journal lines.
    for day in business_days(rng, start, end, WORKING_DAYS):
        kind = rng.random()
        if kind < 0.34:
            # Customer invoice: customer / revenue / VAT collected
            customer = rng.choice(CUSTOMERS)
            account = rng.choice(["706000", "707000", "707000"])
            net = money(rng.randint(18000, 680000)) / 100
            vat = money(net * Decimal("0.20"))
            piece = "FA-2025-%04d" % sale_no
            sale_no += 1
            what = "design fees" if account == "706000" else "light fittings"
            lines = [
                ("411000", "%s %s" % (piece, customer), net + vat, 0),
                (account, "%s %s, %s" % (piece, customer, what), 0, net),
                ("445710", "%s VAT 20 %%" % piece, 0, vat),
            ]
            txs.append((day, "VE", piece, lines))
            open_invoices.append((customer, piece, net + vat))
        elif kind < 0.58 and open_invoices:
            # Customer payment received
            customer, piece, amount = open_invoices.pop(0)
            txs.append((day, "BQ", "REC-" + piece[-4:], [
                ("512000", "Transfer received %s" % customer, amount, 0),
                ("411000", "Payment %s %s" % (piece, customer), 0, amount),
            ]))
        elif kind < 0.84:
            # Supplier bill: expense / VAT deductible / supplier
            name, account, what = rng.choice(SUPPLIERS)
            net = money(rng.randint(4000, 240000)) / 100
            vat = money(net * Decimal("0.20"))
            ref = "AC-%04d" % bill_no
            bill_no += 1
            txs.append((day, "AC", ref, [
                (account, "%s, %s" % (name, what), net, 0),
                ("445660", "%s VAT 20 %%" % ref, vat, 0),
                ("401000", "%s %s" % (ref, name), 0, net + vat),
            ]))
            open_bills.append((name, ref, net + vat))
        elif open_bills:
            # Supplier payment
            name, ref, amount = open_bills.pop(0)
            txs.append((day, "BQ", "PAY-" + ref[-4:], [
                ("401000", "Payment %s %s" % (ref, name), amount, 0),
                ("512000", "Transfer to %s" % name, 0, amount),
            ]))


    txs.sort(key=lambda t: (t[0], t[2]))
    for t in txs:
        debit = sum(Decimal(l[2]) for l in t[3])
        credit = sum(Decimal(l[3]) for l in t[3])
        assert debit == credit, t
    return txs


def ledger_rows(txs):
    """Group the journal lines by account; yield row dicts in output order."""
    by_account = {}
    for date, journal, piece, lines in txs:
        for account, label, debit, credit in lines:
            by_account.setdefault(account, []).append(
                (date, journal, piece, label, Decimal(debit), Decimal(credit)))
    rows = []
    total_d = total_c = Decimal(0)
    for account in sorted(by_account):
        balance = Decimal(0)
        sum_d = sum_c = Decimal(0)
        for date, journal, piece, label, debit, credit in by_account[account]:
            balance += debit - credit
            sum_d += debit
            sum_c += credit
            rows.append({"kind": "line", "cells": [
                date.strftime("%d/%m/%Y"), journal, account, label,
                fmt(debit), fmt(credit), fmt(balance, blank_zero=False)]})
        rows.append({"kind": "subtotal", "cells": [
            "Total %s %s" % (account, ACCOUNTS[account]), "", "", "",
            fmt(sum_d, False), fmt(sum_c, False), fmt(balance, False)]})
        total_d += sum_d
        total_c += sum_c
    rows.append({"kind": "grand", "cells": [
        "Grand total, all accounts", "", "", "",
        fmt(total_d, False), fmt(total_c, False), fmt(total_d - total_c, False)]})
    return rows, total_d, total_c


HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE document SYSTEM "rml.dtd">
<!--
  Folio sample: multi-page general ledger.
  GENERATED FILE - do not edit by hand; run `python3 samples/gen_ledger.py`.
  Atelier Lumen SARL and all figures are fictional (seed {seed}).
-->
<document filename="ledger.pdf" title="General ledger Q1 2025" author="Atelier Lumen SARL">

  <template pagesize="(595.27,841.89)">
    <!-- first page: large title block -->
    <pageTemplate id="first">
      <pageGraphics>
        <fill color="#1d4e5f"/>
        <rect x="40" y="716" width="515.27" height="96" fill="1" stroke="0"/>
        <fill color="white"/>
        <setFont name="Helvetica-Bold" size="26"/>
        <drawString x="56" y="774">General Ledger</drawString>
        <setFont name="Helvetica" size="11"/>
        <drawString x="56" y="754">Atelier Lumen SARL · 12 rue des Canuts · 69004 Lyon</drawString>
        <drawString x="56" y="736">Period 1 January 2025 – 31 March 2025 · amounts in EUR</drawString>
        <setFont name="Helvetica" size="9"/>
        <drawRightString x="539.27" y="790">Printed 7 April 2025</drawRightString>
        <drawRightString x="539.27" y="776">Fiscal year 2025</drawRightString>
        <drawRightString x="539.27" y="762">All journals: VE, AC, BQ, OD</drawRightString>
        <fill color="#555555"/>
        <setFont name="Helvetica" size="8"/>
        <stroke color="#1d4e5f"/>
        <lines strokeWidth="0.5">40 44 555.27 44</lines>
        <drawString x="40" y="32">Atelier Lumen SARL · SIRET 901 234 567 00018 · Generated by Folio sample gen_ledger.py</drawString>
        <drawRightString x="555.27" y="32">Page <pageNumber/> of <pageCount/></drawRightString>
      </pageGraphics>
      <frame id="firstBody" x1="40" y1="52" width="515.27" height="650"/>
    </pageTemplate>

    <!-- following pages: compact running header -->
    <pageTemplate id="following">
      <pageGraphics>
        <fill color="#1d4e5f"/>
        <setFont name="Helvetica-Bold" size="11"/>
        <drawString x="40" y="808">General Ledger — Atelier Lumen SARL</drawString>
        <setFont name="Helvetica" size="9"/>
        <drawCentredString x="340" y="808">Q1 2025 (01/01/2025 – 31/03/2025)</drawCentredString>
        <drawRightString x="555.27" y="808">Page <pageNumber/> of <pageCount/></drawRightString>
        <stroke color="#1d4e5f"/>
        <lines strokeWidth="1">40 800 555.27 800</lines>
        <fill color="#555555"/>
        <setFont name="Helvetica" size="8"/>
        <lines strokeWidth="0.5">40 44 555.27 44</lines>
        <drawString x="40" y="32">Atelier Lumen SARL · SIRET 901 234 567 00018 · Generated by Folio sample gen_ledger.py</drawString>
        <drawRightString x="555.27" y="32">Page <pageNumber/> of <pageCount/></drawRightString>
      </pageGraphics>
      <frame id="body" x1="40" y1="52" width="515.27" height="740"/>
    </pageTemplate>
  </template>

  <stylesheet>
    <paraStyle name="intro" fontName="Helvetica" fontSize="9" leading="12.5" spaceAfter="6"/>
    <paraStyle name="closingHead" fontName="Helvetica-Bold" fontSize="11" leading="14"
               textColor="#1d4e5f" spaceBefore="4" spaceAfter="4"/>
    <paraStyle name="closing" fontName="Helvetica" fontSize="9" leading="12.5" spaceAfter="4"/>

    <blockTableStyle id="ledgerTable">
      <blockFont name="Helvetica" size="7.5" leading="9" start="0,1" stop="-1,-1"/>
      <blockFont name="Helvetica-Bold" size="7.5" leading="9" start="0,0" stop="-1,0"/>
      <blockTextColor colorName="white" start="0,0" stop="-1,0"/>
      <blockBackground colorName="#1d4e5f" start="0,0" stop="-1,0"/>
      <blockRowBackground colorNames="white #eef3f5" start="0,1" stop="-1,-1"/>
      <blockAlignment value="LEFT" start="0,0" stop="3,-1"/>
      <blockAlignment value="CENTER" start="1,0" stop="1,-1"/>
      <blockAlignment value="RIGHT" start="4,0" stop="-1,-1"/>
      <blockValign value="MIDDLE" start="0,0" stop="-1,-1"/>
      <blockTopPadding length="2.5"/>
      <blockBottomPadding length="2.5"/>
      <blockLeftPadding length="4"/>
      <blockRightPadding length="4"/>
      <lineStyle kind="LINEBELOW" colorName="#e8a33d" thickness="1.5" start="0,0" stop="-1,0"/>
      <lineStyle kind="BOX" colorName="#1d4e5f" thickness="0.5" start="0,0" stop="-1,-1"/>
{rowstyles}
    </blockTableStyle>

    <blockTableStyle id="summaryTable">
      <blockFont name="Helvetica" size="9" start="0,0" stop="-1,-1"/>
      <blockFont name="Helvetica-Bold" size="9" start="0,0" stop="-1,0"/>
      <blockBackground colorName="#eef3f5" start="0,0" stop="-1,0"/>
      <blockFont name="Helvetica-Bold" size="9" start="0,-1" stop="-1,-1"/>
      <lineStyle kind="LINEABOVE" colorName="#1d4e5f" thickness="1" start="0,-1" stop="-1,-1"/>
      <blockAlignment value="RIGHT" start="1,0" stop="-1,-1"/>
      <lineStyle kind="GRID" colorName="#9fb7c0" thickness="0.5" start="0,0" stop="-1,-1"/>
    </blockTableStyle>
  </stylesheet>

  <story>
    <setNextTemplate name="following"/>
    <para style="intro">This ledger lists every journal line posted in the first quarter of 2025, grouped by account in
      account-number order and by date within each account. The <b>Balance</b> column is the running balance of the account
      (debit minus credit, negative figures are credit balances). Journals: <b>VE</b> sales, <b>AC</b> purchases,
      <b>BQ</b> bank, <b>OD</b> miscellaneous operations.</para>
    <blockTable colWidths="{colwidths}" repeatRows="1" style="ledgerTable">
      <tr><td>Date</td><td>Jnl</td><td>Account</td><td>Label</td><td>Debit</td><td>Credit</td><td>Balance</td></tr>
"""

FOOTER = """    </blockTable>

    <spacer length="14"/>
    <condPageBreak height="190"/>
    <keepTogether>
      <para style="closingHead">Control totals</para>
      <blockTable colWidths="190 50 90 90" alignment="left" style="summaryTable">
        <tr><td>Journal</td><td>Lines</td><td>Debit</td><td>Credit</td></tr>
{journalrows}
        <tr><td>All journals ({ntx} transactions)</td><td>{nlines}</td><td>{td}</td><td>{tc}</td></tr>
      </blockTable>
      <spacer length="8"/>
      <hr width="100%" thickness="0.5" color="#9fb7c0" spaceBefore="4" spaceAfter="6"/>
      <para style="closing">Total debits equal total credits: the ledger is <b>balanced</b>. Accounts listed: {naccounts}.
        <i>End of report.</i></para>
    </keepTogether>
  </story>
</document>
"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "ledger.rml")
    rng = random.Random(SEED)
    txs = build_transactions(rng)
    rows, total_d, total_c = ledger_rows(txs)

    body = []
    rowstyles = []
    for index, row in enumerate(rows, start=1):      # row 0 is the header
        cells = "".join("<td>%s</td>" % escape(c) for c in row["cells"])
        body.append("      <tr>%s</tr>" % cells)
        if row["kind"] in ("subtotal", "grand"):
            r = index
            rowstyles.append('      <blockSpan start="0,%d" stop="3,%d"/>' % (r, r))
            rowstyles.append('      <blockFont name="Helvetica-Bold" size="7.5" leading="9" '
                             'start="0,%d" stop="-1,%d"/>' % (r, r))
            rowstyles.append('      <blockAlignment value="RIGHT" start="0,%d" stop="0,%d"/>' % (r, r))
            colour = "#d7e4e9" if row["kind"] == "subtotal" else "#1d4e5f"
            rowstyles.append('      <blockBackground colorName="%s" start="0,%d" stop="-1,%d"/>'
                             % (colour, r, r))
            rowstyles.append('      <lineStyle kind="LINEABOVE" colorName="#1d4e5f" thickness="0.75" '
                             'start="0,%d" stop="-1,%d"/>' % (r, r))
            if row["kind"] == "grand":
                rowstyles.append('      <blockTextColor colorName="white" start="0,%d" stop="-1,%d"/>'
                                 % (r, r))

    journals = {}
    for _date, journal, _piece, lines in txs:
        n, d, c = journals.get(journal, (0, Decimal(0), Decimal(0)))
        journals[journal] = (n + len(lines),
                             d + sum(Decimal(l[2]) for l in lines),
                             c + sum(Decimal(l[3]) for l in lines))
    journalrows = "\n".join(
        "        <tr><td>%s %s</td><td>%d</td><td>%s</td><td>%s</td></tr>"
        % (code, JOURNALS[code], journals[code][0],
           fmt(journals[code][1], False), fmt(journals[code][2], False))
        for code in JOURNALS if code in journals)

    nlines = sum(1 for r in rows if r["kind"] == "line")
    naccounts = sum(1 for r in rows if r["kind"] == "subtotal")
    text = (HEADER.replace("{seed}", str(SEED))
                  .replace("{rowstyles}", "\n".join(rowstyles))
                  .replace("{colwidths}", "48 26 44 197.27 66 66 68")
            + "\n".join(body) + "\n"
            + FOOTER.format(journalrows=journalrows, nlines=nlines, ntx=len(txs), naccounts=naccounts,
                            td=fmt(total_d, False), tc=fmt(total_c, False)))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    print("wrote %s: %d transactions, %d journal lines, %d accounts"
          % (out, len(txs), nlines, naccounts))


if __name__ == "__main__":
    main()
