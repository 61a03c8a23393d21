import { afterEach, describe, expect, it } from 'vitest';
import { countPartTwo, inPlace, insertPartTwoResponses } from '../../server/storage/anonymous-store.js';
import { commitTogether } from '../../server/storage/group-commit.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';

/**
 * Issue 16: respondents' part-two writes that arrive while a commit is under way commit together in one
 * transaction (one fsync), each in a savepoint of its own. On SQLite and PostgreSQL.
 */
const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

describe('group commit of part-two writes', () => {
  it('commits writes that arrive together in fewer transactions than writes, and rolls back only the one that fails', async () => {
    const stores = await opener.openIn(tempDir());
    const transactions: object[] = [];
    const n = 30;
    const outcomes = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        commitTogether(stores.anonymous, async (trx) => {
          transactions.push(trx);
          await insertPartTwoResponses(trx, WAVE_2, [{ groups_involved: i }], 'intake');
          if (i === 7) throw new Error('refused after writing');
          return i;
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual(
      Array.from({ length: n }, (_, i) => i).filter((i) => i !== 7),
    );
    expect((outcomes[7] as PromiseRejectedResult).reason).toEqual(new Error('refused after writing'));
    // The first write committed alone; the others, arriving during its commit, shared the next ones.
    expect(new Set(transactions).size).toBeLessThan(n / 2);
    expect(await countPartTwo(stores.anonymous, WAVE_2)).toBe(n - 1);
    const stored = await inPlace(stores.anonymous, 'intake').selectFrom('part_two_response').select('answers').execute();
    expect(stored.map((r) => JSON.parse(r.answers).groups_involved as number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, i) => i).filter((i) => i !== 7),
    );
  });

  it('runs a write that arrives alone with no savepoint, and rolls it back whole when it fails, its caller getting the error', async () => {
    const stores = await opener.openIn(tempDir());
    const statements: string[] = [];
    // The store's queries as they are sent (a plugin sees every statement, written by hand or built).
    const db = stores.anonymous.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind === 'RawNode') statements.push(node.sqlFragments.join('?'));
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    expect(await commitTogether(db, (trx) => insertPartTwoResponses(trx, WAVE_2, [{ groups_involved: 1 }], 'intake').then(() => 'stored'))).toBe('stored');
    await expect(
      commitTogether(db, async (trx) => {
        await insertPartTwoResponses(trx, WAVE_2, [{ groups_involved: 2 }], 'intake');
        throw new Error('refused after writing');
      }),
    ).rejects.toThrow('refused after writing');
    expect(statements.filter((s) => /savepoint/i.test(s))).toEqual([]);
    // The control: writes that arrive together do use savepoints.
    await Promise.all([1, 2].map((i) => commitTogether(db, (trx) => insertPartTwoResponses(trx, WAVE_2, [{ groups_involved: 10 + i }], 'intake'))));
    expect(statements.filter((s) => /savepoint/i.test(s)).length).toBeGreaterThan(0);
    const stored = await inPlace(stores.anonymous, 'intake').selectFrom('part_two_response').select('answers').execute();
    expect(stored.map((r) => JSON.parse(r.answers).groups_involved as number).sort((a, b) => a - b)).toEqual([1, 11, 12]);
  });
});
