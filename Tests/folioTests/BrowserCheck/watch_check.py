#!/usr/bin/env python3
"""Drives `folio watch` in headless Chromium (DevTools protocol over --remote-debugging-pipe)
and checks the designer's loop: the page shows the render; a stylesheet change shows the new
render without a reload; a broken stylesheet shows the overlay at the right place while the
last good render stays; fixing it clears the overlay.

usage: watch_check.py FOLIO CHROMIUM TEMPLATES WORKDIR
Prints one line per step; exit status 0 when every check passed.
"""
import json
import os
import shutil
import subprocess
import sys
import time

folio, chromium, templates, work = sys.argv[1:5]
WAIT = 180  # seconds to wait for each state (the machine may be busy); never an assertion on speed


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


# A copy of the bundled packages, to edit.
root = os.path.join(work, "templates")
shutil.copytree(templates, root)
stylesheet = os.path.join(root, "openerp_stock", "report", "picking.xsl")
original = open(stylesheet, encoding="utf-8").read()

watch = subprocess.Popen([folio, "watch", os.path.join(root, "openerp_stock"), "--report", "stock.picking.list",
                          "--port", "0", "--dpi", "40"],
                         stdout=subprocess.PIPE, stderr=open(os.path.join(work, "watch.log"), "w"), text=True)
line = watch.stdout.readline()
if not line.startswith("preview at "):
    fail("folio watch did not start: %r" % line)
url = line.split("preview at ", 1)[1].strip()
print("serving " + url, flush=True)

# Chromium reads DevTools commands from fd 3 and writes answers to fd 4, NUL-terminated.
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def child_fds():
    # Move both ends out of the way first: one of them may already be 3 or 4, and dup2 onto
    # itself would leave it close-on-exec.
    r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(r, 3)
    os.dup2(w, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)


browser = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                            "--disable-dev-shm-usage", "--remote-debugging-pipe",
                            "--user-data-dir=" + os.path.join(work, "chromium-profile"), "about:blank"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=open(os.path.join(work, "chromium.log"), "w"),
                           preexec_fn=child_fds, close_fds=False)
os.close(to_chrome_r)
os.close(from_chrome_w)
buffer = b""
next_id = 0


def call(method, params=None, session=None):
    global buffer, next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
    while True:
        while b"\0" not in buffer:
            chunk = os.read(from_chrome_r, 65536)
            if not chunk:
                fail("chromium closed the DevTools pipe (see chromium.log)")
            buffer += chunk
        raw, buffer = buffer.split(b"\0", 1)
        answer = json.loads(raw)
        if answer.get("id") == next_id:
            if "error" in answer:
                fail("%s: %s" % (method, answer["error"]))
            return answer.get("result", {})


def evaluate(session, expression):
    result = call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    return result.get("result", {}).get("value")


def wait_for(session, expression, what):
    deadline = time.time() + WAIT
    while time.time() < deadline:
        value = evaluate(session, expression)
        if value:
            return value
        time.sleep(0.2)
    state = evaluate(session, "JSON.stringify(window.folioState)")
    fail("timed out waiting for %s; page state: %s" % (what, state))


try:
    target = call("Target.createTarget", {"url": url})["targetId"]
    session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    # 1. The page shows the render: every page image loaded.
    loaded = """(() => { const s = window.folioState; const imgs = [...document.querySelectorAll('#pages img')];
        return s && s.status === 'ok' && imgs.length === s.pages && s.pages > 0
            && imgs.every(i => i.complete && i.naturalWidth > 0) ? s.version + ':' + s.pages : null; })()"""
    first = wait_for(session, loaded, "the first render")
    version = int(first.split(":")[0])
    first_src = evaluate(session, "document.querySelector('#pages img').getAttribute('src')")
    print("rendered: version %s, %s page(s), page 1 at %s" % (version, first.split(":")[1], first_src), flush=True)
    evaluate(session, "window.scrollTo(0, 300); window.marker = 'kept'")

    # 2. A change to the stylesheet shows the new render, in the same page (no reload).
    open(stylesheet, "w", encoding="utf-8").write(original.replace("Packing list", "Delivery note"))
    changed = """(() => { const s = window.folioState; const img = document.querySelector('#pages img');
        return s && s.status === 'ok' && s.version > %d && s.changedPages.includes(1)
            && img.getAttribute('src') !== %s && img.complete && img.naturalWidth > 0 ? s.version : null; })()""" % (
        version, json.dumps(first_src))
    version = wait_for(session, changed, "the render after the change")
    if evaluate(session, "window.marker") != "kept":
        fail("the page was reloaded")
    if not evaluate(session, "document.querySelector('#page-1').classList.contains('changed')"):
        fail("page 1 is not marked as changed")
    print("re-rendered after the change: version %s, page 1 marked changed, same page (no reload)" % version, flush=True)

    # 3. A broken stylesheet: the overlay names the file and line; the last render stays.
    lines = original.split("\n")
    broken_line = next(i for i, l in enumerate(lines) if 'select="reference"' in l) + 1
    lines[broken_line - 1] = lines[broken_line - 1].replace('select="reference"', 'select="reference("')
    open(stylesheet, "w", encoding="utf-8").write("\n".join(lines))
    overlay = """(() => { const o = document.getElementById('overlay');
        return o.classList.contains('visible') ? document.getElementById('where').textContent : null; })()"""
    where = wait_for(session, overlay, "the error overlay")
    expected = "picking.xsl:%d" % broken_line
    if expected not in where:
        fail("the overlay names %r, expected %r" % (where, expected))
    marked = evaluate(session, "(document.querySelector('#context .error-line') || {}).textContent || ''")
    if "reference(" not in marked:
        fail("the overlay does not show the broken line: %r" % marked)
    images = evaluate(session, "[...document.querySelectorAll('#pages img')].filter(i => i.naturalWidth > 0).length")
    if not images:
        fail("the last good render disappeared")
    print("overlay: %s, broken line shown, %s page image(s) still visible" % (where, images), flush=True)
    if os.environ.get("FOLIO_SCREENSHOT"):
        import base64
        shot = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
        open(os.environ["FOLIO_SCREENSHOT"], "wb").write(base64.b64decode(shot))

    # 4. Fixing it clears the overlay.
    open(stylesheet, "w", encoding="utf-8").write(original)
    cleared = """(() => { const s = window.folioState;
        return s && s.status === 'ok' && !document.getElementById('overlay').classList.contains('visible') ? s.version : null; })()"""
    version = wait_for(session, cleared, "the overlay to clear")
    print("fixed: overlay cleared, version %s" % version, flush=True)

    # 5. SIGTERM stops the server even while the page listens to its event stream.
    watch.terminate()
    try:
        watch.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        fail("folio watch did not stop on SIGTERM while a page was connected")
    print("stopped on SIGTERM (status %d)" % watch.returncode, flush=True)
    print("OK", flush=True)
finally:
    browser.kill()
    watch.terminate()
    try:
        watch.wait(timeout=20)
    except subprocess.TimeoutExpired:
        watch.kill()
