import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../server/cli/cli-program.js';
import { partOption } from '../../server/cli/store-options.js';
import { partIds } from '../../survey-definitions/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, fakeIo, parseCsv, toCsv } from './helpers.js';

const tempDir = useTempDirs();

const partOneCsv = toCsv([
  ['local_authority', 'role', 'name'],
  ['glasgow_city', 'cswo', 'Ann "Nan" Smith'],
  ['fife', 'deputy', '=HYPERLINK("x")'],
]);
const partTwoCsv = toCsv([['groups_involved', 'covid_reflections'], ...Array.from({ length: 5 }, (_, i) => [String(i), `note ${i}`])]);

/** A temp dir used as the working directory, with the two CSV files in it. */
const workspace = () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'one.csv'), partOneCsv);
  writeFileSync(join(cwd, 'two.csv'), partTwoCsv);
  return cwd;
};

const partials = (dir: string) => readdirSync(dir).filter((f) => f.includes('.partial'));

describe('cli --help', () => {
  const commands = [['seed'], ['import'], ['export'], ['definitions'], ['definitions', 'list'], ['definitions', 'show'], ['definitions', 'diff'], ['serve']];

  it.each(commands.map((c) => [c.join(' '), c] as const))('%s --help prints usage to stdout and exits 0', async (name, command) => {
    const cwd = tempDir();
    const result = await cli(cwd, [...command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: cli ${name}`);
    expect(result.stderr).toBe('');
    // Asking for help never touches the data directory.
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('--help of every command the program has (including any not listed above) exits 0', async () => {
    const cwd = tempDir();
    const walk = (command: ReturnType<typeof buildProgram>, path: string[]): string[][] =>
      command.commands.flatMap((c) => [[...path, c.name()], ...walk(c, [...path, c.name()])]);
    const all = walk(buildProgram(fakeIo(cwd).io), []);
    expect(all.map((p) => p.join(' '))).toEqual(expect.arrayContaining(commands.map((c) => c.join(' '))));
    for (const path of all) {
      const result = await cli(cwd, [...path, '--help']);
      expect(result.code, path.join(' ')).toBe(0);
      expect(result.stdout, path.join(' ')).toContain(`Usage: cli ${path.join(' ')}`);
      expect(result.stderr).toBe('');
    }
  });

  it("--part offers the definitions' parts, which store-options.ts writes out so that the help need not load the definitions", () => {
    expect(partOption().argChoices).toEqual([...partIds]);
  });

  it('the top-level --help lists the commands', async () => {
    const result = await cli(tempDir(), ['--help']);
    expect(result.code).toBe(0);
    for (const name of ['seed', 'import', 'export', 'definitions', 'serve']) expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});

describe('cli errors', () => {
  it.each([
    ['an unknown command', ['frobnicate'], 2, /^error: unknown command 'frobnicate'/],
    ['a missing --wave', ['import', 'one.csv', '--part', 'identifiable'], 2, /^error: required option '--wave <wave>' not specified/],
    ['a bad --part', ['export', '--wave', '2020-06', '--part', 'both'], 2, /^error: option '--part <part>' argument 'both' is invalid/],
    ['a missing file', ['import', 'missing.csv', '--wave', '2020-06', '--part', 'identifiable'], 1, /^error: cannot read missing\.csv: no such file\n$/],
    ['a directory as file', ['import', '.', '--wave', '2020-06', '--part', 'identifiable'], 1, /^error: cannot read \.: not a file\n$/],
    [
      'an unknown wave on export',
      ['export', '--wave', '1999-01', '--part', 'anonymous'],
      1,
      /^error: unknown wave "1999-01": the waves are 2020-01, 2020-06\n$/,
    ],
    [
      'an unknown wave on import',
      ['import', 'one.csv', '--wave', '1999-01', '--part', 'identifiable'],
      1,
      /^error: one\.csv: nothing was imported: 1 problem\nunknown wave "1999-01"/,
    ],
    [
      'an unknown definition',
      ['definitions', 'show', 'nope@1'],
      1,
      /^error: no published definition nope@1: the published ones are cswo-annual@1, cswo-annual@2\n$/,
    ],
    [
      'a reference without a version',
      ['definitions', 'show', 'cswo-annual'],
      2,
      /^error: "cswo-annual" is not a definition reference: expected ID@VERSION, e.g. cswo-annual@2\n$/,
    ],
    ['an unknown version in a diff', ['definitions', 'diff', 'cswo-annual@1', 'cswo-annual@9'], 1, /^error: no published definition cswo-annual@9/],
    ['a bad port', ['serve', '--port', '99999'], 2, /^error: --port must be a whole number 0-65535, got "99999"\n$/],
  ])('%s goes to stderr with a non-zero exit and nothing on stdout', async (_what, argv, code, message) => {
    const cwd = workspace();
    const result = await cli(cwd, argv);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    // No stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a refused import leaves no open file behind, even when refused before the file is read', async () => {
    // The stream used to open the file after the command had returned; once the test removed its
    // directory, that late open failed as an uncaught ENOENT.
    const cwd = workspace();
    const openOnFile = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === join(cwd, 'one.csv');
        } catch {
          return false;
        }
      });
    for (const argv of [
      ['import', 'one.csv', '--wave', '1999-01', '--part', 'identifiable'],
      ['roster', 'import', 'one.csv', '--wave', '1999-01'],
      ['import', 'one.csv', '--wave', '2020-06', '--part', 'identifiable'],
    ]) {
      await cli(cwd, argv);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(openOnFile(), argv.join(' ')).toEqual([]);
    }
  });

  it('refuses a bad file with every problem on stderr and stores nothing', async () => {
    const cwd = workspace();
    writeFileSync(
      join(cwd, 'bad.csv'),
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'boss'],
        ['fife', 'cswo'],
      ]),
    );
    const result = await cli(cwd, ['import', 'bad.csv', '--wave', '2020-06', '--part', 'identifiable']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error: bad.csv: nothing was imported: 2 problems\n' +
        'row 2, column role: expected one of cswo, deputy, got "boss"\n' +
        'row 3, column local_authority: "fife" already answered in row 2; a council answers part one once per wave\n',
    );
    const exported = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'identifiable']);
    expect(parseCsv(exported.stdout)).toHaveLength(1);
  });

  it('refuses to open a data directory that cannot be created', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'blocker'), 'a file');
    const result = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--data', 'blocker/data']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: cannot create the data directory .*blocker\/data: /);
  });
});

describe('cli definitions', () => {
  it('show prints the definition as JSON', async () => {
    const result = await cli(tempDir(), ['definitions', 'show', 'cswo-annual@2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const definition = JSON.parse(result.stdout);
    expect(definition).toMatchObject({ id: 'cswo-annual', version: 2 });
    expect(definition.parts.map((p: { id: string }) => p.id).sort()).toEqual(['anonymous', 'identifiable']);
    expect(result.stdout).toContain('"covid_reflections"');
    const v1 = await cli(tempDir(), ['definitions', 'show', 'cswo-annual@1']);
    expect(JSON.parse(v1.stdout).version).toBe(1);
    expect(v1.stdout).not.toContain('"covid_reflections"');
  });

  it('list prints each published version with its waves and hash', async () => {
    const result = await cli(tempDir(), ['definitions', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cswo-annual@1\t.*\twaves: 2020-01\titems: 18 identifiable, 24 anonymous\tsha256:[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(/^cswo-annual@2\t.*\twaves: 2020-06\titems: 18 identifiable, 25 anonymous\tsha256:[0-9a-f]{64}$/);
    const json = JSON.parse((await cli(tempDir(), ['definitions', 'list', '--json'])).stdout);
    expect(json.map((s: { ref: string }) => s.ref)).toEqual(['cswo-annual@1', 'cswo-annual@2']);
  });

  it('diff tells in words that version 2 added covid_reflections', async () => {
    const result = await cli(tempDir(), ['definitions', 'diff', 'cswo-annual@1', 'cswo-annual@2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('cswo-annual@1 -> cswo-annual@2\n  Added question covid_reflections (text) to section covid of part two\n');
    const json = JSON.parse((await cli(tempDir(), ['definitions', 'diff', 'cswo-annual@1', 'cswo-annual@2', '--json'])).stdout);
    expect(json.added.map((i: { id: string }) => i.id)).toEqual(['covid_reflections']);
    // The other way round it is removed.
    const back = await cli(tempDir(), ['definitions', 'diff', 'cswo-annual@2', 'cswo-annual@1']);
    expect(back.stdout).toContain('  Removed question covid_reflections (text) from section covid of part two\n');
  });
});

describe('cli import and export', () => {
  it('import prints a one-line summary and creates the stores under --data relative to cwd', async () => {
    const cwd = workspace();
    const one = await cli(cwd, ['import', 'one.csv', '--wave', '2020-06', '--part', 'identifiable', '--data', 'store']);
    expect(one).toEqual({ code: 0, stdout: 'imported 2 rows into wave 2020-06, identifiable part (cswo-annual@2)\n', stderr: '' });
    expect(
      readdirSync(join(cwd, 'store'))
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(['anonymous-intake.db', 'anonymous.db', 'identifiable.db']);
    const two = await cli(cwd, ['import', 'two.csv', '--wave', '2020-06', '--part', 'anonymous', '--data', 'store']);
    expect(two).toEqual({ code: 0, stdout: 'imported 5 rows into wave 2020-06, anonymous part (cswo-annual@2)\n', stderr: '' });
    const replaced = await cli(cwd, ['import', 'two.csv', '--wave', '2020-06', '--part', 'anonymous', '--data', 'store', '--replace']);
    expect(replaced.stdout).toBe('imported 5 rows into wave 2020-06, anonymous part (cswo-annual@2), replacing 5\n');
    const single = await cli(cwd, ['import', '-', '--wave', '2020-01', '--part', 'identifiable', '--data', 'store'], 'local_authority\nfife\n');
    expect(single.stdout).toBe('imported 1 row into wave 2020-01, identifiable part (cswo-annual@1)\n');
  });

  it('export writes only CSV to stdout', async () => {
    const cwd = workspace();
    await cli(cwd, ['import', 'one.csv', '--wave', '2020-06', '--part', 'identifiable']);
    const result = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'identifiable']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const records = parseCsv(result.stdout);
    expect(records).toHaveLength(3);
    const at = (c: string) => records[0]!.indexOf(c);
    expect(records.slice(1).map((r) => [r[at('local_authority')], r[at('role')], r[at('name')]])).toEqual([
      ['fife', 'deputy', '\'=HYPERLINK("x")'],
      ['glasgow_city', 'cswo', 'Ann "Nan" Smith'],
    ]);
    const bom = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'identifiable', '--bom']);
    expect(bom.stdout.startsWith('\ufeffname,')).toBe(true);
  });

  it('export --out writes the file atomically, leaving no partial files', async () => {
    const cwd = workspace();
    await cli(cwd, ['import', 'two.csv', '--wave', '2020-06', '--part', 'anonymous']);
    mkdirSync(join(cwd, 'out'));
    const result = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--out', 'out/two-export.csv']);
    expect(result).toEqual({ code: 0, stdout: 'exported 5 rows of wave 2020-06, anonymous part, to out/two-export.csv\n', stderr: '' });
    expect(readdirSync(join(cwd, 'out'))).toEqual(['two-export.csv']);
    const records = parseCsv(readFileSync(join(cwd, 'out', 'two-export.csv'), 'utf8'));
    expect(records).toHaveLength(6);
    expect(records[0]).not.toContain('id');

    // Overwriting an existing file replaces it whole.
    await cli(cwd, ['import', '-', '--wave', '2020-06', '--part', 'anonymous', '--replace'], 'groups_involved\n42\n');
    const again = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--out', 'out/two-export.csv']);
    expect(again.stdout).toBe('exported 1 row of wave 2020-06, anonymous part, to out/two-export.csv\n');
    expect(parseCsv(readFileSync(join(cwd, 'out', 'two-export.csv'), 'utf8'))).toHaveLength(2);
    expect(partials(join(cwd, 'out'))).toEqual([]);
  });

  it('a refused export --out leaves neither the file nor a partial file', async () => {
    const cwd = workspace();
    const refused = await cli(cwd, ['export', '--wave', '1999-01', '--part', 'anonymous', '--out', 'refused.csv']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    // Give any file-system work the refused export started time to land before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(cwd, 'refused.csv'))).toBe(false);
    expect(partials(cwd)).toEqual([]);

    const missingDir = await cli(cwd, ['export', '--wave', '2020-06', '--part', 'anonymous', '--out', 'no/such/dir/x.csv']);
    expect(missingDir.code).toBe(1);
    expect(missingDir.stdout).toBe('');
    expect(missingDir.stderr).toBe('error: cannot write no/such/dir/x.csv: no such directory\n');
    expect(existsSync(join(cwd, 'no'))).toBe(false);
  });
});
