import Database from 'better-sqlite3';

/** Runs `work` on a connection of its own to a SQLite file, as someone holding the file would, and closes it. */
export const withFile = <T>(file: string, work: (db: Database.Database) => T): T => {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
};
