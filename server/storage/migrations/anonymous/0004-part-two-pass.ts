import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite } from '../../dialect-of.js';

/**
 * Part two's state moves to one table of passes, keyed by the hash of a code issued to the browser that
 * submits part one (server/respondent/part-two-credential.ts): the credential was until now derived from
 * the invitation secret, so whoever held the link could reopen the council's part two. Drafts and spent
 * credentials made before are carried over under the same hashes, so a respondent part-way through keeps
 * their answers (their browser's pass still opens them).
 */
export const partTwoPass: Migration = {
  async up(db: Kysely<any>) {
    let pass = db.schema
      .createTable('part_two_pass')
      .addColumn('credential_hash', 'text', (c) => c.primaryKey())
      .addColumn('wave_id', 'text', (c) => c.notNull())
      .addColumn('spent', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('section', 'text')
      .addColumn('answers', 'text');
    // Clustered on the hash of a code: the file's order is not the order part twos were started.
    if (isSqlite(db)) pass = pass.modifyEnd(sql`without rowid`);
    await pass.execute();
    await sql`insert into part_two_pass (credential_hash, wave_id, spent, section, answers)
      select credential_hash, wave_id, 0, section, answers from part_two_draft`.execute(db);
    await sql`insert into part_two_pass (credential_hash, wave_id, spent)
      select credential_hash, wave_id, 1 from part_two_spent
      where credential_hash not in (select credential_hash from part_two_draft)`.execute(db);
    await db.schema.dropTable('part_two_draft').execute();
    await db.schema.dropTable('part_two_spent').execute();
    if (!isSqlite(db)) {
      // ANALYZE (autovacuum runs it by itself) copies sample values of each column into pg_statistic,
      // where they would outlive the draft they came from and the scrub that erased it. Answers need
      // no planner statistics: none are kept for them.
      await sql`alter table part_two_pass alter column answers set statistics 0`.execute(db);
      await sql`alter table part_two_pass alter column section set statistics 0`.execute(db);
      await sql`alter table part_two_response alter column answers set statistics 0`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('part_two_pass').execute();
  },
};
