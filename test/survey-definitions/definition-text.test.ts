import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { readDefinitionText } from '../../survey-definitions/definition-text.js';
import { findDefinition, type SurveyDefinition } from '../../survey-definitions/index.js';

const v2 = findDefinition({ id: 'cswo-annual', version: 2 })!;

/** A small definition as an analyst would write it, so each test can break one line of it. */
const mini = `id: mini
version: 1
title: Mini survey
description: A survey made for tests.
parts:
  - id: identifiable
    title: Part one
    description: About you.
    sections:
      - id: about_you
        title: About you
        items:
          - id: role
            kind: single
            label: Your role
            options:
              - code: cswo
                label: CSWO
              - code: deputy
                label: Deputy
          - id: name
            kind: text
            label: Your name
  - id: anonymous
    title: Part two
    description: Your views.
    sections:
      - id: views
        title: Views
        items:
          - id: comment
            kind: text
            label: Anything else?
`;

/** The 1-based line of the first line of `text` that contains `fragment`. */
const lineWith = (text: string, fragment: string, from = 1): number => {
  const index = text.split('\n').findIndex((line, i) => i + 1 >= from && line.includes(fragment));
  if (index < 0) throw new Error(`fixture lacks ${fragment}`);
  return index + 1;
};

const problemsOf = (text: string, fileName = 'mini.yaml') => {
  const result = readDefinitionText(text, fileName);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
};

const definitionOf = (text: string, fileName: string): SurveyDefinition => {
  const result = readDefinitionText(text, fileName);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`).join('\n'));
  return result.definition;
};

describe('readDefinitionText: a valid definition', () => {
  it('reads the JSON that `definitions show` prints as the very same definition (same content hash)', () => {
    const read = definitionOf(JSON.stringify(v2, null, 2), 'cswo-annual-2.json');
    expect(read).toEqual(v2);
    expect(contentHash(read)).toBe(contentHash(v2));
  });

  it('reads the same definition written as YAML', () => {
    expect(contentHash(definitionOf(stringify(v2), 'cswo-annual-2.yaml'))).toBe(contentHash(v2));
    expect(contentHash(definitionOf(stringify(v2), 'cswo-annual-2.yml'))).toBe(contentHash(v2));
  });

  it('accepts and ignores a top-level $schema: it is not part of the definition and not hashed', () => {
    const withSchema = JSON.stringify({ $schema: './survey-definition.schema.json', ...v2 }, null, 2);
    const read = definitionOf(withSchema, 'cswo-annual-2.json');
    expect(read).not.toHaveProperty('$schema');
    expect(contentHash(read)).toBe(contentHash(v2));
    expect(definitionOf(`$schema: ./survey-definition.schema.json\n${mini}`, 'mini.yaml')).not.toHaveProperty('$schema');
  });

  it('fills the defaults and freezes the definition, as publishing does', () => {
    const read = definitionOf(mini, 'mini.yaml');
    expect(read.parts[0]!.sections[0]!.items[0]).toMatchObject({ required: 'never', identifying: false });
    expect(Object.isFrozen(read.parts[0]!.sections[0]!.items[0])).toBe(true);
  });

  it('lets the content decide without a known extension', () => {
    expect(definitionOf(JSON.stringify(v2), 'definition.txt')).toEqual(v2);
    expect(definitionOf(mini, 'definition')).toMatchObject({ id: 'mini' });
  });
});

describe('readDefinitionText: syntax errors give their line', () => {
  it('names the line of a YAML indentation error', () => {
    const broken = mini.replace('              - code: deputy', '             - code: deputy');
    const problems = problemsOf(broken);
    expect(problems[0]).toMatchObject({ path: '', line: lineWith(broken, '- code: deputy') });
    expect(problems[0]!.message).toMatch(/^not valid YAML: /);
  });

  it('names the line of a field written twice', () => {
    const twice = mini.replace('            label: Your role\n', '            label: Your role\n            label: Role\n');
    expect(problemsOf(twice)).toEqual([
      { path: '', line: lineWith(twice, 'label: Role'), message: 'not valid YAML: a field is written twice in the same place: keep one' },
    ]);
  });

  it('holds a .json file to JSON: unquoted text is refused with its line', () => {
    const json = JSON.stringify(v2, null, 2).replace('"title": "Chief Social Work Officer', '"title": Chief Social Work Officer');
    const line = lineWith(json, '"title": Chief');
    expect(problemsOf(json, 'v2.json')).toContainEqual(expect.objectContaining({ path: '', line, message: expect.stringMatching(/^not valid JSON: /) }));
    // Named .yaml, the same text is good YAML, where text needs no quotes.
    expect(readDefinitionText(json, 'v2.yaml').ok).toBe(true);
  });

  it('refuses a file of two documents', () => {
    expect(problemsOf(`${mini}---\n${mini}`)[0]!.message).toMatch(/more than one document/);
  });
});

describe('readDefinitionText: every problem, with its path, its line and what was expected', () => {
  it('reports several problems of a file at once, each on its line', () => {
    const broken = mini
      .replace('            kind: single', '            kind: singel')
      .replace('            label: Your name\n', '')
      .replace('          - id: comment', '          - id: Comment')
      .replace('    title: Part two', '    tilte: Part two');
    expect(problemsOf(broken)).toEqual([
      {
        path: 'parts[0].sections[0].items[0].kind',
        line: lineWith(broken, 'kind: singel'),
        message: 'expected a kind of single, multi, rating, number, text, email, matrix-choice, matrix-number, matrix-rating, not the text "singel"',
      },
      { path: 'parts[0].sections[0].items[1].label', line: lineWith(broken, '- id: name'), message: 'missing: expected text' },
      { path: 'parts[1].title', line: lineWith(broken, '- id: anonymous'), message: 'missing: expected text' },
      {
        path: 'parts[1].tilte',
        line: lineWith(broken, 'tilte:'),
        message: 'unknown field "tilte": check the spelling; the fields here are id, title, description, sections',
      },
      {
        path: 'parts[1].sections[0].items[0].id',
        line: lineWith(broken, 'id: Comment'),
        message: 'an id is lower-case letters, digits and underscores, starting with a letter',
      },
    ]);
  });

  it('refuses a misspelt optional field rather than dropping it (identifying would silently be false)', () => {
    const misspelt = mini.replace('            label: Your name\n', '            label: Your name\n            identifyng: true\n');
    expect(problemsOf(misspelt)).toEqual([
      {
        path: 'parts[0].sections[0].items[1].identifyng',
        line: lineWith(misspelt, 'identifyng'),
        message: expect.stringMatching(/^unknown field "identifyng": check the spelling; the fields here are id, label, help, required, identifying/),
      },
    ]);
  });

  it('says a number must be quoted where a code is text (YAML reads 01 as the number 1)', () => {
    const numeric = mini.replace('- code: cswo', '- code: 01');
    expect(problemsOf(numeric)).toEqual([
      {
        path: 'parts[0].sections[0].items[0].options[0].code',
        line: lineWith(numeric, 'code: 01'),
        message: 'expected text, not the number 1 (put it in quotes)',
      },
    ]);
  });

  it('points at the line of a list field, not its first entry, and counts its entries in words', () => {
    const oneOption = mini.replace('              - code: deputy\n                label: Deputy\n', '');
    expect(problemsOf(oneOption)).toEqual([
      { path: 'parts[0].sections[0].items[0].options', line: lineWith(oneOption, 'options:'), message: 'expected at least 2 options' },
    ]);
  });

  it('says a question without a kind needs one, and which', () => {
    const kindless = mini.replace('            kind: single\n', '');
    expect(problemsOf(kindless)).toEqual([
      {
        path: 'parts[0].sections[0].items[0].kind',
        line: lineWith(kindless, '- id: role'),
        message: 'missing: expected a kind, one of single, multi, rating, number, text, email, matrix-choice, matrix-number, matrix-rating',
      },
    ]);
  });

  it('says which values a field takes', () => {
    const required = mini.replace('            label: Your role\n', '            label: Your role\n            required: yes\n');
    expect(problemsOf(required)).toEqual([
      {
        path: 'parts[0].sections[0].items[0].required',
        line: lineWith(required, 'required: yes'),
        message: 'expected one of always, on-form, never, not the text "yes"',
      },
    ]);
  });

  it('names the path and line of an invariant across the definition: the second of two equal ids', () => {
    const twice = mini.replace('          - id: comment', '          - id: role');
    expect(problemsOf(twice)).toContainEqual({
      path: 'parts[1].sections[0].items[0].id',
      line: lineWith(twice, '- id: role', lineWith(twice, 'id: anonymous')),
      message: 'item id "role" appears twice (also at parts[0].sections[0].items[0].id)',
    });
  });

  it('names the item of the anonymous part that is required', () => {
    const required = mini.replace('            label: Anything else?\n', '            label: Anything else?\n            required: always\n');
    expect(problemsOf(required)).toEqual([
      {
        path: 'parts[1].sections[0].items[0]',
        line: lineWith(required, '- id: comment'),
        message: '"comment" is in the anonymous part, so it must be optional and not identifying: leave out "required" and "identifying"',
      },
    ]);
  });

  it('refuses a file that is not a definition at all, and an empty one', () => {
    expect(problemsOf('- a\n- b\n')).toEqual([{ path: '', line: 1, message: 'expected a set of fields, not a list' }]);
    expect(problemsOf('')).toEqual([{ path: '', message: 'expected a set of fields, not an empty value' }]);
  });

  it('never shows the validator’s own words or a JSON dump', () => {
    const broken = mini.replace('version: 1', 'version: 1.5').replace('title: Mini survey', 'title: ""').replace('kind: text', 'kind: [text]');
    const messages = problemsOf(broken).map((p) => p.message);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const message of messages) expect(message).not.toMatch(/Invalid|received|[{}[\]]/);
  });
});

describe("readDefinitionText: a section may not take the address of the survey's own pages", () => {
  it.each(['check', 'submit', 'done', 'resume', 'leave'])('refuses a section called %s, at its line', (reserved) => {
    const text = mini.replace('      - id: views', `      - id: ${reserved}`);
    expect(problemsOf(text)).toEqual([
      {
        path: 'parts[1].sections[0].id',
        line: lineWith(text, `- id: ${reserved}`),
        message: `section id "${reserved}" is the address of one of the survey's own pages (check, submit, done, resume, leave): choose another`,
      },
    ]);
  });

  it('accepts a section whose id only contains one of them', () => {
    expect(definitionOf(mini.replace('      - id: views', '      - id: checks'), 'mini.yaml').parts[1]!.sections[0]!.id).toBe('checks');
  });
});

describe("readDefinitionText: an item may not take a column of the researchers' data package", () => {
  it.each(['wave', 'hours_coded'])('refuses an item called %s, at its line', (taken) => {
    const text = mini.replace('          - id: comment', `          - id: ${taken}`);
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'parts[1].sections[0].items[0].id',
        line: lineWith(text, `- id: ${taken}`),
        message: expect.stringContaining(`item id "${taken}" is taken by the researchers' data package`),
      }),
    ]);
  });
});
