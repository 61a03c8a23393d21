import { sql, type Kysely } from 'kysely';
import { definitionOfWave, storedAnswers, type Answers } from '../../survey-definitions/index.js';
import { inPlace, placePartTwo, scrubArrivalOrder } from './anonymous-store.js';
import type { AnonymousDatabase, IdentifiableDatabase } from './database.js';
import { findStoredWave } from './wave-store.js';

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

/** Rows converted per transaction: a batch's rows are held in memory, whatever the wave's size. */
const CONVERT_BATCH = 2000;

/**
 * Rewrites, by position, every part-two row still kept as an object (stored before the platform kept
 * part two by position: survey-definitions/stored-answers.ts), with its wave's definition. Otherwise, in a
 * wave answered across that upgrade, a row's form would tell whether it arrived before or after it. Run at
 * server start before the start's whole scrub, which then erases the rows' earlier versions; it reads the
 * whole store, as that scrub does. A row its definition cannot hold (an item it does not have) is left as
 * it is and still read; none is lost. Returns how many rows were rewritten.
 */
export const keepPartTwoByPosition = async (stores: {
  readonly identifiable: Kysely<IdentifiableDatabase>;
  readonly anonymous: Kysely<AnonymousDatabase>;
}): Promise<number> => {
  const asObject = sql<boolean>`substr(answers, 1, 1) = '{'`;
  let converted = 0;
  for (const place of ['archive', 'intake'] as const) {
    const at = inPlace(stores.anonymous, place);
    for (const { wave_id: waveId } of await at.selectFrom('part_two_response').select('wave_id').distinct().where(asObject).execute()) {
      const wave = await findStoredWave(stores.identifiable, waveId);
      if (!wave) continue;
      const stored = storedAnswers(definitionOfWave(wave), 'anonymous');
      // In key order, from after the last row looked at: each batch is a look-up in the key's index.
      for (let after = ''; ;) {
        const rows = await at
          .selectFrom('part_two_response')
          .select(['id', 'answers'])
          .where('wave_id', '=', waveId)
          .where('id', '>', after)
          .where(asObject)
          .orderBy('id')
          .limit(CONVERT_BATCH)
          .execute();
        if (rows.length === 0) break;
        after = rows.at(-1)!.id;
        await stores.anonymous.transaction().execute(async (trx: Kysely<AnonymousDatabase>) => {
          for (const row of rows) {
            let text: string;
            try {
              text = stored.encode(JSON.parse(row.answers) as Answers);
            } catch {
              continue;
            }
            await inPlace(trx, place).updateTable('part_two_response').set({ answers: text }).where('id', '=', row.id).execute();
            converted++;
          }
        });
      }
    }
  }
  return converted;
};
