import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Answers, StoredAnswers } from '../../survey-definitions/index.js';
import { bumpDataVersion, dataVersionOf } from './data-version-store.js';
import { attemptSqliteScrub, shareScrub, type ScrubOutcome, type ScrubReach } from './arrival-scrub.js';
import type { AnonymousDatabase } from './database.js';
import { isSqlite } from './dialect-of.js';
import { newId } from './part-one-store.js';

/**
 * Where part two is kept. An answer arrives into the intake, which holds the part two of open waves
 * only: on SQLite a file of its own (`anonymous-intake.db`) attached to the store's connection as the
 * schema `intake`, on PostgreSQL the schema `intake` of the anonymous database; both hold the same
 * tables as the store itself. Every answer is followed by a rewrite of the intake (the scrub, below),
 * so what it costs grows with the open wave, not with every wave ever stored. When a wave closes, its
 * part two moves, shuffled, into the archive (the store's own tables: `anonymous.db`, the public
 * schema); it moves back if the wave is opened again. Readers read both places, so a wave's answers are
 * all found wherever they are.
 */
export const intakeSchema = 'intake';
export type PartTwoPlace = 'intake' | 'archive';

/** The tables of one place, for Kysely's query builders. */
export const inPlace = <DB>(db: Kysely<DB>, place: PartTwoPlace): Kysely<DB> => (place === 'intake' ? db.withSchema(intakeSchema) : db);

/** A table of one place, for SQL written by hand (a statement that reads one place and writes the other). */
const tableIn = (place: PartTwoPlace, table: keyof AnonymousDatabase) => sql.table(place === 'intake' ? `${intakeSchema}.${table}` : table);

const places: readonly PartTwoPlace[] = ['archive', 'intake'];

/** Fisher-Yates with a cryptographic source, so the order cannot be predicted from the input order. */
export const shuffle = <T>(items: readonly T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/**
 * Stores part-two answers with nothing but a random key and the wave, in `place`: the intake for an
 * open wave, the archive for one that is not. A batch is shuffled before it is written, so even the
 * order of statements says nothing about the order of arrival.
 *
 * With `stored`, the wave's form of its answers (survey-definitions/stored-answers.ts), each response is
 * kept by position, as the platform's own writers keep it; without, as an object keyed by item id, the
 * form every reader also reads (tests store answers no definition has that way).
 */
export const insertPartTwoResponses = async (
  db: Kysely<AnonymousDatabase>,
  waveId: string,
  batch: readonly Answers[],
  place: PartTwoPlace = 'archive',
  stored?: StoredAnswers,
): Promise<void> => {
  if (batch.length === 0) return;
  const target = inPlace(db, place);
  const encode = stored ? stored.encode : (answers: Answers) => JSON.stringify(answers);
  await bumpDataVersion(target, waveId);
  await target
    .insertInto('part_two_response')
    .values(shuffle(batch).map((answers) => ({ id: newId(), wave_id: waveId, answers: encode(answers) })))
    .execute();
};

/**
 * A stored response as answers: through the wave's `stored` form when given, which reads both forms;
 * without it only the object form, and a response kept by position is refused rather than misread.
 */
export const decodePartTwo = (text: string, stored: StoredAnswers | undefined): Answers => {
  if (stored) return stored.decode(text);
  const answers = JSON.parse(text) as unknown;
  if (Array.isArray(answers)) throw new Error("part two is stored by position here: reading it needs the wave's definition (storedAnswers)");
  return answers as Answers;
};

/** Deletes the wave's part two from both places; the count of answers deleted. */
export const deletePartTwoWave = async (db: Kysely<AnonymousDatabase>, waveId: string): Promise<number> => {
  let deleted = 0;
  for (const place of places) {
    const target = inPlace(db, place);
    await bumpDataVersion(target, waveId);
    const result = await target.deleteFrom('part_two_response').where('wave_id', '=', waveId).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
};

/** Responses of one wave, or of every wave when none is named. */
export const countPartTwo = async (db: Kysely<AnonymousDatabase>, waveId?: string): Promise<number> => {
  let total = 0;
  for (const place of places) {
    let query = inPlace(db, place)
      .selectFrom('part_two_response')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (waveId !== undefined) query = query.where('wave_id', '=', waveId);
    total += Number((await query.executeTakeFirstOrThrow()).n);
  }
  return total;
};

/** The wave's answers in both places, as one query. */
const answersOf = (db: Kysely<AnonymousDatabase>, waveId: string) =>
  db
    .selectFrom('part_two_response')
    .select('answers')
    .where('wave_id', '=', waveId)
    .unionAll(inPlace(db, 'intake').selectFrom('part_two_response').select('answers').where('wave_id', '=', waveId));

/** Part two in storage order, which is random-key order, for analysis that does not care about order. `stored`: as `decodePartTwo` takes it. */
export async function* streamPartTwo(db: Kysely<AnonymousDatabase>, waveId: string, stored?: StoredAnswers): AsyncGenerator<Answers> {
  for await (const row of answersOf(db, waveId).stream(1000)) yield decodePartTwo(row.answers, stored);
}

/**
 * Some items of each row of part two, in storage order: for a reader that needs a few items of every row
 * (the research package's first pass reads the quasi-identifiers and the numbers). The store picks the
 * items out of each row's JSON, so only they are handed over and parsed here: at 200,000 rows of the
 * 2020-06 wave, 7 of its 25 items, that took half the time of parsing every row whole (SQLite). A row
 * kept by position has its items picked by their places in `stored`, one kept as an object by their ids.
 *
 * An item a row does not answer is absent, as in `streamPartTwo`. (The store's JSON functions give null
 * for it; a stored answer is never null, since an answer of null is no answer: `isUnanswered`.) On
 * PostgreSQL a matrix's rows kept as an object may come in another order than stored (jsonb keeps its
 * keys sorted its own way); the answers are the same.
 */
export async function* streamPartTwoItems(
  db: Kysely<AnonymousDatabase>,
  waveId: string,
  itemIds: readonly string[],
  stored: StoredAnswers,
): AsyncGenerator<Answers> {
  const places = itemIds.map((id) => {
    const at = stored.itemIds.indexOf(id);
    if (at < 0) throw new Error(`part two has no item "${id}" to read`);
    return at;
  });
  const sqlite = isSqlite(db);
  // Both forms of a stored row (stored-answers.ts): by position (a JSON array) or by id (an object).
  const picked =
    itemIds.length === 0
      ? sql<string>`'[]'`
      : sqlite
        ? sql<string>`case when substr(answers, 1, 1) = '[' then json_array(${sql.join(places.map((at) => sql`answers -> ${`$[${at}]`}`))})
            else json_array(${sql.join(itemIds.map((id) => sql`answers -> ${`$."${id}"`}`))}) end`
        : // Each row's JSON is parsed once, in the subquery below (kept apart by its offset), not once per item.
          sql<string>`case when jsonb_typeof(parsed) = 'array' then jsonb_build_array(${sql.join(places.map((at) => sql`parsed -> ${at}::int`))})
            else jsonb_build_array(${sql.join(itemIds.map((id) => sql`parsed -> ${id}::text`))}) end::text`;
  const rows = sqlite
    ? db.selectFrom(answersOf(db, waveId).as('stored')).select(picked.as('picked'))
    : db
        .selectFrom(
          db
            .selectFrom(answersOf(db, waveId).as('stored'))
            .select(sql<unknown>`answers::jsonb`.as('parsed'))
            .offset(0)
            .as('rows'),
        )
        .select(picked.as('picked'));
  for await (const { picked: values } of rows.stream(1000)) {
    const answers: Record<string, unknown> = {};
    (JSON.parse(values) as unknown[]).forEach((value, i) => {
      if (value !== null) answers[itemIds[i]!] = stored.decodeItem(places[i]!, value);
    });
    yield answers as Answers;
  }
}

/**
 * Part two in a fresh random order each time, with no ids, streamed: SQLite's `random()` is ChaCha20
 * seeded by the operating system; on PostgreSQL `random()` is not cryptographic, so the order there is
 * `gen_random_uuid()`'s, drawn from its strong random source.
 */
export async function* streamPartTwoShuffled(db: Kysely<AnonymousDatabase>, waveId: string, stored?: StoredAnswers): AsyncGenerator<Answers> {
  for await (const text of streamStoredPartTwoShuffled(db, waveId)) yield decodePartTwo(text, stored);
}

/** As `streamPartTwoShuffled`, each response as the store keeps it (JSON text: stored-answers.ts), for a reader that writes it without decoding it. */
export async function* streamStoredPartTwoShuffled(db: Kysely<AnonymousDatabase>, waveId: string): AsyncGenerator<string> {
  const rows = db
    .selectFrom(answersOf(db, waveId).as('stored'))
    .select('answers')
    .orderBy(isSqlite(db) ? sql`random()` : sql`gen_random_uuid()`)
    .stream(500);
  for await (const row of rows) yield row.answers;
}

/** The wave's data version in the anonymous store: both places', since a write to either changes the answers. */
export const partTwoDataVersion = async (db: Kysely<AnonymousDatabase>, waveId: string): Promise<string> =>
  `${await dataVersionOf(db, waveId)}+${await dataVersionOf(inPlace(db, 'intake'), waveId)}`;

/** The waves with any part-two row (an answer or a pass) in the intake, which holds the open waves' only. */
const wavesInIntake = async (db: Kysely<AnonymousDatabase>): Promise<Set<string>> => {
  const intake = inPlace(db, 'intake');
  const rows = await intake
    .selectFrom('part_two_response')
    .select('wave_id')
    .distinct()
    .unionAll(intake.selectFrom('part_two_pass').select('wave_id').distinct())
    .execute();
  return new Set(rows.map((r) => r.wave_id));
};

/** Whether `place` holds any part-two row of the wave: a look-up in the wave's index, whatever the store holds. */
const holdsWave = async (db: Kysely<AnonymousDatabase>, place: PartTwoPlace, waveId: string): Promise<boolean> => {
  const at = inPlace(db, place);
  const answer = await at.selectFrom('part_two_response').select('id').where('wave_id', '=', waveId).limit(1).executeTakeFirst();
  return (
    answer !== undefined ||
    (await at.selectFrom('part_two_pass').select('credential_hash').where('wave_id', '=', waveId).limit(1).executeTakeFirst()) !== undefined
  );
};

/**
 * Moves one wave's part two (answers and passes) into `to`, shuffled, and returns whether anything moved.
 * On SQLite, two transactions on one connection, the copy before the delete: SQLite commits the files
 * of a transaction over attached databases one by one, so a crash inside one such transaction could keep
 * the delete and lose the copy. A crash between the two leaves the rows in both places, which the next
 * `placePartTwo` (whenever the stores are opened) settles; the one connection keeps this process's other queries
 * from running between them. A pass found in both places stays spent if either copy is.
 */
export const moveWavePartTwo = async (db: Kysely<AnonymousDatabase>, waveId: string, to: PartTwoPlace): Promise<boolean> => {
  const from: PartTwoPlace = to === 'intake' ? 'archive' : 'intake';
  if (!(await holdsWave(db, from, waveId))) return false;
  const copy = async (trx: Kysely<AnonymousDatabase>) => {
    await bumpDataVersion(inPlace(trx, to), waveId);
    await sql`insert into ${tableIn(to, 'part_two_response')} (id, wave_id, answers)
      select id, wave_id, answers from ${tableIn(from, 'part_two_response')} where wave_id = ${waveId} order by random()
      on conflict (id) do nothing`.execute(trx);
    await sql`insert into ${tableIn(to, 'part_two_pass')} (credential_hash, wave_id, spent, section, answers)
      select credential_hash, wave_id, spent, section, answers from ${tableIn(from, 'part_two_pass')} where wave_id = ${waveId} order by random()
      on conflict (credential_hash) do update set spent = 1, section = null, answers = null where excluded.spent = 1`.execute(trx);
  };
  const remove = async (trx: Kysely<AnonymousDatabase>) => {
    const source = inPlace(trx, from);
    await bumpDataVersion(source, waveId);
    await source.deleteFrom('part_two_response').where('wave_id', '=', waveId).execute();
    await source.deleteFrom('part_two_pass').where('wave_id', '=', waveId).execute();
  };
  if (isSqlite(db)) {
    await db.connection().execute(async (connection) => {
      await connection.transaction().execute(copy);
      await connection.transaction().execute(remove);
    });
  } else {
    // On PostgreSQL one transaction spans both schemas.
    await db.transaction().execute(async (trx) => {
      await copy(trx);
      await remove(trx);
    });
  }
  return true;
};

/**
 * Puts each wave's part two where it belongs: the open waves' (`openWaves`) in the intake, every other
 * wave's in the archive. Run whenever the stores are opened, and by whatever opens or closes a wave;
 * what it moved is then scrubbed (`scrubArrivalOrder(db, 'moved')`). It costs what the intake and the
 * open waves hold, not what the archive holds. Returns the waves it moved.
 */
export const placePartTwo = async (db: Kysely<AnonymousDatabase>, openWaves: ReadonlySet<string>): Promise<string[]> => {
  const moved: string[] = [];
  for (const waveId of await wavesInIntake(db)) if (!openWaves.has(waveId) && (await moveWavePartTwo(db, waveId, 'archive'))) moved.push(waveId);
  for (const waveId of openWaves) if (await moveWavePartTwo(db, waveId, 'intake')) moved.push(waveId);
  return moved;
};

/**
 * Run after every committed write to the anonymous store: erases the order in which answers arrived
 * from the store's files (SQLite: `attemptSqliteScrub`, VACUUM between two truncating checkpoints) or
 * from the heap (PostgreSQL: `scrubPostgres` below). How far it reaches (`ScrubReach`):
 * - `intake`, after a respondent's save or answer, which write the intake alone: the intake is
 *   rewritten, and the archive, which nothing wrote, is left as it is;
 * - `moved`, after `placePartTwo` moved a wave: both are rewritten on SQLite. A move writes a wave's
 *   rows into the archive in one transaction, in random order, so no row there arrived before another of
 *   its wave; but the pages split as they fill leave copies of cells in their free space, which only a
 *   rewrite clears (the linkage test finds them). It costs what the archive holds, once a wave closes.
 *   On PostgreSQL a transaction's rows in a heap leave no such copies: the intake alone is rewritten;
 * - `whole`, at server start and after an import: both places are rewritten.
 * Writes committed while a scrub waits to start share it (`shareScrub`), at the widest reach asked.
 * `deferred` means another connection (a reader in another process) blocked it: what was written is
 * safe, and the scrub is retried in the background until it is done; a command that must see it done
 * waits with `finishDeferredScrub`.
 */
export const scrubArrivalOrder = (db: Kysely<AnonymousDatabase>, reach: ScrubReach = 'whole'): Promise<ScrubOutcome> =>
  shareScrub(db, reach, (widest) => (isSqlite(db) ? attemptSqliteScrub(db, widest, intakeSchema) : scrubPostgres(db, widest)));

/**
 * The anonymous tables whose rows arrive or change one respondent at a time: answers, and the passes
 * that carry drafts (a draft's earlier versions would otherwise stay in the heap as dead tuples, readable
 * in the relation file). The data versions change with every write too.
 */
const arrivalTables = ['part_two_response', 'part_two_pass', 'wave_data_version'] as const;

/**
 * PostgreSQL's version of the same. In a heap, rows sit in insertion order (ctid), and each carries
 * the id of the transaction that wrote it (xmin), which grows with time and is shared by every database
 * of the cluster, so it would line part two up with part one. So every row is written again in one
 * transaction, in a random order, into a new file: afterwards all live rows carry the same xmin and sit
 * in random places. The intake's tables always; the archive's too when the reach is `whole` (a move
 * writes the archive in one transaction, so its rows of a wave share one xmin already).
 *
 * TRUNCATE, not DELETE and VACUUM FULL: deleted rows are dead tuples, and VACUUM FULL copies the dead
 * tuples any other snapshot in the database might still see (an autovacuum ANALYZE of another table is
 * enough) into its new file, then reports success. TRUNCATE gives each table a new file that never held
 * a dead tuple; the old file is emptied when the transaction commits. It needs the tables' ACCESS
 * EXCLUSIVE lock, which waits for every open reader (an export's cursor, a pg_dump): rather than stall
 * the respondent whose answer is committed, it gives up at once, nothing changes, and the scrub is
 * retried in the background (arrival-scrub.ts). TRUNCATE is not MVCC-safe for a transaction that took
 * its snapshot before and reads a table only afterwards; our readers read in one statement (or lock
 * first, as pg_dump does).
 *
 * What remains is PostgreSQL's own write-ahead log, which holds every insert in commit order until it is
 * recycled: the README says to treat the cluster's WAL and its archives as identifiable.
 */
const scrubPostgres = async (db: Kysely<AnonymousDatabase>, reach: ScrubReach): Promise<boolean> => {
  const tables = [...arrivalTables.map((table) => `${intakeSchema}.${table}`), ...(reach === 'whole' ? arrivalTables : [])].map((table) =>
    table
      .split('.')
      .map((part) => `"${part}"`)
      .join('.'),
  );
  // One Query message of several statements, which PostgreSQL runs as one transaction (all of it or, on
  // an error, none): one round trip to the server instead of one per statement (seventeen for the
  // intake), which under a steady load of saves was most of what a scrub cost. No parameters, so the
  // driver sends it as a simple query; the names are the fixed tables above.
  const statements = [
    // Local to this transaction, as `set local` would be.
    `select set_config('lock_timeout', '50', true)`,
    // All locks first, in one order, so that two scrubs never hold one table each.
    `lock table ${tables.join(', ')} in access exclusive mode`,
    ...tables.flatMap((table) => [
      `create temporary table reshuffled on commit drop as select * from ${table}`,
      `truncate ${table}`,
      `insert into ${table} select * from reshuffled order by random()`,
      'drop table reshuffled',
    ]),
  ];
  try {
    await sql.raw(statements.join(';\n')).execute(db);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === lockNotAvailable) return false;
    throw error;
  }
};

/** PostgreSQL's SQLSTATE when lock_timeout ran out. */
const lockNotAvailable = '55P03';
