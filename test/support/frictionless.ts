import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AjvDraft04, { type ErrorObject } from 'ajv-draft-04';
import { vi } from 'vitest';

/**
 * Checks of a Frictionless Data Package against the standard, offline.
 *
 * The official JSON Schemas (Data Package v1 profiles, JSON Schema draft-04) come from the npm packages
 * of the Frictionless JavaScript libraries, which bundle them: `datapackage` (`lib/profiles/`,
 * including `tabular-data-package.json`, which inlines the Table Schema) and its dependency
 * `tableschema` (`lib/profiles/table-schema.json`). They are read from disk, never fetched.
 *
 * The same libraries also read a package the way a researcher's tool does: `datapackage` loads the
 * descriptor (its profile by registry name, so from the bundled file) and reads the CSV with every
 * cell cast to its field's type and checked against its constraints. No network is used: the
 * helpers make any HTTP request fail while they run.
 */

const require = createRequire(import.meta.url);

const profileDir = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'profiles');

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

export const officialProfiles = {
  tabularDataPackage: () => readJson(join(profileDir('datapackage'), 'tabular-data-package.json')),
  tableSchema: () => readJson(join(profileDir('tableschema'), 'table-schema.json')),
};

// The profiles carry annotations that are not JSON Schema keywords (propertyOrder, context, options)
// and a `textarea` format for editors: allowed, not checked.
// A CommonJS module whose class is also its `default` property, which is what TypeScript sees.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, formats: { textarea: true, uri: true, email: true, 'date-time': true } });

const compiled = {
  tabularDataPackage: ajv.compile(officialProfiles.tabularDataPackage()),
  tableSchema: ajv.compile(officialProfiles.tableSchema()),
};

/** Errors of a descriptor against the official Tabular Data Package profile (empty when valid). */
export const packageProfileErrors = (descriptor: unknown): ErrorObject[] =>
  compiled.tabularDataPackage(descriptor) ? [] : [...(compiled.tabularDataPackage.errors ?? [])];

/** Errors of a Table Schema against the official Table Schema profile (empty when valid). */
export const tableSchemaProfileErrors = (schema: unknown): ErrorObject[] => (compiled.tableSchema(schema) ? [] : [...(compiled.tableSchema.errors ?? [])]);

interface FrictionlessPackage {
  readonly valid: boolean;
  readonly errors: readonly Error[];
  getResource(name: string): { read(options: { keyed: true; cast: true }): Promise<Record<string, unknown>[]> } | null;
}

interface DatapackageJs {
  validate(descriptor: unknown): Promise<{ valid: boolean; errors: readonly Error[] }>;
  Package: { load(descriptor: unknown, basePath?: string): Promise<FrictionlessPackage> };
}

const datapackage = require('datapackage') as DatapackageJs;

/** Runs `work` with every HTTP and HTTPS request refused, so a library that tried to fetch would fail. */
const offline = async <T>(work: () => Promise<T>): Promise<T> => {
  const refuse = () => {
    throw new Error('network access attempted during an offline Frictionless check');
  };
  const spies = [
    vi.spyOn(http, 'request').mockImplementation(refuse),
    vi.spyOn(http, 'get').mockImplementation(refuse),
    vi.spyOn(https, 'request').mockImplementation(refuse),
    vi.spyOn(https, 'get').mockImplementation(refuse),
  ];
  try {
    return await work();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
};

/** The Frictionless JavaScript library's own validation of a descriptor. */
export const frictionlessValidate = (descriptor: unknown) => offline(() => datapackage.validate(descriptor));

/**
 * Loads `datapackage.json` from a folder and reads one resource with the library, every cell cast
 * to its field's type and checked against the field's constraints (a value outside `enum` throws).
 */
export const frictionlessRead = (dir: string, resource: string) =>
  offline(async () => {
    const pkg = await datapackage.Package.load(join(dir, 'datapackage.json'));
    if (!pkg.valid) throw new Error(`invalid package: ${pkg.errors.map(String).join('; ')}`);
    const found = pkg.getResource(resource);
    if (!found) throw new Error(`no resource ${resource}`);
    return found.read({ keyed: true, cast: true });
  });
