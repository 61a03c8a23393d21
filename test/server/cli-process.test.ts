import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { parseCsv, toCsv } from './helpers.js';

const tempDir = useTempDirs();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs the real CLI entry point in a child process, as `npm run cli` does (tsx), from `cwd`. */
const runProcess = (cwd: string, argv: string[], { nodeArgs = [], extraEnv = {} }: { nodeArgs?: string[]; extraEnv?: NodeJS.ProcessEnv } = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, INIT_CWD: cwd, ...extraEnv };
    delete env.CSWO_DEBUG;
    const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, join(root, 'server', 'cli', 'main.ts'), ...argv], {
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

  /**
   * The modules a command line loads, recorded by a module hook registered after tsx's: the files of this
   * repository relative to it, and the packages as `node_modules/NAME`.
   */
  const modulesLoaded = async (cwd: string, argv: string[]) => {
    const log = join(cwd, 'loaded.txt');
    writeFileSync(log, '');
    writeFileSync(
      join(cwd, 'record-loads.mjs'),
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function load(url, context, nextLoad) { appendFileSync(process.env.CSWO_LOAD_LOG, url + "\\n"); return nextLoad(url, context); }\n',
    );
    writeFileSync(join(cwd, 'register.mjs'), "import { register } from 'node:module';\nregister('./record-loads.mjs', import.meta.url);\n");
    const result = await runProcess(cwd, argv, { nodeArgs: ['--import', join(cwd, 'register.mjs')], extraEnv: { CSWO_LOAD_LOG: log } });
    const modules = readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith('file://'))
      .map((url) => fileURLToPath(url))
      .map((path) => (path.includes('/node_modules/') ? `node_modules/${/\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)![1]}` : path.slice(root.length + 1)));
    return { result, modules: new Set(modules) };
  };

  it("loads only what the command runs: --help loads commander alone, an export neither the web server's code nor Svelte", async () => {
    const cwd = tempDir();
    const help = await modulesLoaded(cwd, ['--help']);
    expect(help.result.code).toBe(0);
    expect(help.modules).toContain('server/cli/main.ts');
    expect(help.modules).toContain('node_modules/commander');
    const heavy = ['node_modules/kysely', 'node_modules/zod', 'node_modules/better-sqlite3', 'node_modules/argon2', 'node_modules/svelte', 'node_modules/hono'];
    expect([...help.modules].filter((m) => heavy.includes(m) || m.startsWith('survey-definitions/') || m.startsWith('server/storage/open-stores'))).toEqual([]);

    writeFileSync(join(cwd, 'two.csv'), toCsv([['groups_involved'], ['3']]));
    expect((await runProcess(cwd, ['import', 'two.csv', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data'])).code).toBe(0);
    const exported = await modulesLoaded(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--data', 'data', '--out', 'out.csv']);
    expect(exported.result).toMatchObject({ code: 0, stderr: '' });
    // The control: what the export does run is recorded.
    expect(exported.modules).toContain('server/csv/csv-export.ts');
    expect(exported.modules).toContain('node_modules/kysely');
    const web = (m: string) =>
      ['server/app/', 'server/pages/', 'server/respondent/', 'server/staff/', 'web/'].some((f) => m.startsWith(f)) || m.endsWith('.svelte');
    expect([...exported.modules].filter((m) => web(m) || m === 'node_modules/svelte' || m === 'node_modules/hono')).toEqual([]);
  });
});
