import Database from 'better-sqlite3';
import { insertPartTwoResponses, scrubArrivalOrder } from '../../server/storage/anonymous-store.js';
import { setScrubLog } from '../../server/storage/arrival-scrub.js';
import { openStores, storeFiles } from '../../server/storage/open-stores.js';

/**
 * A process whose scrub is deferred when its stores are closed, for the test that a waiting scrub
 * neither keeps a process alive nor ends in an unhandled rejection. A reader in this process (a plain
 * connection) holds a read transaction and never ends it; the stores are written, scrubbed (deferred)
 * and closed. Prints what happened on standard output; Node's default for an unhandled rejection is
 * to print it and exit 1. Usage: node --import tsx deferred-scrub-child.ts DATA_DIR
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: deferred-scrub-child.ts DATA_DIR');
const stores = await openStores({ dataDir });
setScrubLog(stores.anonymous, (message) => process.stdout.write(`log: ${message}\n`));
const reader = new Database(storeFiles(dataDir).anonymous, { readonly: true });
reader.exec('begin');
reader.prepare('select count(*) from part_two_response').get();
await insertPartTwoResponses(stores.anonymous, '2020-06', [{ groups_involved: 3 }]);
process.stdout.write(`scrub: ${await scrubArrivalOrder(stores.anonymous)}\n`);
// Long enough for the background retry to have failed and scheduled itself again.
await new Promise((resolve) => setTimeout(resolve, 100));
await stores.close();
process.stdout.write('closed\n');
// The reader stays open, its transaction too: nothing but a pending timer could keep the process alive now.
