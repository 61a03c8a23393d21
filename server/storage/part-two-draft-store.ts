import type { Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import { sha256 } from '../security/tokens.js';
import type { AnonymousDatabase } from './database.js';
import type { Draft } from './part-one-draft-store.js';

/** Credentials are looked up by hash, so the anonymous store never holds one that could be replayed. */
const key = (credential: string) => sha256(credential);

export const findPartTwoDraft = async (db: Kysely<AnonymousDatabase>, credential: string): Promise<Draft | undefined> => {
  const row = await db.selectFrom('part_two_draft').select(['answers', 'section']).where('credential_hash', '=', key(credential)).executeTakeFirst();
  return row && { answers: JSON.parse(row.answers) as Answers, section: row.section };
};

export const savePartTwoDraft = async (db: Kysely<AnonymousDatabase>, credential: string, waveId: string, draft: Draft) => {
  const values = { answers: JSON.stringify(draft.answers), section: draft.section };
  await db
    .insertInto('part_two_draft')
    .values({ credential_hash: key(credential), wave_id: waveId, ...values })
    .onConflict((oc) => oc.column('credential_hash').doUpdateSet(values))
    .execute();
};

export const isPartTwoSpent = async (db: Kysely<AnonymousDatabase>, credential: string): Promise<boolean> =>
  (await db.selectFrom('part_two_spent').select('credential_hash').where('credential_hash', '=', key(credential)).executeTakeFirst()) !== undefined;

/** Marks the credential spent and destroys its draft, in the caller's transaction. */
export const spendPartTwoCredential = async (db: Kysely<AnonymousDatabase>, credential: string, waveId: string) => {
  await db.deleteFrom('part_two_draft').where('credential_hash', '=', key(credential)).execute();
  await db.insertInto('part_two_spent').values({ credential_hash: key(credential), wave_id: waveId }).execute();
};
