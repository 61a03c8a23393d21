import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import { inTransaction } from './in-transaction.js';

export interface RosterEntry {
  readonly localAuthority: string;
  readonly name: string;
  readonly email: string;
}

/** Replaces a wave's roster in one transaction (the caller's, if it is in one). */
export const replaceRoster = async (db: Kysely<IdentifiableDatabase>, waveId: string, entries: readonly RosterEntry[]) => {
  await inTransaction(db, async (trx) => {
    await trx
      .deleteFrom('roster')
      .where('wave_id', '=', waveId)
      .where('local_authority', 'not in', trx.selectFrom('invitation').select('local_authority').where('wave_id', '=', waveId))
      .execute();
    for (const e of entries) {
      await trx
        .insertInto('roster')
        .values({ wave_id: waveId, local_authority: e.localAuthority, name: e.name, email: e.email })
        .onConflict((oc) => oc.columns(['wave_id', 'local_authority']).doUpdateSet({ name: e.name, email: e.email }))
        .execute();
    }
  });
};

export const listRoster = (db: Kysely<IdentifiableDatabase>, waveId: string) =>
  db.selectFrom('roster').selectAll().where('wave_id', '=', waveId).orderBy('local_authority').execute();

export const findRosterEntry = (db: Kysely<IdentifiableDatabase>, waveId: string, localAuthority: string) =>
  db.selectFrom('roster').selectAll().where('wave_id', '=', waveId).where('local_authority', '=', localAuthority).executeTakeFirst();

export const waveStatus = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<'open' | 'closed' | 'not opened'> => {
  const row = await db.selectFrom('wave_status').select('status').where('wave_id', '=', waveId).executeTakeFirst();
  return row?.status ?? 'not opened';
};

export const setWaveStatus = async (db: Kysely<IdentifiableDatabase>, waveId: string, status: 'open' | 'closed') => {
  await db
    .insertInto('wave_status')
    .values({ wave_id: waveId, status })
    .onConflict((oc) => oc.column('wave_id').doUpdateSet({ status }))
    .execute();
};
