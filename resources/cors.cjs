// CORS of the HTTP API from the deploy parameter `corsOrigins` (comma-separated origins, e.g.
// https://ops.example.com). Unset: no CORS at all, so only same-origin pages (the status page) may
// call the API from a browser; `*` is refused, an API key must not be usable from any site.
'use strict';

function corsFor(origins) {
  const list = String(origins ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (list.length === 0) return false;
  const bad = list.filter((o) => !/^https?:\/\/[^/*\s]+$/.test(o));
  if (bad.length > 0)
    throw new Error(`corsOrigins: not an origin (scheme://host): ${bad.join(', ')}`);
  // Browser clients may send their API key and an Idempotency-Key (manual actions).
  return { allowedOrigins: list, allowedHeaders: ['Content-Type', 'X-Api-Key', 'Idempotency-Key'] };
}

module.exports = async ({ resolveVariable }) => ({
  cors: corsFor(await resolveVariable("param:corsOrigins, ''")),
});
module.exports.corsFor = corsFor;
