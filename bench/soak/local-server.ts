// What the soak's local HTTP stand-ins (Lambda's Invoke API, the alert receivers) share: a server on
// a free local port whose requests start work in the background, and a stop that lets that work
// finish before the server closes.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  /** Tracks a piece of work started in the background until it settles. */
  add(run: Promise<void>): void {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves once every piece of work (and any it started meanwhile) has settled. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** Listens on a free port of 127.0.0.1; returns the server's base URL. */
export async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Lets the background work finish, then closes the server and its connections. */
export async function stopAfterWork(server: Server | undefined, work: BackgroundWork) {
  await work.idle();
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()) ?? r());
}
