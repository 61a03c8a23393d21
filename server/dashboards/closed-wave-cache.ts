import { partTwoDataVersion } from '../storage/anonymous-store.js';
import { dataVersionOf } from '../storage/data-version-store.js';
import type { Stores } from '../storage/open-stores.js';
import { waveStatus } from '../storage/roster-store.js';

/**
 * Results computed from closed waves only (the dashboard's tables and charts), kept in memory and used
 * again while the waves' data are unchanged. An entry records each wave's generations (renewed in the
 * same transaction as every write of answers, by any process: the server, an import on the command
 * line); a request first reads them (two one-row reads per wave), so a changed wave is recomputed, never
 * served stale. A wave that is open is never cached: its answers change all the time.
 */
export interface ClosedWaveCache {
  get<T>(waveIds: readonly string[], key: string, compute: () => Promise<T>): Promise<T>;
  /** For the benchmark and tests: entries held, hits and misses so far. */
  readonly stats: { entries: () => number; hits: number; misses: number };
}

const stampOf = async (stores: Stores, waveIds: readonly string[]): Promise<string | undefined> => {
  const parts: string[] = [];
  for (const waveId of waveIds) {
    if ((await waveStatus(stores.identifiable, waveId)) !== 'closed') return undefined;
    parts.push(`${waveId}:${await dataVersionOf(stores.identifiable, waveId)}:${await partTwoDataVersion(stores.anonymous, waveId)}`);
  }
  return parts.join('|');
};

export const closedWaveCache = (stores: Stores, { size = 32 }: { size?: number } = {}): ClosedWaveCache => {
  const entries = new Map<string, { stamp: string; value: unknown }>();
  const stats = { entries: () => entries.size, hits: 0, misses: 0 };
  return {
    stats,
    get: async <T>(waveIds: readonly string[], key: string, compute: () => Promise<T>): Promise<T> => {
      const stamp = await stampOf(stores, waveIds);
      if (stamp === undefined) return compute();
      const held = entries.get(key);
      if (held && held.stamp === stamp) {
        stats.hits++;
        // Most recently used last, so the oldest is evicted first.
        entries.delete(key);
        entries.set(key, held);
        return held.value as T;
      }
      stats.misses++;
      const value = await compute();
      entries.delete(key);
      entries.set(key, { stamp, value });
      while (entries.size > size) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
};
