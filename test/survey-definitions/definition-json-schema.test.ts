import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { definitionJsonSchema } from '../../survey-definitions/definition-json-schema.js';
import { bundledDefinitions, definitionKey, findDefinition } from '../../survey-definitions/index.js';
import { cswoAnnualV3 } from '../support/definitions.js';

const committedFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'survey-definitions', 'survey-definition.schema.json');

const regenerate = [
  'survey-definitions/survey-definition.schema.json is not what definitionJsonSchema() generates; regenerate it:',
  `  npx tsx -e "import('./survey-definitions/definition-json-schema.ts').then((m) => console.log(JSON.stringify(m.definitionJsonSchema(), null, 2)))" > survey-definitions/survey-definition.schema.json`,
  '  npx prettier --write survey-definitions/survey-definition.schema.json',
].join('\n');

const validator = () => new Ajv2020({ allErrors: true, strict: true }).compile(definitionJsonSchema());

describe('the JSON Schema of the authoring format', () => {
  it('is committed exactly as generated from the zod schema', () => {
    // Compared as data: the committed file is laid out by Prettier.
    expect(JSON.parse(readFileSync(committedFile, 'utf8')), regenerate).toEqual(definitionJsonSchema());
  });

  it('names itself and allows a $schema key', () => {
    expect(definitionJsonSchema()).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.any(String),
      title: expect.any(String),
      description: expect.any(String),
      properties: { $schema: { type: 'string' } },
    });
  });

  it.each([...bundledDefinitions, cswoAnnualV3].map((d) => [definitionKey(d), d] as const))(
    'accepts the bundled %s and the example, with or without $schema',
    (_key, definition) => {
      const validate = validator();
      expect(validate(definition), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ $schema: './survey-definition.schema.json', ...definition })).toBe(true);
    },
  );

  it('accepts a definition without the fields that have defaults, as an analyst writes it', () => {
    const v2 = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })!) as { parts: { sections: { items: Record<string, unknown>[] }[] }[] };
    const item = v2.parts[0]!.sections[0]!.items[0]!;
    delete item.required;
    delete item.identifying;
    expect(validator()(v2)).toBe(true);
  });

  it.each([
    ['a misspelt field', (item: Record<string, unknown>) => Object.assign(item, { identifyng: true })],
    ['an unknown kind', (item: Record<string, unknown>) => Object.assign(item, { kind: 'singel' })],
    ['a missing label', (item: Record<string, unknown>) => delete item.label],
    ['a bad id', (item: Record<string, unknown>) => Object.assign(item, { id: 'Bad-Id' })],
  ])('refuses %s, as reading the definition does', (_what, breakIt) => {
    const v2 = structuredClone(findDefinition({ id: 'cswo-annual', version: 2 })!) as { parts: { sections: { items: Record<string, unknown>[] }[] }[] };
    breakIt(v2.parts[0]!.sections[0]!.items[0]!);
    expect(validator()(v2)).toBe(false);
  });
});
