import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';

/** A wave's retention (migration 0015). */
export interface WaveRetention {
  readonly waveId: string;
  /** YYYY-MM-DD: what identifies people is kept through this day. */
  readonly contactsUntil: string;
  readonly keepPartOne: boolean;
  readonly appliedAt: number | null;
}

const toRetention = (r: { wave_id: string; contacts_until: string; keep_part_one: number; applied_at: number | null }): WaveRetention => ({
  waveId: r.wave_id,
  contactsUntil: r.contacts_until,
  keepPartOne: Number(r.keep_part_one) === 1,
  appliedAt: r.applied_at === null ? null : Number(r.applied_at),
});

export const listRetention = async (db: Kysely<IdentifiableDatabase>): Promise<WaveRetention[]> =>
  (await db.selectFrom('wave_retention').selectAll().orderBy('wave_id').execute()).map(toRetention);

export const findRetention = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<WaveRetention | undefined> => {
  const row = await db.selectFrom('wave_retention').selectAll().where('wave_id', '=', waveId).executeTakeFirst();
  return row && toRetention(row);
};

/**
 * Sets a wave's retention. It applies afresh, even to a wave erased before: a roster imported since, or
 * part one no longer kept whole, goes once the day has passed (what went stays gone).
 */
export const setRetention = async (
  db: Kysely<IdentifiableDatabase>,
  waveId: string,
  { contactsUntil, keepPartOne }: { contactsUntil: string; keepPartOne: boolean },
) => {
  const values = { contacts_until: contactsUntil, keep_part_one: keepPartOne ? 1 : 0 };
  await db
    .insertInto('wave_retention')
    .values({ wave_id: waveId, ...values, applied_at: null })
    .onConflict((oc) => oc.column('wave_id').doUpdateSet({ ...values, applied_at: null }))
    .execute();
};

/** The waves whose retention has ended before `today` (YYYY-MM-DD) and not yet been applied. */
export const dueRetention = async (db: Kysely<IdentifiableDatabase>, today: string): Promise<WaveRetention[]> =>
  (await db.selectFrom('wave_retention').selectAll().where('contacts_until', '<', today).where('applied_at', 'is', null).orderBy('wave_id').execute()).map(
    toRetention,
  );

/** Marks the wave's retention applied, unless it already is (another run got there first): whether this call did. */
export const markRetentionApplied = async (db: Kysely<IdentifiableDatabase>, waveId: string, now: number): Promise<boolean> => {
  const result = await db
    .updateTable('wave_retention')
    .set({ applied_at: now })
    .where('wave_id', '=', waveId)
    .where('applied_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
};

/** Marks applied retentions due again: their erasure, safe to repeat, runs again with the store's rewrite. */
export const markRetentionDue = (db: Kysely<IdentifiableDatabase>, waveIds: readonly string[]) =>
  waveIds.length === 0 ? Promise.resolve() : db.updateTable('wave_retention').set({ applied_at: null }).where('wave_id', 'in', waveIds).execute();
