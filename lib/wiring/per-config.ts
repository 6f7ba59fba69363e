// Adapters are built once per configuration, which config() parses once per container: so once per
// container in a function, and once per test stack in tests that pass their own configuration.
import type { AppConfig } from '../config';

export function perConfig<T>(build: (c: AppConfig) => T): (c: AppConfig) => T {
  const built = new WeakMap<AppConfig, T>();
  return (c) => {
    let value = built.get(c);
    if (value === undefined) {
      value = build(c);
      built.set(c, value);
    }
    return value;
  };
}
