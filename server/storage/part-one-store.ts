import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import { bumpDataVersion } from './data-version-store.js';
import type { IdentifiableDatabase } from './database.js';

export interface PartOneRow {
  readonly localAuthority: string;
  readonly answers: Answers;
  /** Sent through the pages: the receipt of the browser's part-two nonce (server/respondent/part-two-credential.ts). */
  readonly partTwoReceipt?: string;
}

export const newId = (): string => randomBytes(16).toString('hex');

export const insertPartOneResponses = async (db: Kysely<IdentifiableDatabase>, waveId: string, rows: readonly PartOneRow[]): Promise<void> => {
  if (rows.length === 0) return;
  await bumpDataVersion(db, waveId);
  await db
    .insertInto('part_one_response')
    .values(
      rows.map((r) => ({
        id: newId(),
        wave_id: waveId,
        local_authority: r.localAuthority,
        answers: JSON.stringify(r.answers),
        part_two_receipt: r.partTwoReceipt ?? null,
      })),
    )
    .execute();
};

export const deletePartOneWave = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<number> => {
  await bumpDataVersion(db, waveId);
  const result = await db.deleteFrom('part_one_response').where('wave_id', '=', waveId).executeTakeFirst();
  return Number(result.numDeletedRows);
};

/** Responses of one wave, or of every wave when none is named. */
export const countPartOne = async (db: Kysely<IdentifiableDatabase>, waveId?: string): Promise<number> => {
  let query = db.selectFrom('part_one_response').select((eb) => eb.fn.countAll<number>().as('n'));
  if (waveId !== undefined) query = query.where('wave_id', '=', waveId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
};

export const councilsWithPartOne = async (db: Kysely<IdentifiableDatabase>, waveId: string): Promise<Set<string>> => {
  const rows = await db.selectFrom('part_one_response').select('local_authority').where('wave_id', '=', waveId).execute();
  return new Set(rows.map((r) => r.local_authority));
};

/** Part one in council order, streamed so a large wave is never held in memory. */
export async function* streamPartOne(db: Kysely<IdentifiableDatabase>, waveId: string): AsyncGenerator<Answers> {
  const rows = db.selectFrom('part_one_response').select('answers').where('wave_id', '=', waveId).orderBy('local_authority').stream(500);
  for await (const row of rows) yield JSON.parse(row.answers) as Answers;
}
