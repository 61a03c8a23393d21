import type { Kysely } from 'kysely';
import { inPlace } from './anonymous-store.js';
import type { Answers } from '../../survey-definitions/index.js';
import { sha256 } from '../security/tokens.js';
import type { AnonymousDatabase } from './database.js';
import type { Draft } from './part-one-draft-store.js';

/**
 * Part-two passes, keyed by a hash of their code, so the anonymous store never holds a code that could
 * be replayed and nothing here names or points to an invitation. A code proves itself (it carries the
 * server's tag), so a pass is written only when part two is first saved or submitted, never when the
 * code is issued with part one: the anonymous store does not change at that moment. A pass carries the
 * draft while there is one and is marked spent, its draft erased, when part two is submitted; it is
 * never deleted, so a second submission is refused. Passes are written into the intake with their
 * wave's answers, and move with them into the archive when the wave closes (anonymous-store.ts).
 */
const key = (credential: string) => sha256(credential);

export interface PartTwoPass {
  readonly waveId: string;
  readonly spent: boolean;
  readonly draft?: Draft;
}

const storedPass = (db: Kysely<AnonymousDatabase>, credential: string) =>
  db.selectFrom('part_two_pass').select(['wave_id', 'spent', 'section', 'answers']).where('credential_hash', '=', key(credential)).executeTakeFirst();

/** The stored pass of a code, or undefined while its part two has not been saved. */
export const findPartTwoPass = async (db: Kysely<AnonymousDatabase>, credential: string): Promise<PartTwoPass | undefined> => {
  // A closed wave's pass is in the archive.
  const row = (await storedPass(inPlace(db, 'intake'), credential)) ?? (await storedPass(db, credential));
  if (!row) return undefined;
  const draft = row.answers !== null && row.section !== null ? { answers: JSON.parse(row.answers) as Answers, section: row.section } : undefined;
  return { waveId: row.wave_id, spent: Number(row.spent) === 1, ...(draft ? { draft } : {}) };
};

/** Saves the draft of a pass that is not spent; false when it is (another tab sent part two). */
export const savePartTwoDraft = async (db: Kysely<AnonymousDatabase>, credential: string, waveId: string, draft: Draft): Promise<boolean> => {
  const values = { answers: JSON.stringify(draft.answers), section: draft.section };
  const result = await inPlace(db, 'intake')
    .insertInto('part_two_pass')
    .values({ credential_hash: key(credential), wave_id: waveId, spent: 0, ...values })
    .onConflict((oc) => oc.column('credential_hash').doUpdateSet(values).where('part_two_pass.spent', '=', 0))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
};

/**
 * Marks the pass spent and erases its draft, in the caller's transaction; false when it was spent
 * already (a second tab, a resubmitted form), so exactly one submission per code goes on to be stored.
 */
export const spendPartTwoPass = async (db: Kysely<AnonymousDatabase>, credential: string, waveId: string): Promise<boolean> => {
  // Spent before its wave was closed and opened again, and not yet moved back: still spent.
  if (Number((await storedPass(db, credential))?.spent ?? 0) === 1) return false;
  const result = await inPlace(db, 'intake')
    .insertInto('part_two_pass')
    .values({ credential_hash: key(credential), wave_id: waveId, spent: 1, section: null, answers: null })
    .onConflict((oc) => oc.column('credential_hash').doUpdateSet({ spent: 1, section: null, answers: null }).where('part_two_pass.spent', '=', 0))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
};
