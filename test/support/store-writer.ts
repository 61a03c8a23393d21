import { appendAuditEvent } from '../../server/storage/audit-log-store.js';
import { insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { openStores } from '../../server/storage/open-stores.js';

/**
 * A writer in its own process, for tests of backups under load: commits one part-two answer and one
 * audit event per step, numbered, and prints `ack N` only after both commits returned, as a server
 * acknowledges a submission. Runs until killed. Usage: node --import tsx store-writer.ts DATA_DIR
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: store-writer.ts DATA_DIR');
const stores = await openStores({ dataDir });
for (let seq = 1; ; seq++) {
  await insertPartTwoResponses(stores.anonymous, '2020-06', [{ pressures_comment: `seq-${seq}` }]);
  await appendAuditEvent(stores.identifiable, { actor: null, action: 'test.write', detail: { seq } });
  process.stdout.write(`ack ${seq}\n`);
  // Let the event loop breathe so a kill lands between steps as often as inside one.
  await new Promise((resolve) => setImmediate(resolve));
}
