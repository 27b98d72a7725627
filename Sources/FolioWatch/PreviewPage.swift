/// The preview page: the rendered pages as images, updated in place from the server's event
/// stream (so the scroll position — the page being looked at — stays), an overlay for errors
/// with the source lines around them while the last good render stays visible, and a switch
/// that highlights what changed on each page since the render before.
enum PreviewPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Folio preview</title>
<style>
  body { margin: 0; background: #525659; font: 14px system-ui, sans-serif; }
  header { position: sticky; top: 0; z-index: 2; background: #2b2b2b; color: #eee; padding: 8px 14px;
           display: flex; gap: 16px; align-items: center; }
  header .title { font-weight: 600; }
  header .status { color: #bbb; }
  header .status.error { color: #ff8a80; }
  header label { margin-left: auto; }
  main { display: flex; flex-direction: column; align-items: center; gap: 14px; padding: 18px; }
  .page { position: relative; }
  .page img { display: block; background: white; box-shadow: 0 2px 8px rgba(0,0,0,.5); max-width: calc(100vw - 40px); }
  .page .badge { position: absolute; top: 6px; right: -8px; background: #e02020; color: white; font-size: 11px;
                 padding: 2px 6px; border-radius: 8px; display: none; }
  .page.changed .badge { display: block; }
  #overlay { position: fixed; left: 24px; right: 24px; bottom: 24px; z-index: 3; background: #fff3f2; color: #3b0d0c;
             border-left: 6px solid #d93025; box-shadow: 0 4px 16px rgba(0,0,0,.5); padding: 12px 16px; display: none;
             max-height: 50vh; overflow: auto; }
  #overlay.visible { display: block; }
  #overlay .where { font: 600 13px ui-monospace, monospace; }
  #overlay .message { margin: 6px 0 10px; white-space: pre-wrap; }
  #overlay pre { margin: 0; font: 12px ui-monospace, monospace; background: #fff; padding: 6px; }
  #overlay pre .error-line { background: #ffd7d3; display: block; }
  #warnings { color: #ffd180; font-size: 12px; }
</style>
</head>
<body>
<header>
  <span class="title" id="title">Folio</span>
  <span class="status" id="status">rendering…</span>
  <span id="warnings"></span>
  <label><input type="checkbox" id="highlight"> Highlight changes</label>
</header>
<main id="pages"></main>
<div id="overlay" role="alert">
  <div class="where" id="where"></div>
  <div class="message" id="message"></div>
  <pre id="context"></pre>
</div>
<script>
"use strict";
window.folioState = null;
const pages = document.getElementById("pages");
const highlight = document.getElementById("highlight");

function pageSource(n, s) {
  const changed = s.changedPages.includes(n);
  return (highlight.checked && changed ? "/diff/" : "/pages/") + n + ".png?v=" + s.pageVersion;
}

function showPages(s) {
  for (let n = 1; n <= s.pages; n++) {
    let div = document.getElementById("page-" + n);
    if (!div) {
      div = document.createElement("div");
      div.className = "page";
      div.id = "page-" + n;
      const img = document.createElement("img");
      img.alt = "page " + n;
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "changed";
      div.appendChild(img);
      div.appendChild(badge);
      pages.appendChild(div);
    }
    div.classList.toggle("changed", s.changedPages.includes(n));
    const img = div.querySelector("img");
    const src = pageSource(n, s);
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
  }
  let n = s.pages + 1;
  for (let extra; (extra = document.getElementById("page-" + n)); n++) extra.remove();
}

function showProblem(p) {
  const overlay = document.getElementById("overlay");
  if (!p) { overlay.classList.remove("visible"); return; }
  const where = p.file ? p.file + (p.line ? ":" + p.line + (p.column ? ":" + p.column : "") : "") : "";
  document.getElementById("where").textContent = where;
  document.getElementById("message").textContent = p.message;
  const pre = document.getElementById("context");
  pre.textContent = "";
  for (const l of p.context) {
    const span = document.createElement("span");
    if (l.isErrorLine) span.className = "error-line";
    span.textContent = String(l.number).padStart(5) + "  " + l.text + "\n";
    pre.appendChild(span);
  }
  overlay.classList.add("visible");
}

function apply(s) {
  const previous = window.folioState;
  if (s.status === "ok" || !previous) s.pageVersion = s.version;
  else s.pageVersion = previous.pageVersion;
  if (s.status !== "ok" && previous) { s.pages = previous.pages; s.changedPages = previous.changedPages; }
  window.folioState = s;
  document.title = s.title + " — Folio preview";
  document.getElementById("title").textContent = s.title;
  const status = document.getElementById("status");
  status.className = "status" + (s.status === "error" ? " error" : "");
  status.textContent = s.status === "ok"
    ? "render " + s.version + " · " + s.pages + " page" + (s.pages === 1 ? "" : "s") + " · " + s.milliseconds + " ms"
    : s.status === "error" ? "error (showing the last good render)" : "rendering…";
  document.getElementById("warnings").textContent =
    s.warnings.length ? s.warnings.length + " warning" + (s.warnings.length === 1 ? "" : "s") : "";
  document.getElementById("warnings").title = s.warnings.join("\n");
  if (s.status !== "rendering") showPages(s);
  showProblem(s.status === "error" ? s.problem : null);
}

highlight.addEventListener("change", () => { if (window.folioState) showPages(window.folioState); });
const events = new EventSource("/events");
events.onmessage = (e) => apply(JSON.parse(e.data));
</script>
</body>
</html>
"""#
}
