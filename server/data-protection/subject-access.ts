import { sql, type Kysely } from 'kysely';
import type { Answers } from '../../survey-definitions/index.js';
import { csvText } from '../csv/csv-writer.js';
import { appendAuditEvent, type ChangeMade } from '../storage/audit-log-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import type { Stores } from '../storage/open-stores.js';
import { bumpDataVersion } from '../storage/data-version-store.js';
import { rewriteIdentifiable } from './retention.js';

/**
 * Requests under UK GDPR Articles 15 and 17 from one CSWO, found by the email address the rosters hold:
 * everything the identifiable store holds about them (their roster entries, their council's part one and
 * draft in those waves, invitations, the emails sent to them), and its erasure. Part two cannot be found
 * for a person: nothing in either store says whose a part two is.
 */

export const personAuditActions = { access: 'person.access', erase: 'person.erase' } as const;

export interface PersonMessage {
  readonly purpose: string;
  readonly status: string;
  readonly queuedAt: string;
  readonly sentAt: string | null;
  readonly reply: string | null;
}

export interface PersonEntry {
  readonly wave: string;
  readonly council: string;
  readonly name: string;
  readonly email: string;
  readonly invited: boolean;
  /** Part one as sent (null when not sent), and the draft of one not yet sent. */
  readonly partOne: Answers | null;
  readonly partOneDraft: Answers | null;
  readonly messages: readonly PersonMessage[];
}

export interface PersonRecord {
  readonly email: string;
  readonly entries: readonly PersonEntry[];
}

/** Part two cannot be given or erased for a person: said wherever a request is answered. */
export const partTwoExplanation =
  'Part two (the anonymous part) is not included and cannot be erased for a person: it is stored with no name, council, email address, link or time, and nothing connects it to part one, so nobody can tell which part two is theirs.';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

const rosterOf = (db: Kysely<IdentifiableDatabase>, email: string) =>
  db
    .selectFrom('roster')
    .select(['wave_id', 'local_authority', 'name', 'email'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .orderBy('wave_id')
    .orderBy('local_authority')
    .execute();

/** Everything the identifiable store holds about the person with this email address. */
export const findPerson = async (db: Kysely<IdentifiableDatabase>, email: string): Promise<PersonRecord> => {
  const entries: PersonEntry[] = [];
  for (const r of await rosterOf(db, email)) {
    const invitation = await db
      .selectFrom('invitation')
      .select('id')
      .where('wave_id', '=', r.wave_id)
      .where('local_authority', '=', r.local_authority)
      .executeTakeFirst();
    const partOne = await db
      .selectFrom('part_one_response')
      .select('answers')
      .where('wave_id', '=', r.wave_id)
      .where('local_authority', '=', r.local_authority)
      .executeTakeFirst();
    const draft = invitation
      ? await db.selectFrom('part_one_draft').select('answers').where('invitation_id', '=', invitation.id).executeTakeFirst()
      : undefined;
    const messages = await db
      .selectFrom('mail_outbox')
      .select(['purpose', 'status', 'queued_at', 'sent_at', 'last_error'])
      .where('wave_id', '=', r.wave_id)
      .where('local_authority', '=', r.local_authority)
      .orderBy('queued_at')
      .execute();
    entries.push({
      wave: r.wave_id,
      council: r.local_authority,
      name: r.name,
      email: r.email,
      invited: invitation !== undefined,
      partOne: partOne ? (JSON.parse(partOne.answers) as Answers) : null,
      partOneDraft: draft ? (JSON.parse(draft.answers) as Answers) : null,
      messages: messages.map((m) => ({ purpose: m.purpose, status: m.status, queuedAt: iso(m.queued_at)!, sentAt: iso(m.sent_at), reply: m.last_error })),
    });
  }
  return { email: email.trim(), entries };
};

const cellOf = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The record as one CSV table a spreadsheet opens: wave, council, what, field, value. `bom` for the
 * download, which Excel opens (it reads UTF-8 reliably only with one); none on the command line, whose
 * output Python and R read as it is, as `export` without --bom.
 */
export const personCsv = (record: PersonRecord, { bom = false }: { bom?: boolean } = {}): string => {
  const rows: string[][] = [['wave', 'council', 'what', 'field', 'value']];
  for (const e of record.entries) {
    rows.push(
      [e.wave, e.council, 'roster', 'name', e.name],
      [e.wave, e.council, 'roster', 'email', e.email],
      [e.wave, e.council, 'invitation', 'invited', e.invited ? 'yes' : 'no'],
    );
    for (const [field, value] of Object.entries(e.partOne ?? {})) rows.push([e.wave, e.council, 'part one (sent)', field, cellOf(value)]);
    for (const [field, value] of Object.entries(e.partOneDraft ?? {})) rows.push([e.wave, e.council, 'part one (draft)', field, cellOf(value)]);
    e.messages.forEach((m, i) => {
      for (const [field, value] of Object.entries(m)) rows.push([e.wave, e.council, `email ${i + 1}`, field, cellOf(value)]);
    });
  }
  return csvText(rows, { bom });
};

/** The record as JSON, with the note on part two. */
export const personJson = (record: PersonRecord): string => `${JSON.stringify({ ...record, partTwo: partTwoExplanation }, null, 2)}\n`;

export interface PersonErasure {
  readonly entries: number;
  readonly partOnes: number;
  readonly invitations: number;
  readonly messages: number;
}

/**
 * Erases the person's roster entries and, in those waves, their council's part one, draft, invitation, its
 * links and sessions, and the emails to them; in one transaction, audited with the waves, councils and the
 * reason (never the email or name), then the store rewritten so that nothing erased stays in its files.
 */
export const erasePerson = async (stores: Pick<Stores, 'identifiable'>, email: string, reason: string, made: ChangeMade): Promise<PersonErasure> => {
  const erased = await stores.identifiable.transaction().execute(async (trx) => {
    const entries = await rosterOf(trx, email);
    let partOnes = 0;
    let invitations = 0;
    let messages = 0;
    for (const r of entries) {
      const invitation = trx.selectFrom('invitation').select('id').where('wave_id', '=', r.wave_id).where('local_authority', '=', r.local_authority);
      for (const table of ['respondent_session', 'invitation_link', 'part_one_draft'] as const)
        await trx.deleteFrom(table).where('invitation_id', 'in', invitation).execute();
      invitations += Number(
        (await trx.deleteFrom('invitation').where('wave_id', '=', r.wave_id).where('local_authority', '=', r.local_authority).executeTakeFirst())
          .numDeletedRows,
      );
      const partOne = Number(
        (await trx.deleteFrom('part_one_response').where('wave_id', '=', r.wave_id).where('local_authority', '=', r.local_authority).executeTakeFirst())
          .numDeletedRows,
      );
      // The wave's tables and dashboards, cached by its data version, are read afresh without it.
      if (partOne > 0) await bumpDataVersion(trx, r.wave_id);
      partOnes += partOne;
      messages += Number(
        (await trx.deleteFrom('mail_outbox').where('wave_id', '=', r.wave_id).where('local_authority', '=', r.local_authority).executeTakeFirst())
          .numDeletedRows,
      );
      await trx.deleteFrom('roster').where('wave_id', '=', r.wave_id).where('local_authority', '=', r.local_authority).execute();
    }
    const counts = { entries: entries.length, partOnes, invitations, messages };
    if (entries.length > 0)
      await appendAuditEvent(trx, {
        actor: made.actor,
        action: personAuditActions.erase,
        detail: {
          entries: entries.map((r) => `${r.wave_id}/${r.local_authority}`),
          reason,
          partOnes,
          invitations,
          messages,
          ...(made.via ? { via: made.via } : {}),
        },
        at: made.now,
      });
    return counts;
  });
  if (erased.entries > 0) await rewriteIdentifiable(stores.identifiable);
  return erased;
};
