import type { Kysely } from 'kysely';
import { placePartTwo, scrubArrivalOrder } from './anonymous-store.js';
import type { AnonymousDatabase, IdentifiableDatabase } from './database.js';

/**
 * Puts each wave's part two where its status says (anonymous-store.ts: the open waves' in the intake,
 * the others' in the archive), and scrubs what moved. The statuses are the identifiable store's, which
 * the anonymous store must not hold: so this is the one place that reads one store to arrange the other,
 * and it learns from the identifiable store nothing but which waves are open. Run whenever the stores
 * are opened (open-stores.ts) and after a wave is opened or closed, by whichever process did it.
 */
export const placePartTwoByWaveStatus = async (stores: {
  readonly identifiable: Kysely<IdentifiableDatabase>;
  readonly anonymous: Kysely<AnonymousDatabase>;
}): Promise<string[]> => {
  const open = await stores.identifiable.selectFrom('wave_status').select('wave_id').where('status', '=', 'open').execute();
  const moved = await placePartTwo(stores.anonymous, new Set(open.map((r) => r.wave_id)));
  if (moved.length > 0) await scrubArrivalOrder(stores.anonymous, 'moved');
  return moved;
};
