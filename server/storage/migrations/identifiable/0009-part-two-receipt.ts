import type { Kysely, Migration } from 'kysely';

/**
 * With each part one sent through the pages, a keyed hash of the random nonce that the sending
 * browser holds: should the answer to the submit be lost, that browser, and no other, gets its part-two
 * code back. Without the nonce the receipt leads nowhere, not even with the server key.
 */
export const partTwoReceipt: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('part_one_response').addColumn('part_two_receipt', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('part_one_response').dropColumn('part_two_receipt').execute();
  },
};
