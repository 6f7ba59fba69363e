// The status page (SPEC A2): one small HTML document, no framework, that polls /status and shows
// each service's state, open incidents and recent actions. Built with textContent only, so nothing
// from the API is ever parsed as HTML. Its one inline script is allowed by its hash alone
// (no 'unsafe-inline' for scripts), and no other site may frame it.
import { createHash } from 'node:crypto';

const statusPageScript = `(function () {
  var LABEL = { operational: 'All systems operational', degraded: 'Some services are degraded', outage: 'Service outage' };
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = String(text); return e; }
  function list(id, rows, empty) {
    var ul = document.getElementById(id); ul.replaceChildren();
    if (!rows.length) { ul.appendChild(el('li', 'empty', empty)); return; }
    rows.forEach(function (r) { ul.appendChild(r); });
  }
  function when(iso) { if (!iso) return ''; var d = new Date(iso); return isNaN(d) ? '' : d.toLocaleString(); }
  function render(s) {
    var banner = document.getElementById('banner');
    banner.className = 'banner ' + (LABEL[s.state] ? s.state : 'unknown');
    banner.textContent = LABEL[s.state] || 'Status unknown';
    document.getElementById('updated').textContent = when(s.updatedAt);
    list('services', (s.services || []).map(function (svc) {
      var li = el('li'); li.dataset.service = svc.id;
      li.appendChild(el('span', 'name', svc.name));
      li.appendChild(el('span', 'pill ' + svc.state, svc.state));
      var bits = [];
      if (svc.tasks) bits.push(svc.tasks.running + ' of ' + svc.tasks.desired + ' tasks running');
      if (svc.metrics && svc.metrics.cpu != null) bits.push('CPU ' + Math.round(svc.metrics.cpu) + '%');
      if (svc.metrics && svc.metrics.memory != null) bits.push('memory ' + Math.round(svc.metrics.memory) + '%');
      if (bits.length) li.appendChild(el('span', 'detail', bits.join(' · ')));
      return li;
    }), 'No services are watched yet.');
    list('incidents', (s.incidents || []).map(function (i) {
      var li = el('li');
      li.appendChild(el('span', 'name', i.service));
      li.appendChild(el('span', 'pill ' + i.state, i.severity));
      li.appendChild(el('span', 'detail', i.summary + (i.since ? ' — since ' + when(i.since) : '') + (i.acknowledged ? ' · being handled' : '')));
      return li;
    }), 'No open incidents.');
    list('actions', (s.recentActions || []).map(function (a) {
      var li = el('li');
      var what = a.action + (a.toCount != null ? ' to ' + a.toCount + ' tasks' : '');
      li.appendChild(el('span', 'name', a.serviceId + ': ' + what));
      li.appendChild(el('span', 'muted', a.status + (a.manual ? ' · by an operator' : ' · by the autopilot')));
      li.appendChild(el('span', 'detail', when(a.at)));
      return li;
    }), 'No recent actions.');
  }
  function poll() {
    fetch('status', { headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(render)
      .catch(function () {
        var banner = document.getElementById('banner');
        banner.className = 'banner unknown';
        banner.textContent = 'Status unavailable — retrying';
      });
  }
  poll();
  setInterval(poll, 15000);
})();
`;

export const statusPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vigia status</title>
<style>
  :root { --ok: #1a7f37; --warn: #b35900; --bad: #c62828; --fg: #1f2328; --muted: #59636e; --line: #d8dee4; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f6f8fa; }
  main { max-width: 760px; margin: 0 auto; padding: 16px; }
  h1 { font-size: 1.4rem; margin: 8px 0 4px; }
  h2 { font-size: 1.05rem; margin: 24px 0 8px; }
  .banner { border-radius: 10px; padding: 14px 16px; color: #fff; font-weight: 600; font-size: 1.1rem; }
  .operational { background: var(--ok); } .degraded { background: var(--warn); } .outage { background: var(--bad); }
  .unknown { background: var(--muted); }
  .muted { color: var(--muted); font-size: .875rem; }
  ul { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; }
  li { padding: 12px 14px; border-top: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
  li:first-child { border-top: 0; }
  .name { font-weight: 600; flex: 1 1 12rem; }
  .pill { border-radius: 999px; padding: 2px 10px; font-size: .8rem; font-weight: 600; color: #fff; }
  .detail { flex: 1 1 100%; color: var(--muted); font-size: .875rem; }
  .empty { color: var(--muted); }
</style>
</head>
<body>
<main>
  <h1>vigia status</h1>
  <div id="banner" class="banner unknown" role="status">Loading…</div>
  <p class="muted">Updated <span id="updated">never</span> · refreshes every 15 seconds</p>
  <h2>Services</h2>
  <ul id="services"><li class="empty">Loading…</li></ul>
  <h2>Open incidents</h2>
  <ul id="incidents"><li class="empty">Loading…</li></ul>
  <h2>Recent actions</h2>
  <ul id="actions"><li class="empty">Loading…</li></ul>
</main>
<script>${statusPageScript}</script>
</body>
</html>
`;

const scriptHash = createHash('sha256').update(statusPageScript, 'utf8').digest('base64');

/** Scripts: this page's own only; styles stay inline (no script can inject any). */
export const statusPageCsp = [
  "default-src 'self'",
  `script-src 'sha256-${scriptHash}'`,
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
