/**
 * A least-recently-used cache bounded by the bytes of its values (and optionally by age), on a Map's insertion
 * order: a get moves the entry to the end, eviction takes from the front. Small enough not to need a dependency.
 */
export class ByteBoundedLru<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number; storedAt: number }>();
  private used = 0;

  constructor(
    private readonly options: {
      maxBytes: number;
      sizeOf: (value: V) => number;
      /** Entries older than this are treated as absent (ms); none when undefined. */
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.options.maxAgeMs !== undefined && this.now() - entry.storedAt > this.options.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const bytes = this.options.sizeOf(value);
    this.delete(key);
    if (bytes > this.options.maxBytes) return; // would evict everything and still not fit
    this.entries.set(key, { value, bytes, storedAt: this.now() });
    this.used += bytes;
    for (const [oldest] of this.entries) {
      if (this.used <= this.options.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
