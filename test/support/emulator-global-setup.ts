// Starts moto_server once for a test project on a free port (or uses TEST_AWS_ENDPOINT), and stops
// it afterwards. Tests read the endpoint with inject('awsEndpoint').
import type { TestProject } from 'vitest/node';
import { startEmulator, type Emulator } from '../../scripts/lib/emulator';
import { startAtomicWritesProxy, type AtomicWritesProxy } from './atomic-writes-proxy';
import { freePort } from './free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

let emulator: Emulator | undefined;
let proxy: AtomicWritesProxy | undefined;

export async function setup(project: TestProject) {
  const endpoint = process.env.TEST_AWS_ENDPOINT || `http://127.0.0.1:${await freePort()}`;
  emulator = await startEmulator(endpoint);
  // Tests talk to moto through a proxy that makes its conditional writes atomic, as DynamoDB's are.
  proxy = await startAtomicWritesProxy(endpoint);
  project.provide('awsEndpoint', proxy.endpoint);
}

export async function teardown() {
  await proxy?.close();
  await emulator?.stop();
}
