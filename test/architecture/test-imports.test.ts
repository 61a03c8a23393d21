import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The dependency between the product and its tests goes one way: `test/` imports the code it checks, and
 * nothing outside `test/` (server, web, analysis, survey definitions, bundled data, config) imports from
 * `test/`. The specifiers are read with TypeScript's own pre-processor, so comments and strings are not
 * mistaken for imports, and `import type`, re-exports and dynamic `import()` all count.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const skipped = new Set(['node_modules', 'dist', '.git']);
const sourceFile = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;

interface SourceText {
  /** Path relative to the root, with '/' separators. */
  readonly path: string;
  readonly text: string;
}

const walk = (root: string, dir = root): SourceText[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    // Symbolic links are skipped: a worktree links node_modules, which is not the project's code.
    if (entry.isSymbolicLink() || skipped.has(entry.name)) return [];
    if (entry.isDirectory()) return walk(root, full);
    if (!entry.isFile() || !sourceFile.test(entry.name)) return [];
    return [{ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });

/** The module specifiers a file imports; for a Svelte component, those of its <script> blocks. */
const specifiersOf = (file: SourceText): string[] => {
  const code = file.path.endsWith('.svelte') ? [...file.text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join('\n') : file.text;
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
};

const inTest = (path: string) => path === 'test' || path.startsWith('test/');

/** "file -> specifier" for every import, by a file outside test/, of something inside test/. */
const importsIntoTest = (files: readonly SourceText[]): string[] =>
  files
    .filter((file) => !inTest(file.path))
    .flatMap((file) =>
      specifiersOf(file)
        .filter((spec) => spec.startsWith('.') || spec.startsWith('/'))
        .filter((spec) => {
          const target = spec.startsWith('/') ? spec.slice(1) : join(dirname(file.path), spec).split(sep).join('/');
          return inTest(target);
        })
        .map((spec) => `${file.path} -> ${spec}`),
    );

describe('nothing outside test/ imports from test/', () => {
  const files = walk(repoRoot);

  it('reads the whole tree, Svelte components included', () => {
    // A walk that found nothing would let the next test pass vacuously.
    const outside = files.filter((f) => !inTest(f.path));
    expect(outside.filter((f) => f.path.startsWith('server/')).length).toBeGreaterThan(50);
    expect(outside.some((f) => f.path.startsWith('bundled-data/') && specifiersOf(f).includes('./published-figures.js'))).toBe(true);
    const svelte = outside.filter((f) => f.path.endsWith('.svelte'));
    expect(svelte.length).toBeGreaterThan(10);
    expect(svelte.some((f) => specifiersOf(f).length > 0)).toBe(true);
  });

  it('finds no such import in the project', () => {
    expect(importsIntoTest(files)).toEqual([]);
  });

  it('control: reports every kind of import into test/ from outside it, and nothing else', () => {
    const fixture: SourceText[] = [
      { path: 'bundled-data/generate.ts', text: "import { publishedFigures } from '../test/reproduction/published-figures.js';" },
      { path: 'server/a/b.ts', text: "import type { X } from '../../test/support/x.js';\nexport * from '../../test/y.js';" },
      { path: 'server/c.ts', text: "const m = await import('../test/support/z.js');" },
      { path: 'web/staff/Page.svelte', text: '<script lang="ts">\n  import { h } from \'../../test/server/helpers.js\';\n</script>\n<p>x</p>' },
      // Not violations: test/ importing the product, an import only in a comment, a folder merely named like test.
      { path: 'test/server/t.test.ts', text: "import { createApp } from '../../server/app.js';\nimport { h } from './helpers.js';" },
      { path: 'server/d.ts', text: "// import { h } from '../test/server/helpers.js';\nimport { e } from './testing/e.js';\nconst s = '../test/x.js';" },
      { path: 'server/testing/e.ts', text: "import { f } from '../tests-data/f.js';" },
    ];
    expect(importsIntoTest(fixture)).toEqual([
      'bundled-data/generate.ts -> ../test/reproduction/published-figures.js',
      'server/a/b.ts -> ../../test/support/x.js',
      'server/a/b.ts -> ../../test/y.js',
      'server/c.ts -> ../test/support/z.js',
      'web/staff/Page.svelte -> ../../test/server/helpers.js',
    ]);
  });
});
