import { SelectQueryNode, SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite dialect, with query streams handed over a chunk of rows at a time. Kysely's own SQLite
 * driver ignores the chunk size a stream asks for and hands over one row at a time, each through three
 * async generators: at 200,000 rows of part two that took three times as long as reading them (issue 16;
 * the research package reads each wave twice). A stream is still one statement, read through on the
 * store's one connection while Kysely holds it, so it reads one consistent state of the store as before.
 */
export class ChunkedSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const database = this.#database;
    const chunked = new WeakMap<DatabaseConnection, DatabaseConnection>();
    return {
      init: () => driver.init(),
      destroy: () => driver.destroy(),
      acquireConnection: async () => {
        const connection = await driver.acquireConnection();
        let wrapped = chunked.get(connection);
        if (!wrapped) {
          wrapped = {
            executeQuery: <R>(query: CompiledQuery) => connection.executeQuery<R>(query),
            streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => streamInChunks<R>(database, query, chunkSize),
          };
          chunked.set(connection, wrapped);
        }
        return wrapped;
      },
      // The driver's transactions run their statements through the connection it is given, and its
      // release only lets the next caller have the connection, so the wrapper stands in for it.
      beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
      commitTransaction: (connection) => driver.commitTransaction(connection),
      rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
      releaseConnection: (connection) => driver.releaseConnection(connection),
      ...(driver.savepoint ? { savepoint: driver.savepoint.bind(driver) } : {}),
      ...(driver.rollbackToSavepoint ? { rollbackToSavepoint: driver.rollbackToSavepoint.bind(driver) } : {}),
      ...(driver.releaseSavepoint ? { releaseSavepoint: driver.releaseSavepoint.bind(driver) } : {}),
    };
  }
}

async function* streamInChunks<R>(database: SqliteDatabase, { sql, parameters, query }: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
  if (!SelectQueryNode.is(query)) throw new Error('only a select query can be streamed from SQLite');
  let rows: R[] = [];
  for (const row of database.prepare(sql).iterate(parameters) as IterableIterator<R>) {
    rows.push(row);
    if (rows.length >= chunkSize) {
      yield { rows };
      rows = [];
    }
  }
  if (rows.length > 0) yield { rows };
}
