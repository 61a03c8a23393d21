// ESLint: typescript-eslint's and eslint-plugin-svelte's recommended rules, and the import boundaries
// between the project's folders (docs/architecture.md), checked by `npm run lint` and `npm test`.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Boundaries, as `import-x/no-restricted-paths` zones: files under `target` may not import from `from`.
 * Paths are from the repository root. To add a rule, add a zone; `except` lists paths under `from` that
 * stay allowed.
 */
const topLevelZones = [
  // The pure layers: the questionnaire and the statistics know nothing of the server, the pages or the tests.
  {
    target: ['./analysis', './survey-definitions'],
    from: ['./server', './web', './test', './bundled-data'],
    message: 'analysis/ and survey-definitions/ are pure: they import only each other and libraries.',
  },
  // The pages are given their props; they never reach into the server.
  { target: './web', from: './server', message: 'web/ is given its data as props: it imports nothing from server/.' },
];

/** Nothing outside test/ imports from test/. */
const testZone = {
  target: ['./server', './web', './analysis', './survey-definitions', './bundled-data'],
  from: './test',
  message: 'Only tests import from test/: move what is shared beside the code that uses it.',
};

/**
 * Inside server/: the shared layer is used by the features and uses none of them (as
 * test/architecture/import-graph.test.ts checks too), and the respondent's side and the staff side do
 * not import each other.
 */
const serverShared = ['./server/csv', './server/storage', './server/http', './server/pages', './server/security', './server/mail'];
const serverFeatures = [
  './server/app',
  './server/respondent',
  './server/waves',
  './server/accounts',
  './server/staff',
  './server/dashboards',
  './server/research',
  './server/definitions',
  './server/cli',
  './server/data-protection',
];
const staffSide = [
  './server/staff',
  './server/accounts',
  './server/dashboards',
  './server/research',
  './server/waves',
  './server/definitions',
  './server/data-protection',
];
/**
 * A feature is used from outside its folder only through its public module, `index.ts` (what the command
 * line and other features share), and mounted by app/ from its route table `<feature>-routes.ts`. staff/ is the
 * staff side's shell and is used file by file, like the shared layer.
 */
const featuresWithPublicModules = ['respondent', 'waves', 'accounts', 'dashboards', 'research', 'definitions', 'data-protection'];
const publicModuleZones = featuresWithPublicModules.flatMap((feature) => [
  {
    target: serverFeatures.filter((f) => f !== `./server/${feature}` && f !== './server/app'),
    from: `./server/${feature}`,
    except: ['./index.ts'],
    message: `Use server/${feature}/ through its public module, server/${feature}/index.ts.`,
  },
  {
    target: './server/app',
    from: `./server/${feature}`,
    except: ['./index.ts', `./${feature}-routes.ts`],
    message: `app/ mounts server/${feature}/ from its route table (${feature}-routes.ts) and uses the rest through index.ts.`,
  },
]);
const serverZones = [
  { target: serverShared, from: serverFeatures, message: 'The shared layer of server/ imports no feature.' },
  // The respondent's side and the staff side meet only in app/ (and the stores): no staff code can reach a
  // respondent's pass or draft, and no respondent page runs staff code.
  { target: ['./server/respondent'], from: [...staffSide, './server/cli'], message: 'The respondent side imports nothing of the staff side.' },
  { target: staffSide, from: ['./server/respondent'], message: 'The staff side imports nothing of the respondent side.' },
];

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-output/', '.vite/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  // The browser code: the enhancements and the components that also run in the page.
  {
    files: ['web/**'],
    languageOptions: {
      globals: { ...globals.browser },
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      // Imports name the compiled `.js` file (NodeNext); the source beside it is `.ts`.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...topLevelZones, testZone, ...serverZones, ...publicModuleZones] }],
    },
  },
  {
    rules: {
      // `_`-prefixed names are kept on purpose (a parameter a signature needs, a value destructured out).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // `any` stands only where a generic must take every instance and `unknown` does not type-check:
      // `Kysely<any>` in migrations and schema checks (as Kysely documents), `Component<any>`, a kind's zod schema.
      '@typescript-eslint/no-explicit-any': 'off',
      // The CSV, terminal and schema guards match control characters on purpose.
      'no-control-regex': 'off',
      // `{' '}` keeps a space that Svelte would trim at the start of an `{#if}` block.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      // Prettier wraps code at 160; what it cannot wrap (comments) is held to the same width. Sentences in
      // strings stay whole, so the messages users read can be found by searching the code. (In .svelte files
      // Prettier fills the markup's text itself.)
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // The tests' patterns copy the command line's aligned output as it is printed.
      'no-regex-spaces': 'off',
    },
  },
  {
    files: ['web/staff/ChartFigure.svelte', 'web/staff/DraftReportDocument.svelte'],
    rules: {
      // The chart SVG and its JSON spec (`<` escaped) are made by the server from the tables, not taken from a request.
      'svelte/no-at-html-tags': 'off',
    },
  },
);
