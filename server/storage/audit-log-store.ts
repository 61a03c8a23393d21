import type { Kysely } from 'kysely';
import type { IdentifiableDatabase } from './database.js';

/**
 * The audit log of staff actions: append-only (the store refuses UPDATE and DELETE). An event's detail
 * is about staff activity only (an email tried, a role given); never a password, a token, or anything
 * about a respondent.
 */

export interface AuditEvent {
  readonly id: number;
  readonly at: number;
  readonly actor: string | null;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Who made a change, for the audit log: a staff user, or the command line (actor null). */
export interface ChangeMade {
  readonly actor: string | null;
  readonly now: number;
  /** Set for the command line, whose actor is null. */
  readonly via?: string;
}

export interface NewAuditEvent {
  readonly actor: string | null;
  readonly action: string;
  readonly detail?: Readonly<Record<string, unknown>>;
  readonly at?: number;
}

export const appendAuditEvent = async (db: Kysely<IdentifiableDatabase>, event: NewAuditEvent): Promise<void> => {
  await db
    .insertInto('audit_event')
    .values({ at: event.at ?? Date.now(), actor: event.actor, action: event.action, detail: JSON.stringify(event.detail ?? {}) })
    .execute();
};

/** Events in the order they were written, optionally only some actions, newest last. */
export const listAuditEvents = async (
  db: Kysely<IdentifiableDatabase>,
  { actions, since, limit }: { actions?: readonly string[]; since?: number; limit?: number } = {},
): Promise<AuditEvent[]> => {
  let query = db.selectFrom('audit_event').select(['id', 'at', 'actor', 'action', 'detail']).orderBy('id');
  if (actions && actions.length > 0) query = query.where('action', 'in', [...actions]);
  if (since !== undefined) query = query.where('at', '>=', since);
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((r) => ({ id: Number(r.id), at: Number(r.at), actor: r.actor, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
};

/** An event as the audit log page shows it: with the acting account's email (null: the command line, or nobody signed in). */
export interface AuditEventWithActor extends AuditEvent {
  readonly actorEmail: string | null;
}

/** One page of events, newest first, optionally of one action only. */
export const listAuditEventsNewestFirst = async (
  db: Kysely<IdentifiableDatabase>,
  { action, limit, offset }: { action?: string; limit: number; offset: number },
): Promise<AuditEventWithActor[]> => {
  let query = db
    .selectFrom('audit_event')
    .leftJoin('staff_user', 'staff_user.id', 'audit_event.actor')
    .select(['audit_event.id', 'audit_event.at', 'audit_event.actor', 'audit_event.action', 'audit_event.detail', 'staff_user.email as actorEmail'])
    .orderBy('audit_event.id', 'desc')
    .limit(limit)
    .offset(offset);
  if (action !== undefined) query = query.where('audit_event.action', '=', action);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    actorEmail: r.actorEmail,
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
};

export const countAuditEvents = async (db: Kysely<IdentifiableDatabase>, { action }: { action?: string } = {}): Promise<number> => {
  let query = db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n'));
  if (action !== undefined) query = query.where('action', '=', action);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

/** Every action the log holds, for the page's filter. */
export const auditActionsInLog = async (db: Kysely<IdentifiableDatabase>): Promise<string[]> =>
  (await db.selectFrom('audit_event').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
