import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { storeFiles } from '../../server/storage/open-stores.js';
import { markServing } from '../../server/storage/server-lock.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, exportText, parseCsv, storeOpener, WAVE_1, WAVE_2 } from './helpers.js';

/** `backup` and `restore`: round trips, a backup taken under write load, and every refusal with nothing touched. */

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const integrity = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

const sorted = (csv: string) => {
  const [header, ...rows] = parseCsv(csv);
  return [header, ...rows.map((r) => JSON.stringify(r)).sort()];
};

describe('backup and restore', () => {
  it('round-trips both stores: the same answers in both parts, integrity ok, files owner-only', async () => {
    const stores = await opener.openIn(tempDir());
    const source = stores.location;
    await seedBundledData(stores);
    const out = join(tempDir(), 'backup.zip');
    const backedUp = await cli(source, ['backup', '--data', source, '--out', out]);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toMatch(/^backed up .* \(taken \d{4}-\d\d-\d\dT[^)]*; integrity checked\)\n$/);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const parent = tempDir();
    const target = join(parent, 'data');
    const restored = await cli(parent, ['restore', '--data', target, '--from', out]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('48 part one and 48 part two responses');
    expect(restored.stderr).toContain('server.key is missing');
    for (const file of Object.values(storeFiles(target))) expect(integrity(file)).toBe('ok');
    const copy = await opener.openIn(parent);
    for (const wave of [WAVE_1, WAVE_2]) {
      for (const part of ['identifiable', 'anonymous'] as const) {
        expect(sorted(await exportText(copy, wave, part))).toEqual(sorted(await exportText(stores, wave, part)));
      }
    }
  });

  it('taken while another process commits answers, holds every answer acknowledged before it started', async () => {
    const stores = await opener.openIn(tempDir());
    const source = stores.location;
    await stores.close();
    const writer = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'support', 'store-writer.ts'), source], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let stderr = '';
    writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    writer.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/ack (\d+)/g)) acked = Math.max(acked, Number(m[1]));
    });
    try {
      await expect.poll(() => acked, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(50);
      const before = acked;
      const out = join(tempDir(), 'live.zip');
      const backedUp = await cli(source, ['backup', '--data', source, '--out', out]);
      expect(backedUp.code, backedUp.stderr).toBe(0);
      // The writer went on while the backup ran.
      await expect.poll(() => acked, { timeout: 10_000 }).toBeGreaterThan(before + 10);

      const parent = tempDir();
      const target = join(parent, 'data');
      expect((await cli(parent, ['restore', '--data', target, '--from', out])).code).toBe(0);
      for (const file of Object.values(storeFiles(target))) expect(integrity(file)).toBe('ok');
      const copy = await opener.openIn(parent);
      const answers = (await copy.anonymous.selectFrom('part_two_response').select('answers').execute()).map(
        (r) => JSON.parse(r.answers).pressures_comment as string,
      );
      const seqs = new Set(answers.map((a) => Number(a.slice(4))));
      for (let seq = 1; seq <= before; seq++) expect(seqs.has(seq), `part two answer ${seq}`).toBe(true);
      // Exactly once each: a snapshot never holds half a transaction or a duplicate.
      expect(seqs.size).toBe(answers.length);
      const events = (await copy.identifiable.selectFrom('audit_event').select('detail').where('action', '=', 'test.write').execute()).map(
        (r) => JSON.parse(r.detail).seq as number,
      );
      for (let seq = 1; seq <= before; seq++) expect(events.includes(seq), `audit event ${seq}`).toBe(true);
    } finally {
      writer.kill('SIGKILL');
    }
    expect(stderr).toBe('');
  });

  it('refuses a directory that holds stores unless --replace, and replaces them with it', async () => {
    const aStores = await opener.openIn(tempDir());
    await seedBundledData(aStores);
    const a = aStores.location;
    const out = join(tempDir(), 'a.zip');
    expect((await cli(a, ['backup', '--data', a, '--out', out])).code).toBe(0);
    const bStores = await opener.openIn(tempDir());
    const b = bStores.location;
    await bStores.close();
    const before = readFileSync(storeFiles(b).anonymous);
    const refused = await cli(b, ['restore', '--data', b, '--from', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds stores (identifiable.db, anonymous.db): restore into an empty directory, or add --replace');
    expect(readFileSync(storeFiles(b).anonymous).equals(before)).toBe(true);
    const replaced = await cli(b, ['restore', '--data', b, '--from', out, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('48 part one and 48 part two responses');
  });

  it('refuses to restore under a running server', async () => {
    const aStores = await opener.openIn(tempDir());
    await seedBundledData(aStores);
    const a = aStores.location;
    const out = join(tempDir(), 'a.zip');
    expect((await cli(a, ['backup', '--data', a, '--out', out])).code).toBe(0);
    const b = tempDir();
    const unmark = markServing(b);
    try {
      const refused = await cli(b, ['restore', '--data', b, '--from', out, '--replace']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`a server (process ${process.pid}) is using`);
      expect(existsSync(storeFiles(b).anonymous)).toBe(false);
    } finally {
      unmark();
    }
  });

  it('refuses what is not a sound backup, naming the problem, and leaves the directory as it was', async () => {
    const dir = tempDir();
    const files = tempDir();
    const write = (name: string, bytes: Uint8Array) => {
      const path = join(files, name);
      writeFileSync(path, bytes);
      return path;
    };
    const manifest = strToU8(JSON.stringify({ format: 'cswo-survey-backup', version: 1, created: '2026-01-01T00:00:00.000Z', migrations: {} }));
    const garbage = strToU8('this is not a database, just some bytes long enough to look like one '.repeat(100));
    const cases: [string, string][] = [
      [write('text.zip', strToU8('hello')), 'is not a readable backup'],
      [
        write('extra.zip', zipSync({ 'backup.json': manifest, 'identifiable.db': garbage, 'anonymous.db': garbage, 'evil.sh': strToU8('rm -rf /') })),
        'unexpected file "evil.sh"',
      ],
      [write('missing.zip', zipSync({ 'backup.json': manifest, 'identifiable.db': garbage })), 'anonymous.db missing'],
      [
        write('format.zip', zipSync({ 'backup.json': strToU8('{"format":"other"}'), 'identifiable.db': garbage, 'anonymous.db': garbage })),
        'is not a backup of this platform (format "other")',
      ],
      [write('garbage.zip', zipSync({ 'backup.json': manifest, 'identifiable.db': garbage, 'anonymous.db': garbage })), 'the identifiable store in the backup'],
      [join(files, 'nothing-here.zip'), 'there is no backup file'],
    ];
    for (const [file, message] of cases) {
      const refused = await cli(dir, ['restore', '--data', dir, '--from', file]);
      expect(refused.code, file).toBe(1);
      expect(refused.stderr, file).toContain(message);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(storeFiles(dir).identifiable), file).toBe(false);
    }
  });

  it('refuses to back up a directory without stores, or into a folder that does not exist', async () => {
    const empty = tempDir();
    const none = await cli(empty, ['backup', '--data', empty, '--out', join(empty, 'b.zip')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('there is no identifiable store');
    const a = (await opener.openIn(tempDir())).location;
    const nowhere = await cli(a, ['backup', '--data', a, '--out', join(a, 'no', 'such', 'b.zip')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('no such directory');
  });
});
