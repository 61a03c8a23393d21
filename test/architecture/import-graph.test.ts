import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The structure the architecture notes promise, read from the code: which folder may import which, and
 * no import cycle. Each check runs on the real tree and on a small made-up graph that breaks it, so a
 * check that cannot fail is caught too.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
type Graph = ReadonlyMap<string, readonly string[]>;

const sourceFiles = (): string[] =>
  execFileSync('git', ['ls-files', 'server', 'web', 'analysis', 'survey-definitions'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|svelte|mjs)$/.test(f));

const specifiers = (text: string): string[] => [...text.matchAll(/(?:from|import)\s*\(?\s*(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]!);

/** Relative imports between the repository's own files (a `.js` specifier names its `.ts` source). */
const importGraph = (files: readonly string[]): Graph => {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = specifiers(readFileSync(join(root, file), 'utf8')).flatMap((spec) => {
        const path = normalize(join(dirname(file), spec));
        const source = [path, path.replace(/\.js$/, '.ts')].find((p) => known.has(p));
        return source ? [source] : [];
      });
      return [file, targets];
    }),
  );
};

/** Every cycle's files, found by depth-first search (one per strongly connected part is enough here). */
const cyclesOf = (graph: Graph): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
};

/** The graph of server/'s folders: one folder imports another when any of its files does. */
const folderGraph = (graph: Graph): Graph => {
  const folderOf = (file: string) => (file.startsWith('server/') && file.split('/').length > 2 ? file.split('/').slice(0, 2).join('/') : undefined);
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) {
      const to = folderOf(target);
      if (to && to !== from) edges.add(to);
    }
    folders.set(from, edges);
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]));
};

/** The imports that break a rule "files under `from` import nothing under `to`". */
const forbidden = (graph: Graph, from: readonly string[], to: readonly string[]): string[] =>
  [...graph].flatMap(([file, targets]) =>
    from.some((f) => file.startsWith(f)) ? targets.filter((t) => to.some((p) => t.startsWith(p))).map((t) => `${file} -> ${t}`) : [],
  );

/** Everything staff use; the respondent's pages must never run it, nor it reach theirs. */
const staffSide = [
  'server/staff/',
  'server/accounts/',
  'server/dashboards/',
  'server/research/',
  'server/waves/',
  'server/definitions/',
  'server/data-protection/',
];
const shared = ['server/csv/', 'server/storage/', 'server/http/', 'server/pages/', 'server/security/', 'server/mail/'];
const features = [
  'server/app/',
  'server/respondent/',
  'server/waves/',
  'server/accounts/',
  'server/staff/',
  'server/dashboards/',
  'server/research/',
  'server/definitions/',
  'server/cli/',
  'server/data-protection/',
];

/**
 * The features other folders use only through their public module: `index.ts` (what the command line and
 * other features share) and, for app/ which mounts them, the feature's route table `<feature>-routes.ts`.
 * (staff/ is the staff side's shell, used file by file like the shared layer.)
 */
const featuresWithPublicModules = ['respondent', 'waves', 'accounts', 'dashboards', 'research', 'definitions', 'data-protection'];
const pastPublicModules = (graph: Graph): string[] =>
  [...graph].flatMap(([file, targets]) =>
    targets
      .filter((target) =>
        featuresWithPublicModules.some((feature) => {
          const folder = `server/${feature}/`;
          if (!target.startsWith(folder) || file.startsWith(folder)) return false;
          const allowed = [`${folder}index.ts`, ...(file.startsWith('server/app/') ? [`${folder}${feature}-routes.ts`] : [])];
          return !allowed.includes(target);
        }),
      )
      .map((target) => `${file} -> ${target}`),
  );

describe('the import graph of the code', () => {
  const graph = importGraph(sourceFiles());

  it('reads the real tree', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('server/app/app.ts')).toContain('server/respondent/respondent-routes.ts');
  });

  it('has no import cycle', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('has no cycle between the folders of server/ either: a feature that uses another is not used by it', () => {
    expect(cyclesOf(folderGraph(graph))).toEqual([]);
  });

  it('keeps the pure layers pure: analysis and the definitions import no server or page code', () => {
    expect(forbidden(graph, ['analysis/', 'survey-definitions/'], ['server/', 'web/'])).toEqual([]);
  });

  it('keeps the pages free of the server: web imports no server code', () => {
    expect(forbidden(graph, ['web/'], ['server/'])).toEqual([]);
  });

  it('keeps the shared layer below the features: no shared folder imports a feature', () => {
    expect(forbidden(graph, shared, features)).toEqual([]);
  });

  it('keeps the respondent side and the staff side apart: they meet only in app/ and the shared layer', () => {
    expect(forbidden(graph, ['server/respondent/'], [...staffSide, 'server/cli/'])).toEqual([]);
    expect(forbidden(graph, staffSide, ['server/respondent/'])).toEqual([]);
  });

  it('a feature is used from outside only through its public module (index.ts), and mounted by app/ from its route table', () => {
    expect(pastPublicModules(graph)).toEqual([]);
  });

  it('every server folder is either shared or a feature, and holds more than one file', () => {
    const folders = new Map<string, number>();
    for (const file of graph.keys())
      if (file.startsWith('server/') && file.split('/').length === 3) folders.set(dirname(file) + '/', (folders.get(dirname(file) + '/') ?? 0) + 1);
    expect([...folders.keys()].filter((f) => !shared.includes(f) && !features.includes(f))).toEqual([]);
    expect([...folders].filter(([, n]) => n < 2).map(([f]) => f)).toEqual([]);
  });

  it('the controls: a made-up cycle and a made-up upward import are found', () => {
    const made: Graph = new Map([
      ['server/storage/a.ts', ['server/waves/b.ts']],
      ['server/waves/b.ts', ['server/storage/a.ts']],
      ['analysis/c.ts', ['web/d.ts']],
    ]);
    expect(cyclesOf(made)).toEqual([['server/storage/a.ts', 'server/waves/b.ts']]);
    expect(
      cyclesOf(
        folderGraph(
          new Map([
            ['server/waves/a.ts', ['server/staff/b.ts']],
            ['server/staff/c.ts', ['server/waves/d.ts']],
          ]),
        ),
      ),
    ).toEqual([['server/waves', 'server/staff']]);
    expect(forbidden(made, shared, features)).toEqual(['server/storage/a.ts -> server/waves/b.ts']);
    expect(forbidden(made, ['analysis/'], ['web/'])).toEqual(['analysis/c.ts -> web/d.ts']);
    expect(forbidden(new Map([['server/dashboards/e.ts', ['server/respondent/f.ts']]]), staffSide, ['server/respondent/'])).toEqual([
      'server/dashboards/e.ts -> server/respondent/f.ts',
    ]);
    expect(
      pastPublicModules(
        new Map([
          ['server/cli/g.ts', ['server/waves/index.ts', 'server/waves/wave-changes.ts', 'server/waves/waves-routes.ts']],
          ['server/app/h.ts', ['server/waves/waves-routes.ts', 'server/waves/wave-pages.ts']],
          ['server/waves/i.ts', ['server/waves/wave-changes.ts']],
        ]),
      ),
    ).toEqual([
      'server/cli/g.ts -> server/waves/wave-changes.ts',
      'server/cli/g.ts -> server/waves/waves-routes.ts',
      'server/app/h.ts -> server/waves/wave-pages.ts',
    ]);
  });
});

describe('the folder map of docs/architecture.md', () => {
  /** The folders the map lists under a top-level folder (`server/`): its indented `name/` lines. */
  const mapped = (top: string): string[] => {
    const notes = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const block = /## Folders\n+```\n([^]*?)```/.exec(notes)?.[1] ?? '';
    const lines = block.split('\n');
    const start = lines.findIndex((l) => l.startsWith(top));
    const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
    return lines
      .slice(start + 1, end === -1 ? undefined : end)
      .flatMap((l) => /^ {2}([a-z][a-z0-9-]*)\/\s/.exec(l)?.[1] ?? [])
      .sort();
  };
  /** Every folder holding a tracked file, code or data (survey-definitions/examples/ holds JSON only). */
  const onDisk = (top: string): string[] =>
    [
      ...new Set(
        execFileSync('git', ['ls-files', top], { cwd: root, encoding: 'utf8' })
          .split('\n')
          .filter((f) => f.startsWith(top) && f.split('/').length > 2)
          .map((f) => f.split('/')[1]!),
      ),
    ].sort();

  it.each(['server/', 'survey-definitions/', 'analysis/'])('lists every folder of %s, and no folder that is gone', (top) => {
    expect(mapped(top)).toEqual(onDisk(top));
    expect(mapped(top).length).toBeGreaterThan(1);
  });
});
