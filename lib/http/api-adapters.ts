// The routes' adapters: the api wiring (lib/wiring/api.ts) over the one parsed configuration.
import { config } from '../config';
import { apiAdapters as apiWiring } from '../wiring/api';

export function apiAdapters() {
  return apiWiring(config());
}
