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
});
