import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { parseCsv, toCsv } from './helpers.js';

const tempDir = useTempDirs();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real CLI entry point in a child process, as `npm run cli` does (tsx), from `cwd`. */
const runProcess = (cwd: string, argv: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: cwd };
    delete env.CSWO_DEBUG;
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'cli', 'main.ts'), ...argv], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });

describe('the CLI as a real process', () => {
  it('imports, exports only CSV on stdout with exit 0, and exits 1 with the reason on stderr for a refused import', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'good.csv'),
      toCsv([
        ['groups_involved', 'final_reflections'],
        ['3', 'fine, thanks'],
        ['4', '=1+1'],
      ]),
    );
    writeFileSync(
      join(cwd, 'bad.csv'),
      toCsv([
        ['groups_involved', 'pressure.children'],
        ['3', '7'],
      ]),
    );

    // Relative paths resolve against INIT_CWD, where the user typed `npm run cli`.
    const imported = await runProcess(cwd, ['import', 'good.csv', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data']);
    expect(imported).toEqual({ code: 0, stdout: 'imported 2 rows into wave 2020-06, anonymous part (cswo-annual@2)\n', stderr: '' });
    expect(
      readdirSync(join(cwd, 'data'))
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(['anonymous-intake.db', 'anonymous.db', 'identifiable.db']);

    const exported = await runProcess(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const records = parseCsv(exported.stdout);
    expect(records).toHaveLength(3);
    expect(records[0]![0]).toBe('extra_hours_frequency');
    expect(records.every((r) => r.length === records[0]!.length)).toBe(true);
    const text = records[0]!.indexOf('final_reflections');
    expect(
      records
        .slice(1)
        .map((r) => r[text])
        .sort(),
    ).toEqual(["'=1+1", 'fine, thanks']);
    // Nothing but CSV: every line ends CRLF, and the last byte ends the last record.
    expect(exported.stdout.endsWith('\r\n')).toBe(true);

    const refused = await runProcess(cwd, ['import', 'bad.csv', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('error: bad.csv: nothing was imported: 1 problem\nrow 2, column pressure.children: expected a rating 1-5, got "7"\n');

    const stillTwo = await runProcess(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data']);
    expect(parseCsv(stillTwo.stdout)).toHaveLength(3);
  });
});
