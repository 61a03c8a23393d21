import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';
import type { MailPurpose } from './mail-outbox-store.js';

/** The wording an admin gave one kind of message (migration 0013); none means the platform's own. */
export const findMailTemplate = async (db: Kysely<IdentifiableDatabase>, purpose: MailPurpose) => {
  const row = await db.selectFrom('mail_template').select(['subject', 'body', 'updated_by', 'updated_at']).where('purpose', '=', purpose).executeTakeFirst();
  return row && { subject: row.subject, body: row.body, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) };
};

export const saveMailTemplate = async (
  db: Kysely<IdentifiableDatabase>,
  purpose: MailPurpose,
  template: { readonly subject: string; readonly body: string },
  { actor, now }: { actor: string; now: number },
): Promise<void> => {
  const values = { subject: template.subject, body: template.body, updated_by: actor, updated_at: now };
  await db
    .insertInto('mail_template')
    .values({ purpose, ...values })
    .onConflict((oc) => oc.column('purpose').doUpdateSet(values))
    .execute();
};

export const removeMailTemplate = async (db: Kysely<IdentifiableDatabase>, purpose: MailPurpose): Promise<void> => {
  await db.deleteFrom('mail_template').where('purpose', '=', purpose).execute();
};
