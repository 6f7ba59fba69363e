// Preloaded into `serverless offline` (NODE_OPTIONS=--require, set by scripts/lib/offline.ts) so a
// few seconds of emulator outage do not end the local stack. The stream plugin polls through
// dynamodb-streams-readable, which turns a failed GetRecords into an 'error' event nobody listens
// to, thrown inside the SDK promise's rejection handler: an unhandled rejection (ECONNREFUSED) that
// kills the process, and a poller that would never read again. Here each poll call that fails to
// connect is retried every second until the emulator answers, with the shard iterator kept, so
// the poller carries on where it was; any other error still surfaces as before.
const process = require('node:process');
const { setTimeout } = require('node:timers');

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'TimeoutError',
]);

/** True for a failure to reach the endpoint at all (not an answer from it). */
function isConnectionError(err) {
  if (!err) return false;
  const codes = [err.code, err.name, err.cause && err.cause.code, err.cause && err.cause.name];
  return (
    codes.some((c) => CONNECTION_CODES.has(c)) ||
    /ECONNREFUSED|ECONNRESET|socket hang up/.test(String(err.message))
  );
}

/**
 * A v2-style callback method that retries connection failures until the endpoint answers. An
 * emulator restarted on the same port has lost its tables: the poller's shard iterator then
 * answers errors of another kind, which are retried too (quietly, every 10 s) so the rest of the
 * stack lives on; the stream resumes when `serverless offline` restarts against the new stack.
 */
function retrying(method, name, log, delayMs = 1000, outage = { seen: false }) {
  return (params, callback) => {
    let warned = false;
    let orphaned = false;
    const attempt = () =>
      method(params, (err, data) => {
        if (err && !isConnectionError(err) && outage.seen) {
          if (!orphaned)
            log(
              `stream poller: ${name} fails since the emulator came back (${err.name}: its state was lost?); restart serverless offline to read the new stream`,
            );
          orphaned = true;
          setTimeout(attempt, delayMs * 10);
          return;
        }
        if (err && isConnectionError(err)) {
          outage.seen = true;
          if (!warned)
            log(
              `stream poller: ${name} cannot reach the emulator (${err.code || err.name}); retrying every ${delayMs} ms`,
            );
          warned = true;
          setTimeout(attempt, delayMs);
          return;
        }
        if (warned) log(`stream poller: ${name} reaches the emulator again`);
        callback(err, data);
      });
    return attempt();
  };
}

/** Wraps the plugin's callback client (before its poller module destructures it). */
function patchStreamsPlugin(fromDir, log = (line) => process.stderr.write(`${line}\n`)) {
  let adapter;
  try {
    adapter = require(
      require.resolve('serverless-offline-dynamodb-streams/src/callback-adapter.js', {
        paths: [fromDir],
      }),
    );
  } catch {
    return false;
  }
  const original = adapter.buildCallbackClient;
  if (original.vigiaRetrying) return true;
  const patched = (client, commands) => {
    const built = original(client, commands);
    const outage = { seen: false };
    for (const name of Object.keys(commands)) {
      built[name] = retrying(built[name], name, log, 1000, outage);
    }
    return built;
  };
  patched.vigiaRetrying = true;
  adapter.buildCallbackClient = patched;
  return true;
}

module.exports = { isConnectionError, retrying, patchStreamsPlugin };

if (process.env.VIGIA_OFFLINE_RESILIENCE === '1' && require.main !== module) {
  patchStreamsPlugin(process.cwd());
  // The last line of defence: a connection failure nobody handled is logged, not fatal; anything
  // else ends the process as Node would.
  process.on('unhandledRejection', (reason) => {
    if (isConnectionError(reason)) {
      process.stderr.write(
        `emulator unreachable, carrying on: ${String(reason && reason.message)}\n`,
      );
      return;
    }
    process.stderr.write(`${(reason && reason.stack) || String(reason)}\n`);
    process.exit(1);
  });
}
