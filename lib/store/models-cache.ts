// The container's decoded models items, so a hot service's tick does not decompress, parse and
// unpack the item it wrote itself a minute before. An entry is served only when the item just read
// carries the same version and the same write token (a random id written with every save): a
// version alone could be another container's write, or an item deleted and created again, which
// restarts at version 1. The read itself still happens, and every save stays conditional on the
// version, so two containers stay as safe as without the cache. Entries are the objects collect
// works on: nothing may change them (the detectors return new states, tested), and the store drops
// a service's entry whenever a save of it fails, whatever the cause.
import type { ServiceModels } from '../../src/ports';

interface Entry {
  token: string;
  models: ServiceModels;
}

/** Services kept per container: five shards of 100; a six-series item decoded is ~39 KB, so ~20 MB. */
export const DEFAULT_CACHED_SERVICES = 500;

export class DecodedModelsCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = DEFAULT_CACHED_SERVICES) {}

  /**
   * The models of an item as read: the kept ones when they are this very write (same version and
   * token), else decoded and kept under the item's version and token.
   */
  read(
    serviceId: string,
    item: Record<string, unknown>,
    decode: (item: Record<string, unknown>) => ServiceModels,
  ): ServiceModels {
    const token = typeof item.writer === 'string' ? item.writer : null;
    const entry = this.entries.get(serviceId);
    if (token !== null && entry && entry.token === token && entry.models.version === item.version) {
      this.hits++;
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(serviceId);
      this.entries.set(serviceId, entry);
      return entry.models;
    }
    this.misses++;
    const models = decode(item);
    if (token === null) this.entries.delete(serviceId);
    else this.keep(serviceId, token, models);
    return models;
  }

  /** What a save wrote, under its token: the next read of the same write skips the decoding. */
  keep(serviceId: string, token: string, models: ServiceModels): void {
    this.entries.delete(serviceId);
    this.entries.set(serviceId, { token, models });
    if (this.entries.size > this.capacity)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(serviceId: string): void {
    this.entries.delete(serviceId);
  }

  get size(): number {
    return this.entries.size;
  }
}
