import { sql, type Kysely } from 'kysely';
import { definitionOfWave, itemsOf, type SurveyDefinition } from '../../survey-definitions/index.js';
import { checkpointed } from '../storage/arrival-scrub.js';
import { appendAuditEvent, type ChangeMade } from '../storage/audit-log-store.js';
import { bumpDataVersion } from '../storage/data-version-store.js';
import type { IdentifiableDatabase } from '../storage/database.js';
import { isSqlite } from '../storage/dialect-of.js';
import type { Stores } from '../storage/open-stores.js';
import { dueRetention, markRetentionApplied, markRetentionDue, setRetention, type WaveRetention } from '../storage/retention-store.js';
import { findStoredWave } from '../storage/wave-store.js';
import { todayInUk } from '../waves/index.js';

/**
 * Retention (UK GDPR Article 5(1)(e)): once a wave's day has passed, what identifies people in it is
 * erased: its roster (names, email addresses), invitations and their links, respondent sessions, part-one
 * drafts never sent, and the emails' outbox; and, unless an administrator chose to keep part one whole, the
 * identifying answers of part one (the items the definition marks `identifying`, such as a name or an email
 * address). The answers the tables need stay, under the council's code. Erased means gone from the files: on SQLite deleted cells are
 * overwritten (`secure_delete`) and the store is rewritten and its WAL emptied; on PostgreSQL the tables
 * are rewritten (`VACUUM FULL`).
 */

export const retentionAuditAction = 'retention.apply';
export const retentionSetAuditAction = 'retention.set';

/** Sets a wave's retention day and whether part one is kept whole, audited; the command line and the page share it. */
export const changeRetention = (
  db: Kysely<IdentifiableDatabase>,
  waveId: string,
  { contactsUntil, keepPartOne }: { contactsUntil: string; keepPartOne: boolean },
  made: ChangeMade,
): Promise<void> =>
  db.transaction().execute(async (trx) => {
    await setRetention(trx, waveId, { contactsUntil, keepPartOne });
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: retentionSetAuditAction,
      detail: { wave: waveId, until: contactsUntil, keepPartOne, ...(made.via ? { via: made.via } : {}) },
      at: made.now,
    });
  });

export interface RetentionCounts {
  readonly roster: number;
  readonly invitations: number;
  readonly links: number;
  readonly sessions: number;
  readonly drafts: number;
  readonly messages: number;
  /** Part-one answers whose identifying answers go (0 when part one is kept whole). */
  readonly partOneStripped: number;
}

export interface RetentionErasure extends WaveRetention {
  readonly counts: RetentionCounts;
}

/** The item every definition names the council by (the roster, invitations and tables use it too). */
const councilItem = 'local_authority';

/**
 * What part one loses when it is not kept whole: the items the definition marks identifying (a name, an
 * email address), except the council, under which the answers are kept.
 */
const identifyingItems = (definition: SurveyDefinition): string[] =>
  definition.parts.flatMap((part) =>
    itemsOf(part)
      .filter((item) => item.identifying && item.id !== councilItem)
      .map((item) => item.id),
  );

const number = (row: { n: unknown } | undefined) => Number(row?.n ?? 0);

/** What the erasure of one wave would take, read without changing anything. */
const countsOf = async (db: Kysely<IdentifiableDatabase>, retention: WaveRetention, identifying: readonly string[]): Promise<RetentionCounts> => {
  const invitations = db.selectFrom('invitation').select('id').where('wave_id', '=', retention.waveId);
  const count = <T extends 'roster' | 'invitation' | 'mail_outbox'>(table: T) =>
    db
      .selectFrom(table as 'roster')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('wave_id', '=', retention.waveId)
      .executeTakeFirst()
      .then(number);
  const byInvitation = (table: 'invitation_link' | 'respondent_session' | 'part_one_draft') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where('invitation_id', 'in', invitations)
      .executeTakeFirst()
      .then(number);
  let partOneStripped = 0;
  if (!retention.keepPartOne && identifying.length > 0)
    for (const row of await db.selectFrom('part_one_response').select('answers').where('wave_id', '=', retention.waveId).execute()) {
      const answers = JSON.parse(row.answers) as Record<string, unknown>;
      if (identifying.some((id) => id in answers)) partOneStripped++;
    }
  return {
    roster: await count('roster'),
    invitations: await count('invitation'),
    links: await byInvitation('invitation_link'),
    sessions: await byInvitation('respondent_session'),
    drafts: await byInvitation('part_one_draft'),
    messages: await count('mail_outbox'),
    partOneStripped,
  };
};

const identifyingOf = async (db: Kysely<IdentifiableDatabase>, waveId: string) => {
  const wave = await findStoredWave(db, waveId);
  return wave ? identifyingItems(definitionOfWave(wave)) : [];
};

/** The waves whose retention ended before `today` (YYYY-MM-DD, UK) and what their erasure would take. */
export const planRetention = async (db: Kysely<IdentifiableDatabase>, today: string): Promise<RetentionErasure[]> => {
  const plans: RetentionErasure[] = [];
  for (const retention of await dueRetention(db, today))
    plans.push({ ...retention, counts: await countsOf(db, retention, await identifyingOf(db, retention.waveId)) });
  return plans;
};

/**
 * Erases one wave's identifying data in one transaction, and audits it with the counts (never a name).
 * Undefined when another run (the server's daily one, a `retention apply` beside it) applied it first.
 */
const eraseWave = async (db: Kysely<IdentifiableDatabase>, retention: WaveRetention, made: ChangeMade): Promise<RetentionErasure | undefined> =>
  db.transaction().execute(async (trx) => {
    if (!(await markRetentionApplied(trx, retention.waveId, made.now))) return undefined;
    const identifying = await identifyingOf(trx, retention.waveId);
    const counts = await countsOf(trx, retention, identifying);
    const invitations = trx.selectFrom('invitation').select('id').where('wave_id', '=', retention.waveId);
    for (const table of ['respondent_session', 'invitation_link', 'part_one_draft'] as const)
      await trx.deleteFrom(table).where('invitation_id', 'in', invitations).execute();
    await trx.deleteFrom('invitation').where('wave_id', '=', retention.waveId).execute();
    await trx.deleteFrom('roster').where('wave_id', '=', retention.waveId).execute();
    await trx.deleteFrom('mail_outbox').where('wave_id', '=', retention.waveId).execute();
    if (!retention.keepPartOne && identifying.length > 0)
      for (const row of await trx.selectFrom('part_one_response').select(['id', 'answers']).where('wave_id', '=', retention.waveId).execute()) {
        const answers = JSON.parse(row.answers) as Record<string, unknown>;
        if (!identifying.some((id) => id in answers)) continue;
        for (const id of identifying) delete answers[id];
        await trx
          .updateTable('part_one_response')
          .set({ answers: JSON.stringify(answers) })
          .where('id', '=', row.id)
          .execute();
      }
    // Part one changed: the tables and dashboards cached for the wave are read afresh.
    if (counts.partOneStripped > 0) await bumpDataVersion(trx, retention.waveId);
    await appendAuditEvent(trx, {
      actor: made.actor,
      action: retentionAuditAction,
      detail: { wave: retention.waveId, until: retention.contactsUntil, keptPartOne: retention.keepPartOne, ...counts, ...(made.via ? { via: made.via } : {}) },
      at: made.now,
    });
    return { ...retention, counts };
  });

/** The store could not be rewritten because another process kept reading it: the erased rows are gone from its tables, but its WAL may still hold them. */
export class StoreRewriteBlocked extends Error {
  override name = 'StoreRewriteBlocked';
  constructor() {
    super(
      'another process kept reading the identifiable store, so its write-ahead log could not be emptied of what was erased: stop it (a command, a backup) and try again',
    );
  }
}

/** How often, and how long apart, the SQLite rewrite is tried while another process reads the store. */
const rewriteTries = 20;
const rewritePauseMs = 250;

/**
 * Rewrites the identifiable store so that no erased byte is left in it (after retention, and after a
 * person's erasure, subject-access.ts): SQLite empties its WAL, rewrites the file and empties the WAL
 * again, each checkpoint checked (a reader in another process stops one short without an error: it is
 * tried again for a few seconds, then `StoreRewriteBlocked`); PostgreSQL rewrites the tables erased from.
 */
export const rewriteIdentifiable = async (db: Kysely<IdentifiableDatabase>) => {
  if (!isSqlite(db)) {
    await sql`vacuum full roster, invitation, invitation_link, respondent_session, part_one_draft, mail_outbox, part_one_response`.execute(db);
    return;
  }
  // A truncating checkpoint waits for readers through the busy handler, blocking this thread: it is
  // asked without waiting, and tried again a little later instead.
  const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
  await sql`pragma busy_timeout = 0`.execute(db);
  try {
    for (let attempt = 1; attempt <= rewriteTries; attempt++) {
      // Emptied before the VACUUM as well, so that the rewrite starts a WAL generation of its own.
      if (await checkpointed(db, 'main')) {
        await sql`vacuum`.execute(db);
        if (await checkpointed(db, 'main')) return;
      }
      await new Promise((resolve) => setTimeout(resolve, rewritePauseMs));
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${Number(rows[0]?.timeout ?? 5000)}`).execute(db);
  }
  throw new StoreRewriteBlocked();
};

/** Applies every retention that has ended before `today`: each wave erased in its own transaction, then the store rewritten. */
export const applyRetention = async (stores: Pick<Stores, 'identifiable'>, today: string, made: ChangeMade): Promise<RetentionErasure[]> => {
  const done: RetentionErasure[] = [];
  for (const retention of await dueRetention(stores.identifiable, today)) {
    const erased = await eraseWave(stores.identifiable, retention, made);
    if (erased) done.push(erased);
  }
  if (done.length === 0) return done;
  try {
    await rewriteIdentifiable(stores.identifiable);
  } catch (error) {
    // Due again, so that the next run (the server's next day, or the command again) erases and rewrites once more.
    await markRetentionDue(
      stores.identifiable,
      done.map((e) => e.waveId),
    );
    throw error;
  }
  return done;
};

/** At start and then daily in the server: what has passed its day is erased, and the log says what went (counts, never a name). */
export const runRetention = async (stores: Pick<Stores, 'identifiable'>, log: (message: string) => void, now = Date.now()): Promise<void> => {
  try {
    for (const e of await applyRetention(stores, todayInUk(now), { actor: null, via: 'server', now }))
      log(
        `retention: wave ${e.waveId} kept what identifies people through ${e.contactsUntil}; erased ${e.counts.roster} roster entries, ${e.counts.invitations} invitations and ${e.counts.messages} emails`,
      );
  } catch (error) {
    log(`retention: not applied this time: ${error instanceof Error ? error.message : String(error)}`);
  }
};

export const dayMs = 24 * 3_600_000;

/** Runs the retention every day from now (the server runs it once at start itself); returns what stops it. */
export const startDailyRetention = (stores: Pick<Stores, 'identifiable'>, log: (message: string) => void): (() => void) => {
  const timer = setInterval(() => void runRetention(stores, log), dayMs);
  timer.unref();
  return () => clearInterval(timer);
};
