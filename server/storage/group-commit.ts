import { sql, type Kysely } from 'kysely';
import { shuffle } from './anonymous-store.js';
import { scrubUnderWay } from './arrival-scrub.js';
import { isSqlite } from './dialect-of.js';

/**
 * Group commit: writes that arrive while a commit is under way wait for it, then commit together in one
 * transaction, so that many respondents' saves cost one durable commit (one fsync with SQLite's
 * synchronous=FULL) instead of one each. Nobody is told a write succeeded before the transaction that
 * holds it has committed, so an acknowledged answer is as durable as before; a write that arrives alone
 * commits at once, with no waiting for company.
 *
 * Each write runs inside a savepoint of the shared transaction: one that fails is rolled back alone and
 * its caller gets its error, while the others commit. The writes of a group run in a random order, so
 * not even the order of statements in a transaction follows the order of arrival.
 */

interface Pending {
  readonly work: (trx: Kysely<any>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Queue {
  pending: Pending[];
  running: boolean;
}

/** Per store (its Kysely instance). */
const queues = new WeakMap<object, Queue>();

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The group's writes in one transaction, each in a savepoint when there are several. One statement
 * fewer per write than savepoint, work, release: a write's savepoint is released by the next one's
 * (on PostgreSQL in the same round trip), and the last one's by the commit. A group of one needs none:
 * if its write fails, the transaction is rolled back and its caller gets the error (`drain`).
 */
const runGroup = async (db: Kysely<any>, group: readonly Pending[]): Promise<Outcome[]> => {
  const outcomes: Outcome[] = [];
  const several = group.length > 1;
  // SQLite prepares one statement at a time; PostgreSQL takes two in one simple query.
  const next = isSqlite(db) ? [sql`release savepoint group_write`, sql`savepoint group_write`] : [sql`release savepoint group_write; savepoint group_write`];
  await db.transaction().execute(async (trx) => {
    for (const [i, { work }] of group.entries()) {
      if (!several) {
        outcomes.push({ ok: true, value: await work(trx) });
        break;
      }
      for (const statement of i === 0 ? [sql`savepoint group_write`] : next) await statement.execute(trx);
      try {
        outcomes.push({ ok: true, value: await work(trx) });
      } catch (error) {
        // Back to before this write; the savepoint stays, for the next write's statement to release.
        await sql`rollback to savepoint group_write`.execute(trx);
        outcomes.push({ ok: false, error });
      }
    }
  });
  return outcomes;
};

const drain = async (db: Kysely<any>, queue: Queue) => {
  const sqlite = isSqlite(db);
  try {
    while (queue.pending.length > 0) {
      // On PostgreSQL, not while the scrub after the last group runs: the group's writes would wait for
      // its locks, or hold it up until its lock timeout ran out and it was deferred, the saves
      // acknowledged before it was done. (On SQLite the scrub holds the one connection anyway, and
      // waiting for it here as well put the group behind every read queued meanwhile: slower, measured.)
      if (!sqlite) await scrubUnderWay(db);
      const group = shuffle(queue.pending.splice(0));
      try {
        const outcomes = await runGroup(db, group);
        group.forEach((pending, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) pending.resolve(outcome.value);
          else pending.reject(outcome.error);
        });
      } catch (error) {
        // The commit failed (a full disk), or a group's only write did: nothing of the group was written,
        // and each caller hears why.
        for (const pending of group) pending.reject(error);
      }
      // As before the first group: let the requests that arrived during this one reach the queue.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    queue.running = false;
  }
};

/** Runs `work` in a transaction shared with the writes that arrive meanwhile; resolves once that transaction has committed. */
export const commitTogether = <DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> => {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = { pending: [], running: false }));
  const promise = new Promise<T>((resolve, reject) => {
    queue.pending.push({ work: work as Pending['work'], resolve: resolve as Pending['resolve'], reject });
  });
  if (!queue.running) {
    queue.running = true;
    // SQLite runs on this thread: a commit blocks it, so the writes of requests that arrived meanwhile
    // reach this queue only once their sockets are read. The group starts after the I/O that is ready
    // now has been read, so those join it.
    setImmediate(() => void drain(db, queue));
  }
  return promise;
};
