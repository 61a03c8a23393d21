import type { Kysely, Migration } from 'kysely';

/**
 * A wave's closing date, as respondents are told it (`2021-06-30`, a calendar date in ISO 8601): shown on
 * the survey's pages and the monitor. Null for the fielded 2020 waves and waves made without one. It
 * informs; opening and closing a wave to answers stays an admin's action.
 */
export const waveClosingDate: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('wave').addColumn('closes', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('wave').dropColumn('closes').execute();
  },
};
