import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerPublishedDefinitions } from '../../survey-definitions/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { cli, toCsv } from './helpers.js';

const tempDir = useTempDirs();
afterEach(() => registerPublishedDefinitions([]));

const v3Example = 'sha256:a507a2fc423cc288ab26b1e44e6111c174469a566bcdb614afccc4defe33a0a0';
const hashOf = (text: string) => /sha256:[0-9a-f]{64}/.exec(text)?.[0];

/** What an analyst does: `definitions show cswo-annual@2`, the version made 3, one single-choice question added to part two. */
const nextVersion = async (cwd: string, label = 'How often do you work from home?'): Promise<string> => {
  const shown = await cli(cwd, ['definitions', 'show', 'cswo-annual@2']);
  expect(shown.code).toBe(0);
  const definition = JSON.parse(shown.stdout);
  definition.version = 3;
  const partTwo = definition.parts.find((p: { id: string }) => p.id === 'anonymous');
  partTwo.sections[0].items.push({
    id: 'home_working',
    label,
    required: 'never',
    identifying: false,
    kind: 'single',
    options: [
      { code: 'mostly', label: 'Mostly' },
      { code: 'sometimes', label: 'Sometimes' },
      { code: 'never', label: 'Never' },
    ],
  });
  return `${JSON.stringify(definition, null, 2)}\n`;
};

describe('definitions publish (issue 15: analysts field the next questionnaire without a developer)', () => {
  it('publishes a new version into a fresh data directory; a wave fields it, takes answers, and its tables, export and package work', async () => {
    const cwd = tempDir();
    // The bundled 2020 answers, as `npm start` loads them, so that the new wave can be compared with 2020-06.
    expect((await cli(cwd, ['seed', '--data', 'data'])).code).toBe(0);
    writeFileSync(join(cwd, 'v3.json'), await nextVersion(cwd));
    const published = await cli(cwd, ['definitions', 'publish', '--data', 'data', 'v3.json']);
    expect(published).toMatchObject({ code: 0, stderr: '' });
    expect(published.stdout).toMatch(/^published cswo-annual@3 \(sha256:[0-9a-f]{64}\): waves can now field it\n$/);
    const hash = hashOf(published.stdout)!;
    expect(hash).not.toBe(v3Example);

    const created = await cli(cwd, [
      'wave',
      'create',
      '--data',
      'data',
      '--wave',
      '2021-06',
      '--name',
      'Survey 3',
      '--fielded',
      'June 2021',
      '--definition',
      'cswo-annual@3',
    ]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toContain('with cswo-annual@3');

    writeFileSync(
      join(cwd, 'one.csv'),
      toCsv([
        ['local_authority', 'role'],
        ['fife', 'cswo'],
        ['angus', 'cswo'],
        ['moray', 'deputy'],
      ]),
    );
    const homeWorking = ['mostly', 'sometimes', 'never', 'mostly', 'sometimes', 'mostly'];
    writeFileSync(join(cwd, 'two.csv'), toCsv([['groups_involved', 'home_working'], ...homeWorking.map((h, i) => [String(i + 3), h])]));
    const one = await cli(cwd, ['import', '--data', 'data', '--wave', '2021-06', '--part', 'identifiable', 'one.csv']);
    expect(one.stdout).toBe('imported 3 rows into wave 2021-06, identifiable part (cswo-annual@3)\n');
    const two = await cli(cwd, ['import', '--data', 'data', '--wave', '2021-06', '--part', 'anonymous', 'two.csv']);
    expect(two.stdout).toBe('imported 6 rows into wave 2021-06, anonymous part (cswo-annual@3)\n');

    const tables = await cli(cwd, ['tables', '--data', 'data', '--wave', '2021-06', '--format', 'json']);
    expect(tables).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(tables.stdout);
    expect(result.definition).toBe('cswo-annual@3');
    // The new question has its table (its kind's default: the share of each option), with the counts imported.
    const home = result.tables.find((t: { id: string }) => t.id === 'home_working');
    expect(home).toMatchObject({ title: 'How often do you work from home?', kind: 'share' });
    expect(home.rows.map((r: { id: string; cells: { share: { count: number; n: number } } }) => [r.id, r.cells.share.count, r.cells.share.n])).toEqual([
      ['mostly', 3, 6],
      ['sometimes', 2, 6],
      ['never', 1, 6],
    ]);
    const compared = await cli(cwd, ['tables', '--data', 'data', '--wave', '2021-06', '--compare', '2020-06', '--format', 'json']);
    expect(compared).toMatchObject({ code: 0, stderr: '' });
    const comparison = JSON.parse(compared.stdout);
    // The unchanged questions are compared with 2020-06; the new one says it was not asked there.
    const groups = comparison.tables.find((t: { id: string }) => t.id === 'groups');
    expect(groups.rows[0].compare.summary.n).toBeGreaterThan(0);
    expect(groups.rows[0].change.summary.verdict).not.toBe('not comparable');
    expect(comparison.tables.find((t: { id: string }) => t.id === 'home_working').notCompared).toBe('not asked in 2020-06');

    const exported = await cli(cwd, ['export', '--data', 'data', '--wave', '2021-06', '--part', 'anonymous']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split(/\r?\n/)[0]).toContain('home_working');
    const pkg = await cli(cwd, ['package', '--data', 'data', '--wave', '2021-06', '--out', 'package.zip']);
    expect(pkg).toMatchObject({ code: 0 });
    expect(existsSync(join(cwd, 'package.zip'))).toBe(true);

    const list = await cli(cwd, ['definitions', 'list', '--data', 'data']);
    expect(list.stdout.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`^cswo-annual@3\\t.*\\twaves: 2021-06\\titems: 18 identifiable, 26 anonymous\\t${hash}$`),
    );
    const shown = await cli(cwd, ['definitions', 'show', '--data', 'data', 'cswo-annual@3']);
    expect(JSON.parse(shown.stdout)).toEqual(JSON.parse(readFileSync(join(cwd, 'v3.json'), 'utf8')));
    const diff = await cli(cwd, ['definitions', 'diff', '--data', 'data', 'cswo-annual@2', 'cswo-annual@3']);
    expect(diff.stdout).toBe('cswo-annual@2 -> cswo-annual@3\n  Added question home_working (single) to section workload of part two\n');
  });

  it('a second, different cswo-annual@3 is refused naming the hash already published; the same one again is nothing to do', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'v3.json'), await nextVersion(cwd));
    writeFileSync(join(cwd, 'other.json'), await nextVersion(cwd, 'How often do you work at home?'));
    const first = await cli(cwd, ['definitions', 'publish', '--data', 'data', 'v3.json']);
    const hash = hashOf(first.stdout)!;
    const other = await cli(cwd, ['definitions', 'publish', '--data', 'data', 'other.json']);
    expect(other.code).toBe(1);
    expect(other.stdout).toBe('');
    expect(other.stderr).toMatch(
      new RegExp(
        `^error: other\\.json cannot be published: 1 problem\nother\\.json: version: cswo-annual@3 is already published with other content \\(${hash}\\); this definition's content is sha256:[0-9a-f]{64}\\. ` +
          'A version never changes once published: give the changed definition a new version number \\(cswo-annual@4 is free\\)\n$',
      ),
    );
    const again = await cli(cwd, ['definitions', 'publish', '--data', 'data', 'v3.json']);
    expect(again).toEqual({ code: 0, stdout: `cswo-annual@3 is already published with this content (${hash}): nothing to do\n`, stderr: '' });
    const bundled = await cli(cwd, ['definitions', 'show', 'cswo-annual@2']);
    writeFileSync(join(cwd, 'v2.json'), bundled.stdout);
    expect((await cli(cwd, ['definitions', 'publish', '--data', 'data', 'v2.json'])).stdout).toMatch(
      /^cswo-annual@2 is bundled with the platform with this content \(sha256:[0-9a-f]{64}\): nothing to do\n$/,
    );
  });

  it('the ready-made example cswo-annual@3 publishes as is, with the hash it had when it was bundled', async () => {
    const cwd = tempDir();
    const example = new URL('../../survey-definitions/examples/cswo-annual@3.json', import.meta.url).pathname;
    const published = await cli(cwd, ['definitions', 'publish', '--data', 'data', example]);
    expect(published).toEqual({ code: 0, stdout: `published cswo-annual@3 (${v3Example}): waves can now field it\n`, stderr: '' });
  });

  it.each([
    ['no file', [], 2, /^error: missing required argument 'file'/],
    ['a missing file', ['nope.json'], 1, /^error: cannot read the definition file .*nope\.json: no such file\n$/],
    ['a file that is not JSON', ['bad.json'], 1, /^error: bad\.json cannot be published: 1 problem\nbad\.json:1: /],
    ['a definition without a title', ['untitled.json'], 1, /^error: untitled\.json cannot be published: 1 problem\nuntitled\.json:1: title: /],
  ])('refuses %s, publishing nothing', async (_, args, code, stderr) => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'bad.json'), '{ "id": "cswo-annual", ');
    const untitled = JSON.parse(await nextVersion(cwd));
    delete untitled.title;
    writeFileSync(join(cwd, 'untitled.json'), JSON.stringify(untitled));
    const result = await cli(cwd, ['definitions', 'publish', '--data', 'data', ...args]);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(stderr);
    const list = await cli(cwd, ['definitions', 'list', '--data', 'data']);
    expect(list.stdout).not.toContain('cswo-annual@3');
  });
});

describe('definitions check and schema', () => {
  it('checks a file as publishing would: every problem with its line and path, and stores nothing', async () => {
    const cwd = tempDir();
    const definition = JSON.parse(await nextVersion(cwd));
    const partTwo = definition.parts.find((p: { id: string }) => p.id === 'anonymous');
    // Two mistakes: an item whose kind is misspelt, and a kept question that lost an option code.
    partTwo.sections[0].items.at(-1).kind = 'singel';
    const frequency = partTwo.sections[0].items.find((i: { id: string }) => i.id === 'extra_hours_frequency');
    frequency.options = frequency.options.slice(1);
    writeFileSync(join(cwd, 'next.json'), JSON.stringify(definition, null, 2));
    const checked = await cli(cwd, ['definitions', 'check', '--data', 'data', 'next.json']);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toBe('');
    const lines = checked.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: next\.json cannot be published: \d+ problems?$/);
    expect(lines.slice(1).every((l) => /^next\.json:\d+: parts\[1\]\.sections\[0\]\.items\[\d+\]/.test(l))).toBe(true);
    expect(checked.stderr).toContain('kind');
    const list = await cli(cwd, ['definitions', 'list', '--data', 'data']);
    expect(list.stdout).not.toContain('cswo-annual@3');
  });

  it('reads YAML too, and says what changed against the latest version', async () => {
    const cwd = tempDir();
    const { stringify } = await import('yaml');
    writeFileSync(join(cwd, 'next.yaml'), stringify(JSON.parse(await nextVersion(cwd))));
    const checked = await cli(cwd, ['definitions', 'check', '--data', 'data', 'next.yaml']);
    expect(checked).toEqual({
      code: 0,
      stdout:
        'next.yaml: cswo-annual@3 passes every check; publish it with: definitions publish next.yaml\n' +
        'What changed against cswo-annual@2:\n' +
        '  Added question home_working (single) to section workload of part two\n',
      stderr: '',
    });
    expect((await cli(cwd, ['definitions', 'publish', '--data', 'data', 'next.yaml'])).stdout).toMatch(/^published cswo-annual@3 /);
    expect((await cli(cwd, ['definitions', 'check', '--data', 'data', 'next.yaml'])).stdout).toBe(
      'next.yaml: cswo-annual@3 is already there with this content: nothing to publish\n',
    );
  });

  it('prints the JSON Schema that `definitions show` names in its $schema', async () => {
    const cwd = tempDir();
    const shown = JSON.parse((await cli(cwd, ['definitions', 'show', 'cswo-annual@2'])).stdout);
    expect(shown.$schema).toBe('survey-definition.schema.json');
    const schema = JSON.parse((await cli(cwd, ['definitions', 'schema'])).stdout);
    expect(schema).toEqual(JSON.parse(readFileSync(new URL('../../survey-definitions/survey-definition.schema.json', import.meta.url), 'utf8')));
  });
});
