import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';

/** The privacy notice an admin wrote (migration 0014), or undefined for the platform's default. */
export const findPrivacyNotice = async (db: Kysely<IdentifiableDatabase>) => {
  const row = await db.selectFrom('privacy_notice').select(['text', 'updated_by', 'updated_at']).where('id', '=', 1).executeTakeFirst();
  return row && { text: row.text, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) };
};

export const savePrivacyNotice = async (db: Kysely<IdentifiableDatabase>, text: string, { actor, now }: { actor: string; now: number }): Promise<void> => {
  const values = { text, updated_by: actor, updated_at: now };
  await db
    .insertInto('privacy_notice')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
};
