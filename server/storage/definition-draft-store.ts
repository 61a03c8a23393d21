import type { Kysely } from 'kysely';
import { defineSurvey, type SurveyDefinition } from '../../survey-definitions/index.js';
import { randomToken } from '../security/tokens.js';
import type { IdentifiableDatabase } from './database.js';

/**
 * Uploaded definitions waiting for an admin to publish them (migration 0012): a week at most, then swept
 * at the next upload. A draft was checked when it was uploaded and is checked again when it is published,
 * since another version may have been published in between.
 */

export const draftLifetimeMs = 7 * 24 * 60 * 60_000;

export interface DefinitionDraft {
  readonly token: string;
  readonly definition: SurveyDefinition;
  readonly uploadedBy: string;
  readonly uploadedAt: number;
}

/** Keeps a checked definition as a draft and sweeps those past their week; returns the draft's token. */
export const saveDefinitionDraft = async (
  db: Kysely<IdentifiableDatabase>,
  definition: SurveyDefinition,
  { actor, now }: { actor: string; now: number },
): Promise<string> => {
  const token = randomToken();
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('definition_draft')
      .where('uploaded_at', '<', now - draftLifetimeMs)
      .execute();
    await trx
      .insertInto('definition_draft')
      .values({ token, definition: JSON.stringify(definition), uploaded_by: actor, uploaded_at: now })
      .execute();
  });
  return token;
};

/** A draft younger than a week, or undefined (unknown, expired or published). */
export const findDefinitionDraft = async (db: Kysely<IdentifiableDatabase>, token: string, now: number): Promise<DefinitionDraft | undefined> => {
  const row = await db.selectFrom('definition_draft').selectAll().where('token', '=', token).executeTakeFirst();
  if (!row || Number(row.uploaded_at) < now - draftLifetimeMs) return undefined;
  return { token: row.token, definition: defineSurvey(JSON.parse(row.definition)), uploadedBy: row.uploaded_by, uploadedAt: Number(row.uploaded_at) };
};

/** Once published, a draft has nothing left to show. */
export const deleteDefinitionDraft = async (db: Kysely<IdentifiableDatabase>, token: string): Promise<void> => {
  await db.deleteFrom('definition_draft').where('token', '=', token).execute();
};
