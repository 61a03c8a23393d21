import type { Kysely } from 'kysely';
import { randomToken, sha256 } from '../security/tokens.js';
import type { IdentifiableDatabase } from './database.js';
import { inTransaction } from './in-transaction.js';
import { newId } from './part-one-store.js';

export interface Invitation {
  readonly id: string;
  readonly waveId: string;
  readonly localAuthority: string;
}

const toInvitation = (row: { id: string; wave_id: string; local_authority: string }): Invitation => ({
  id: row.id,
  waveId: row.wave_id,
  localAuthority: row.local_authority,
});

/**
 * Creates the council's invitation, or gives it a new link, and returns the secret for the link. Only
 * the secret's hash is stored. Callers must not give a new link to a council that has submitted part
 * one: its part-two credential derives from the secret, so a new link would open a second part two.
 */
export const issueInvitation = async (db: Kysely<IdentifiableDatabase>, waveId: string, localAuthority: string): Promise<string> => {
  const secret = randomToken();
  await inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('invitation')
      .select('id')
      .where('wave_id', '=', waveId)
      .where('local_authority', '=', localAuthority)
      .executeTakeFirst();
    if (existing) {
      // A new link for the same invitation: the old links (a reminder's among them) and their sessions
      // stop working, a saved part-one draft is kept.
      await trx
        .updateTable('invitation')
        .set({ token_hash: sha256(secret) })
        .where('id', '=', existing.id)
        .execute();
      await trx.deleteFrom('respondent_session').where('invitation_id', '=', existing.id).execute();
      await trx.deleteFrom('invitation_link').where('invitation_id', '=', existing.id).execute();
    } else {
      await trx
        .insertInto('invitation')
        .values({ id: newId(), wave_id: waveId, local_authority: localAuthority, token_hash: sha256(secret) })
        .execute();
    }
  });
  return secret;
};

export const listInvitations = (db: Kysely<IdentifiableDatabase>, waveId: string) =>
  db.selectFrom('invitation').select(['id', 'wave_id', 'local_authority']).where('wave_id', '=', waveId).execute();

/**
 * A further link to an existing invitation (a reminder's): the council's earlier links and sessions go on
 * working. Returns the secret; only its hash is stored.
 */
export const addInvitationLink = async (db: Kysely<IdentifiableDatabase>, invitationId: string): Promise<string> => {
  const secret = randomToken();
  await db
    .insertInto('invitation_link')
    .values({ token_hash: sha256(secret), invitation_id: invitationId })
    .execute();
  return secret;
};

/** The invitation a link opens: its own link or a further one. */
export const findInvitationBySecret = async (db: Kysely<IdentifiableDatabase>, secret: string): Promise<Invitation | undefined> => {
  const hash = sha256(secret);
  const row =
    (await db.selectFrom('invitation').select(['id', 'wave_id', 'local_authority']).where('token_hash', '=', hash).executeTakeFirst()) ??
    (await db
      .selectFrom('invitation_link')
      .innerJoin('invitation', 'invitation.id', 'invitation_link.invitation_id')
      .select(['invitation.id', 'invitation.wave_id', 'invitation.local_authority'])
      .where('invitation_link.token_hash', '=', hash)
      .executeTakeFirst());
  return row && toInvitation(row);
};

/** Opens a respondent session for an invitation; returns the cookie's token. */
export const createSession = async (db: Kysely<IdentifiableDatabase>, invitationId: string, lifetimeMs: number, now = Date.now()) => {
  const token = randomToken();
  await db.deleteFrom('respondent_session').where('expires_at', '<', now).execute();
  await db
    .insertInto('respondent_session')
    .values({ token_hash: sha256(token), invitation_id: invitationId, expires_at: now + lifetimeMs })
    .execute();
  return token;
};

export const findSession = async (db: Kysely<IdentifiableDatabase>, token: string, now = Date.now()): Promise<Invitation | undefined> => {
  const row = await db
    .selectFrom('respondent_session')
    .innerJoin('invitation', 'invitation.id', 'respondent_session.invitation_id')
    .select(['invitation.id', 'invitation.wave_id', 'invitation.local_authority'])
    .where('respondent_session.token_hash', '=', sha256(token))
    .where('respondent_session.expires_at', '>', now)
    .executeTakeFirst();
  return row && toInvitation(row);
};

export const endSession = async (db: Kysely<IdentifiableDatabase>, token: string) => {
  await db.deleteFrom('respondent_session').where('token_hash', '=', sha256(token)).execute();
};
