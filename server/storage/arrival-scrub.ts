import { sql, type Kysely } from 'kysely';

/**
 * When a scrub of the anonymous store's arrival order runs, and what its callers learn. The scrub itself
 * (what it does on each dialect) is `scrubArrivalOrder` in anonymous-store.ts; this module shares one
 * scrub between the writes that commit while it waits, and keeps retrying a scrub that another
 * connection blocked.
 *
 * On SQLite, a reader in another process (an export, a backup, any open read transaction) keeps the WAL
 * from being emptied. Waiting for it would stall the respondent whose answer is already committed, so an
 * attempt that cannot finish at once says `deferred` and is retried in the background, with back-off,
 * until it can. A caller that must not leave before the scrub is done (a command-line import) waits
 * with `finishDeferredScrub`.
 */

/** `done`: the file and the WAL hold no trace of arrival order. `deferred`: not yet, retried in the background. */
export type ScrubOutcome = 'done' | 'deferred';

/** How far a scrub reaches (anonymous-store.ts says what each does), narrowest first. */
export const scrubReaches = ['intake', 'moved', 'whole'] as const;
export type ScrubReach = (typeof scrubReaches)[number];

const wider = (a: ScrubReach, b: ScrubReach): ScrubReach => (scrubReaches.indexOf(a) >= scrubReaches.indexOf(b) ? a : b);

/** One try at the scrub, as far as `reach`: true when it finished, false when another connection blocked it. */
export type ScrubAttempt = (reach: ScrubReach) => Promise<boolean>;

interface ScrubState {
  attempt?: ScrubAttempt;
  /** The widest reach asked for and not yet done: the next attempt takes it on. */
  owed?: ScrubReach;
  /** The attempt under way. */
  running?: Promise<boolean>;
  /** The next attempt, which starts once the one under way has ended. */
  waiting?: Promise<ScrubOutcome>;
  /** Present from the first attempt that could not finish until the next one that does. */
  deferred?: { delay: number; timer?: NodeJS.Timeout; failureLogged: boolean };
  stopped: boolean;
  log?: (message: string) => void;
}

const firstRetryMs = 20;
const longestRetryMs = 1000;

/** Per store (its Kysely instance). */
const states = new WeakMap<object, ScrubState>();

const stateOf = (db: object): ScrubState => {
  let state = states.get(db);
  if (!state) states.set(db, (state = { stopped: false }));
  return state;
};

/**
 * Where the scrub reports that it is waiting for another connection and, once, that it is done. The
 * messages name the store only: never a path, a row or an answer.
 */
export const setScrubLog = (db: object, log: ((message: string) => void) | undefined): void => {
  stateOf(db).log = log;
};

const waitingMessage =
  'the anonymous store (anonymous.db or anonymous-intake.db, or its PostgreSQL database): another connection is reading or writing it, so the order in which part-two answers arrived cannot be erased yet; ' +
  'the answers are saved, and the scrub is retried in the background until that connection is done';
const doneMessage = 'the anonymous store: the scrub that was waiting for another connection is done; the order of arrival is erased';

const errorCode = (error: unknown) => String((error as { code?: unknown }).code ?? (error as Error).name ?? 'unknown error');

const finished = (state: ScrubState) => {
  if (!state.deferred) return;
  clearTimeout(state.deferred.timer);
  state.deferred = undefined;
  state.log?.(doneMessage);
};

const scheduleRetry = (db: object, state: ScrubState) => {
  const deferred = state.deferred;
  if (!deferred || deferred.timer || state.stopped) return;
  deferred.timer = setTimeout(() => {
    deferred.timer = undefined;
    deferred.delay = Math.min(deferred.delay * 2, longestRetryMs);
    if (state.stopped || state.deferred !== deferred) return;
    shareScrub(db, state.owed ?? 'intake', state.attempt!).catch((error: unknown) => {
      if (state.stopped) return;
      // Not a reader in the way (a full disk, say): say so once, and keep trying.
      if (!deferred.failureLogged) state.log?.(`anonymous.db: the deferred scrub failed (${errorCode(error)}); retrying`);
      deferred.failureLogged = true;
      scheduleRetry(db, state);
    });
  }, deferred.delay);
  // A waiting scrub never keeps a process alive: whoever must see it done waits with finishDeferredScrub.
  deferred.timer.unref();
};

const deferred = (db: object, state: ScrubState) => {
  if (!state.deferred) {
    state.deferred = { delay: firstRetryMs, failureLogged: false };
    state.log?.(waitingMessage);
  }
  scheduleRetry(db, state);
};

/**
 * Runs `attempt` for `db`, shared: writes committed while an attempt waits to start share it, since it
 * starts after all of them. Under load one rewrite then covers many answers; none is told `done` before
 * an attempt that began after its own commit has finished. The attempt reaches as far as the widest
 * reach asked of it, and a reach an attempt could not finish is owed by the next. Errors other than a
 * blocked attempt reach every caller of the shared attempt.
 */
export const shareScrub = (db: object, reach: ScrubReach, attempt: ScrubAttempt): Promise<ScrubOutcome> => {
  const state = stateOf(db);
  state.attempt = attempt;
  state.owed = state.owed ? wider(state.owed, reach) : reach;
  if (state.waiting) return state.waiting;
  const waiting = (async (): Promise<ScrubOutcome> => {
    await state.running?.catch(() => {});
    state.waiting = undefined;
    // Closed: the store is gone; the next server start scrubs what was left.
    if (state.stopped) return 'deferred';
    const taken = state.owed ?? reach;
    state.owed = undefined;
    const running = attempt(taken);
    state.running = running;
    let done = false;
    try {
      done = await running;
    } finally {
      if (state.running === running) state.running = undefined;
      // Not finished: what it was to do is still owed, with whatever was asked meanwhile.
      if (!done) state.owed = state.owed ? wider(state.owed, taken) : taken;
    }
    if (done) finished(state);
    else deferred(db, state);
    return done ? 'done' : 'deferred';
  })();
  state.waiting = waiting;
  return waiting;
};

/** The attempt under way, if any, settled either way: for writes that should not run beside it. */
export const scrubUnderWay = async (db: object): Promise<void> => {
  const state = stateOf(db);
  // One that was waiting starts as soon as this one ends: wait for it too.
  while (state.running) await state.running.catch(() => {});
};

/** True from an attempt that could not finish until one that does. */
export const isScrubDeferred = (db: object): boolean => stateOf(db).deferred !== undefined;

/**
 * Waits until a deferred scrub is done, retrying it itself (with timers that do keep the process alive,
 * unlike the background retry). For commands that write: they must not exit leaving a scrub undone.
 * Rejects with the error of an attempt that failed for another reason than a blocking connection.
 */
export const finishDeferredScrub = async (db: object): Promise<void> => {
  const state = stateOf(db);
  let delay = firstRetryMs;
  while (state.deferred && !state.stopped) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, longestRetryMs);
    if (state.deferred && !state.stopped) await shareScrub(db, state.owed ?? 'intake', state.attempt!);
  }
};

/** Stops the background retry and waits for an attempt under way; for closing the store. */
export const stopScrubRetries = async (db: object): Promise<void> => {
  const state = stateOf(db);
  state.stopped = true;
  clearTimeout(state.deferred?.timer);
  await state.waiting?.catch(() => {});
  await state.running?.catch(() => {});
};

const isBlocked = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code ?? ''));

/** A truncating checkpoint of one schema that says whether it really emptied its WAL (SQLite reports busy=1 when a reader blocked it). */
export const checkpointed = async (db: Kysely<any>, schema: string): Promise<boolean> => {
  const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`pragma ${sql.id(schema)}.wal_checkpoint(TRUNCATE)`.execute(db);
  const row = rows[0];
  return row !== undefined && row.busy === 0 && row.log === row.checkpointed;
};

/**
 * The SQLite scrub, one attempt. Inside a SQLite page, new cells are placed below older ones, and the
 * WAL keeps every transaction's pages in commit order: either would let someone with the files tell
 * which answer arrived when. VACUUM rewrites the file in key order (random), and a truncating
 * checkpoint empties the WAL. The intake (the attached schema `intake`) always; the store's own file
 * (`main`, the archive) too when the reach is `moved` or `whole`.
 *
 * The WAL index (-shm) keeps the page numbers of the last WAL generation until the next write, even
 * after truncation. So the WAL is emptied before the VACUUM as well: the VACUUM then starts a new
 * generation, and the index lists only its rewrite of every page, never the pages the last answer
 * was written to (which would tell roughly where in the key order the latest answer sits).
 *
 * Another connection's read transaction makes a checkpoint stop short (busy). The attempt then gives up
 * at once: the busy timeout is 0 while it runs, so a respondent never waits on it, and no VACUUM is
 * written into a WAL that cannot be emptied. Kysely's one SQLite connection is held for the whole
 * attempt, so no other query runs with the busy timeout at 0.
 */
export const attemptSqliteScrub = (db: Kysely<any>, reach: ScrubReach, intake: string): Promise<boolean> =>
  db.connection().execute(async (connection) => {
    const setting = await sql<{ timeout: number }>`pragma busy_timeout`.execute(connection);
    const timeout = Number(setting.rows[0]?.timeout ?? 0);
    await sql`pragma busy_timeout = 0`.execute(connection);
    const rewritten = reach === 'intake' ? [intake] : ['main', intake];
    try {
      for (const schema of rewritten) {
        if (!(await checkpointed(connection, schema))) return false;
        await sql`vacuum ${sql.id(schema)}`.execute(connection);
        if (!(await checkpointed(connection, schema))) return false;
      }
      return true;
    } catch (error) {
      // Another connection holds the write lock (a command-line import beside the server): try again later.
      if (isBlocked(error)) return false;
      throw error;
    } finally {
      await sql.raw(`pragma busy_timeout = ${Number.isInteger(timeout) ? timeout : 5000}`).execute(connection);
    }
  });
