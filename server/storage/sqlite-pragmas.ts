import type BetterSqlite3 from 'better-sqlite3';

/** Raised when a store cannot be opened safely; the server and CLI refuse to run and say why. */
export class StoreStartupError extends Error {
  override name = 'StoreStartupError';
}

interface PragmaExpectation {
  readonly pragma: string;
  readonly expected: string | number;
  readonly why: string;
  /** Set per database of a connection (the store's own and each attached one), not once per connection. */
  readonly perDatabase: boolean;
}

/** Both stores: durability for every acknowledged answer, and deleted data overwritten, not left behind. */
const expected: readonly PragmaExpectation[] = [
  { pragma: 'journal_mode', expected: 'wal', why: 'WAL, so readers do not block the writer', perDatabase: true },
  { pragma: 'synchronous', expected: 2, why: 'FULL, so an acknowledged answer survives a power cut', perDatabase: true },
  { pragma: 'foreign_keys', expected: 1, why: 'ON, so references are enforced', perDatabase: false },
  { pragma: 'secure_delete', expected: 1, why: 'ON, so deleted answers are overwritten with zeros', perDatabase: true },
];

/** `schema`: a database attached to the connection, whose own settings are made; its connection's are the store's. */
const prefix = (schema?: string) => (schema === undefined ? '' : `"${schema.replaceAll('"', '""')}".`);

export const applyPragmas = (db: BetterSqlite3.Database, schema?: string): void => {
  const at = prefix(schema);
  db.pragma(`${at}journal_mode = WAL`);
  db.pragma(`${at}synchronous = FULL`);
  db.pragma(`${at}secure_delete = ON`);
  if (schema !== undefined) return;
  db.pragma('foreign_keys = ON');
  // Wait for a concurrent writer (the CLI beside a running server) rather than fail at once.
  db.pragma('busy_timeout = 5000');
};

/** Reads each pragma back: a setting SQLite silently ignored (WAL on some file systems) is caught here. */
export const checkPragmas = (db: BetterSqlite3.Database, label: string, schema?: string): void => {
  const problems = expected.flatMap(({ pragma, expected: want, why, perDatabase }) => {
    if (schema !== undefined && !perDatabase) return [];
    const actual = db.pragma(`${prefix(schema)}${pragma}`, { simple: true });
    const normal = typeof actual === 'string' ? actual.toLowerCase() : actual;
    return normal === want ? [] : [`${pragma} is ${String(actual)}, expected ${why}`];
  });
  if (problems.length > 0) {
    throw new StoreStartupError(`refusing to open the ${label} store: ${problems.join('; ')}`);
  }
};
