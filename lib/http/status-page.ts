// The status page (SPEC A2): one small HTML document, no framework, that polls /status and shows
// each service's state and health score, uptime with a bar per day for 90 days, a small load chart, open and past
// incidents with their timeline, and recent actions. Built with textContent and DOM calls only
// (the chart is SVG made by createElementNS), so nothing from the API is ever parsed as HTML and
// nothing is fetched from elsewhere. Its one inline script is allowed by its hash alone
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
  function pct(v) { return v == null ? '—' : (v >= 99.995 ? '100' : v.toFixed(2)) + '%'; }
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) { var e = document.createElementNS(SVG, tag); for (var k in attrs) e.setAttribute(k, String(attrs[k])); return e; }
  function uptime(svc) {
    var u = svc.uptime || {}; var box = el('div', 'uptime');
    [['24h', '24 h'], ['7d', '7 days'], ['90d', '90 days']].forEach(function (w) {
      var s = el('span', 'stat'); s.dataset.window = w[0];
      s.appendChild(el('b', null, pct(u[w[0]]))); s.appendChild(el('span', 'muted', ' ' + w[1])); box.appendChild(s);
    });
    return box;
  }
  function dayBars(svc) {
    var days = svc.days || []; var bars = el('div', 'bars');
    bars.setAttribute('role', 'img');
    var bad = days.filter(function (d) { return d.state === 'outage' || d.state === 'degraded'; }).length;
    bars.setAttribute('aria-label', days.length + ' days, ' + bad + ' with incidents');
    days.forEach(function (d) {
      var b = el('span', 'bar ' + d.state);
      var what = d.state === 'no-data' ? 'not watched yet' : d.state === 'operational' ? 'no incident'
        : (d.outageMinutes ? d.outageMinutes + ' min outage' : '') + (d.outageMinutes && d.degradedMinutes ? ', ' : '') + (d.degradedMinutes ? d.degradedMinutes + ' min degraded' : '');
      b.title = d.date + ': ' + what;
      bars.appendChild(b);
    });
    var legend = el('div', 'legend muted'); legend.appendChild(el('span', null, days.length + ' days ago')); legend.appendChild(el('span', null, 'today'));
    var box = el('div', 'history'); box.appendChild(bars); box.appendChild(legend); return box;
  }
  function chart(svc) {
    var load = svc.load; var pts = (load && load.points) || [];
    var box = el('div', 'chart');
    if (pts.length < 2) { box.appendChild(el('span', 'muted', 'No recent load data.')); return box; }
    var W = 300, H = 48, max = Math.max(100, Math.max.apply(null, pts.map(function (p) { return p.value; })));
    var t0 = Date.parse(pts[0].at), t1 = Date.parse(pts[pts.length - 1].at) || t0 + 1;
    var xy = pts.map(function (p) { var x = ((Date.parse(p.at) - t0) / Math.max(1, t1 - t0)) * W; var y = H - (p.value / max) * (H - 2) - 1; return x.toFixed(1) + ',' + y.toFixed(1); });
    var g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', role: 'img', 'aria-label': load.metric + ' over the last hours' });
    g.appendChild(svg('polygon', { points: '0,' + H + ' ' + xy.join(' ') + ' ' + W + ',' + H, class: 'area' }));
    g.appendChild(svg('polyline', { points: xy.join(' '), class: 'line' }));
    box.appendChild(g);
    var last = pts[pts.length - 1].value;
    box.appendChild(el('span', 'muted', load.metric.toUpperCase() + ' last 3 h · now ' + Math.round(last) + (load.unit || '')));
    return box;
  }
  function timeline(entries) {
    var ol = el('ol', 'timeline');
    (entries || []).forEach(function (t) { var li = el('li', t.kind); li.appendChild(el('span', 'muted', when(t.at))); li.appendChild(el('span', null, (t.kind === 'opened' ? 'Opened: ' : t.kind === 'resolved' ? 'Resolved: ' : '') + t.text)); ol.appendChild(li); });
    return ol;
  }
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
      var detail = el('span', 'detail', bits.join(' · '));
      if (svc.health) {
        var h = el('b', 'health', 'Health ' + svc.health.score + '/100');
        h.dataset.state = svc.health.state; h.title = 'health score: ' + svc.health.state;
        detail.insertBefore(h, detail.firstChild);
        if (bits.length) h.after(' · ');
      }
      if (svc.health || bits.length) li.appendChild(detail);
      li.appendChild(uptime(svc));
      li.appendChild(dayBars(svc));
      li.appendChild(chart(svc));
      return li;
    }), 'No services are watched yet.');
    list('past', (s.pastIncidents || []).map(function (i) {
      var li = el('li'); li.dataset.incident = i.id;
      li.appendChild(el('span', 'name', i.service));
      li.appendChild(el('span', 'pill ' + i.level, i.severity));
      li.appendChild(el('span', 'detail', i.summary));
      li.appendChild(timeline(i.timeline));
      return li;
    }), 'No incidents in the last 90 days.');
    list('incidents', (s.incidents || []).map(function (i) {
      var li = el('li');
      li.appendChild(el('span', 'name', i.service));
      li.appendChild(el('span', 'pill ' + i.state, i.severity));
      li.appendChild(el('span', 'detail', i.summary + (i.since ? ' — since ' + when(i.since) : '') + (i.acknowledged ? ' · being handled' : '')));
      if (i.paged) li.appendChild(el('span', 'paged muted', 'Paged: level ' + i.paged.level + ' — ' + i.paged.receivers.join(', ') + ' at ' + when(i.paged.at)));
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
  main { max-width: 960px; margin: 0 auto; padding: 16px; }
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
  .paged { flex: 1 1 100%; }
  .empty { color: var(--muted); }
  .health[data-state="operational"] { color: var(--ok); } .health[data-state="degraded"] { color: var(--warn); } .health[data-state="outage"] { color: var(--bad); }
  .uptime { flex: 1 1 100%; display: flex; flex-wrap: wrap; gap: 2px 16px; font-size: .9rem; }
  .stat { white-space: nowrap; }
  .history, .chart { flex: 1 1 100%; min-width: 0; }
  .bars { display: flex; gap: 1px; height: 28px; }
  .bar { flex: 1 1 0; min-width: 0; border-radius: 1px; background: var(--ok); }
  .bar.degraded { background: #e3a008; } .bar.outage { background: var(--bad); } .bar.no-data { background: var(--line); }
  .legend { display: flex; justify-content: space-between; font-size: .75rem; }
  .chart svg { display: block; width: 100%; height: 48px; }
  .chart .line { fill: none; stroke: #0969da; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
  .chart .area { fill: #0969da22; stroke: none; }
  .timeline { flex: 1 1 100%; margin: 4px 0 0; padding-left: 18px; font-size: .875rem; }
  .timeline li { display: list-item; border: 0; padding: 2px 0; }
  .timeline li .muted { margin-right: 8px; }
  @media (min-width: 900px) {
    #services > li { display: grid; grid-template-columns: minmax(0, 1fr) 18rem; gap: 6px 24px; align-items: center; }
    #services > li .pill { justify-self: end; }
    #services > li .detail, #services > li .uptime { grid-column: 1 / -1; }
  }
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
  <h2>Past incidents</h2>
  <ul id="past"><li class="empty">Loading…</li></ul>
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
