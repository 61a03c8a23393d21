import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

/** The one table both stores share by shape (migration `*-data-version`). */
interface WithDataVersion {
  wave_data_version: { wave_id: string; generation: string };
}

/** Gives the wave a new generation; call it in the transaction that writes the answers. */
export const bumpDataVersion = async (db: Kysely<any>, waveId: string): Promise<void> => {
  const generation = randomBytes(16).toString('hex');
  await (db as Kysely<WithDataVersion>)
    .insertInto('wave_data_version')
    .values({ wave_id: waveId, generation })
    .onConflict((oc) => oc.column('wave_id').doUpdateSet({ generation }))
    .execute();
};

/** The wave's generation, or '' when no answer was ever written. */
export const dataVersionOf = async (db: Kysely<any>, waveId: string): Promise<string> => {
  const row = await (db as Kysely<WithDataVersion>).selectFrom('wave_data_version').select('generation').where('wave_id', '=', waveId).executeTakeFirst();
  return row?.generation ?? '';
};
