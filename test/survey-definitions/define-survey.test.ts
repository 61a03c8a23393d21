import { describe, expect, it } from 'vitest';
import {
  allItems,
  defineSurvey,
  definitionKey,
  definitionSchema,
  findItem,
  itemsOf,
  kindOf,
  partOf,
  bundledDefinitions,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { definitionInput, errorOf, matrixChoiceItem, multiItem, option, part, singleItem, textItem, type ItemInput } from './fixtures.js';

const header = 'invalid survey definition:\n';

/** Every line of the error of an invalid definition, without the header. */
const problems = (input: unknown): string[] => {
  const message = errorOf(() => defineSurvey(input));
  expect(message.startsWith(header)).toBe(true);
  return message
    .slice(header.length)
    .split('\n')
    .map((line) => line.trim());
};

const identifiableOnly = (items: ItemInput[]) => definitionInput(items);
const anonymousOnly = (items: ItemInput[]) => definitionInput([textItem('name')], items);

describe('defineSurvey: a valid definition', () => {
  it('parses and fills the defaults of the item schemas', () => {
    const definition = defineSurvey(definitionInput([textItem('name', { identifying: true, required: 'on-form' }), singleItem('role', ['a', 'b'])]));
    expect(definitionKey(definition)).toBe('mini@1');
    const [name, role, comment] = allItems(definition);
    expect(name).toMatchObject({ id: 'name', kind: 'text', required: 'on-form', identifying: true, multiline: false, maxLength: 10_000 });
    expect(role).toMatchObject({ id: 'role', kind: 'single', required: 'never', identifying: false });
    expect(comment).toEqual({
      id: 'comment',
      kind: 'text',
      label: 'Label of comment',
      required: 'never',
      identifying: false,
      multiline: false,
      maxLength: 10_000,
    });
    expect(itemsOf(partOf(definition, 'anonymous')).map((i) => i.id)).toEqual(['comment']);
  });

  it('accepts a definition id with hyphens, like cswo-annual', () => {
    expect(defineSurvey(definitionInput([textItem('a')], [textItem('b')], { id: 'my-survey' })).id).toBe('my-survey');
  });

  it('accepts identifying and required items in the identifiable part', () => {
    expect(() => defineSurvey(definitionInput([singleItem('council', ['x', 'y'], { identifying: true, required: 'always' })]))).not.toThrow();
  });

  it('accepts an item named like another item plus a suffix: ids have no dots, so q_a never collides with q.a', () => {
    const definition = defineSurvey(definitionInput([multiItem('q', ['a', 'b']), textItem('q_a'), textItem('q_other')]));
    const columns = allItems(definition).flatMap((i) => kindOf(i).columns(i));
    expect(columns).toEqual(['q.a', 'q.b', 'q_a', 'q_other', 'comment']);
  });

  it('is exactly what definitionSchema accepts', () => {
    const input = definitionInput([textItem('a')]);
    expect(definitionSchema.safeParse(input).success).toBe(true);
    expect(definitionSchema.safeParse({ ...input, parts: [] }).success).toBe(false);
  });
});

describe('findItem: an item by its id', () => {
  it('finds every item of a checked definition, in either part, and nothing else', () => {
    const definition = defineSurvey(definitionInput([textItem('name'), singleItem('role', ['a', 'b'])]));
    for (const item of allItems(definition)) expect(findItem(definition, item.id)).toBe(item);
    expect(findItem(definition, 'comment')?.kind).toBe('text');
    expect(findItem(definition, 'nothing')).toBeUndefined();
    expect(findItem(definition, 'role.a')).toBeUndefined();
  });

  it('reads a definition that is not frozen afresh each time, so a change to it is seen', () => {
    // A frozen definition is indexed once; an object built by hand could change after a look-up.
    const definition = structuredClone(defineSurvey(definitionInput([textItem('name')]))) as { -readonly [K in keyof SurveyDefinition]: SurveyDefinition[K] };
    expect(findItem(definition, 'name')?.label).toBe('Label of name');
    (definition.parts[0]!.sections[0]!.items[0] as { id: string }).id = 'renamed';
    expect(findItem(definition, 'name')).toBeUndefined();
    expect(findItem(definition, 'renamed')?.label).toBe('Label of name');
  });
});

describe('defineSurvey: refusals name what is wrong', () => {
  it('refuses the same item id twice, in either part', () => {
    expect(problems(definitionInput([textItem('a')], [textItem('a')]))).toEqual([
      'parts[1].sections[0].items[0].id: item id "a" appears twice (also at parts[0].sections[0].items[0].id)',
      'parts[1].sections[0].items[0]: CSV column "a" appears twice (also at parts[0].sections[0].items[0])',
    ]);
    expect(problems(definitionInput([textItem('a'), singleItem('a', ['x', 'y'])]))).toContain(
      'parts[0].sections[0].items[1].id: item id "a" appears twice (also at parts[0].sections[0].items[0].id)',
    );
  });

  it('refuses the same option code twice in a single choice', () => {
    expect(problems(identifiableOnly([singleItem('colour', ['red', 'blue', 'red'])]))).toEqual([
      'parts[0].sections[0].items[0].options[2].code: option code "red" appears twice (also at parts[0].sections[0].items[0].options[0].code)',
    ]);
  });

  it('refuses the same option code twice in a multiple choice, which would also repeat a CSV column', () => {
    expect(problems(identifiableOnly([multiItem('fruit', ['apple', 'apple'])]))).toEqual([
      'parts[0].sections[0].items[0].options[1].code: option code "apple" appears twice (also at parts[0].sections[0].items[0].options[0].code)',
      'parts[0].sections[0].items[0]: CSV column "fruit.apple" appears twice (also at parts[0].sections[0].items[0])',
    ]);
  });

  it('refuses the same matrix row twice, which would also repeat a CSV column', () => {
    expect(problems(identifiableOnly([matrixChoiceItem('portfolio', ['adults', 'children', 'adults'], ['all', 'none'])]))).toEqual([
      'parts[0].sections[0].items[0].rows[2].id: row id "adults" appears twice (also at parts[0].sections[0].items[0].rows[0].id)',
      'parts[0].sections[0].items[0]: CSV column "portfolio.adults" appears twice (also at parts[0].sections[0].items[0])',
    ]);
  });

  it('refuses the same matrix column code twice', () => {
    expect(problems(identifiableOnly([matrixChoiceItem('access', ['ceo'], ['yes', 'no', 'yes'])]))).toEqual([
      'parts[0].sections[0].items[0].columns[2].code: column code "yes" appears twice (also at parts[0].sections[0].items[0].columns[0].code)',
    ]);
  });

  it('refuses the same section id twice', () => {
    const input = definitionInput([textItem('a')]);
    input.parts[1] = part('anonymous', [{ id: 'about_you', items: [textItem('b')] }]);
    expect(problems(input)).toEqual(['parts[1].sections[0].id: section id "about_you" appears twice (also at parts[0].sections[0].id)']);
  });

  it.each([
    ['identifying', { identifying: true }],
    ['required always', { required: 'always' }],
    ['required on the form', { required: 'on-form' }],
  ])('refuses an item in the anonymous part that is %s', (_what, extra) => {
    expect(problems(anonymousOnly([textItem('comment'), textItem('who', extra)]))).toEqual([
      'parts[1].sections[0].items[1]: "who" is in the anonymous part, so it must be optional and not identifying: leave out "required" and "identifying"',
    ]);
  });

  it('refuses fewer or more than two parts', () => {
    const two = definitionInput([textItem('a')]);
    expect(problems({ ...two, parts: [two.parts[0]] })).toEqual(['parts: expected exactly 2 parts']);
    expect(problems({ ...two, parts: [] })[0]).toMatch(/^parts: .*2/);
    expect(problems({ ...two, parts: [...two.parts, part('anonymous', [{ id: 'more', items: [textItem('c')] }])] })[0]).toMatch(
      /^parts: expected exactly 2 parts/,
    );
  });

  it('refuses two parts of the same kind', () => {
    const input = definitionInput([textItem('a')]);
    input.parts[1] = part('identifiable', [{ id: 'more', items: [textItem('b')] }]);
    expect(problems(input)).toEqual(['parts[1].id: part "identifiable" appears twice (also at parts[0].id)']);
  });

  it('refuses a part that is neither identifiable nor anonymous', () => {
    const input = definitionInput([textItem('a')]);
    input.parts[1] = part('secret', [{ id: 'more', items: [textItem('b')] }]);
    expect(problems(input)).toEqual(['parts[1].id: expected one of identifiable, anonymous, not the text "secret"']);
  });

  const idMessage = 'an id is lower-case letters, digits and underscores, starting with a letter';
  const codeMessage = 'a code is lower-case letters, digits and underscores';

  // All-digit or digit-first ids would become keys that JavaScript moves to the front of an object.
  it.each([['Name'], ['a.b'], ['a-b'], ['_a'], ['a b'], [''], ['café'], ['2020'], ['1_2']])('refuses the item id %j', (id) => {
    expect(problems(identifiableOnly([textItem(id)]))).toEqual([`parts[0].sections[0].items[0].id: ${idMessage}`]);
  });

  it('refuses bad option codes, row ids and section ids with their path', () => {
    expect(problems(identifiableOnly([{ ...singleItem('q', ['yes']), options: [option('Yes'), option('no')] }]))).toEqual([
      `parts[0].sections[0].items[0].options[0].code: ${codeMessage}`,
    ]);
    expect(problems(identifiableOnly([matrixChoiceItem('m', ['1'], ['a', 'b'])]))).toEqual([`parts[0].sections[0].items[0].rows[0].id: ${idMessage}`]);
    expect(problems(identifiableOnly([matrixChoiceItem('m', ['r.1'], ['a', 'b'])]))).toEqual([`parts[0].sections[0].items[0].rows[0].id: ${idMessage}`]);
    const input = definitionInput([textItem('a')]);
    input.parts[1] = part('anonymous', [{ id: 'Section', items: [textItem('b')] }]);
    expect(problems(input)).toEqual([`parts[1].sections[0].id: ${idMessage}`]);
  });

  it('accepts option codes that start with a digit, as the instrument uses (10_20, 70_79k)', () => {
    const definition = defineSurvey(identifiableOnly([singleItem('q', ['10_20', '70_79k'])]));
    expect(definition.parts[0]!.sections[0]!.items[0]).toMatchObject({ options: [{ code: '10_20' }, { code: '70_79k' }] });
  });

  it.each([['Mini'], ['mini.survey'], ['-mini'], ['']])('refuses the definition id %j', (id) => {
    expect(problems(definitionInput([textItem('a')], [textItem('b')], { id }))[0]).toMatch(/^id: /);
  });

  it.each([[0], [-1], [1.5], ['1']])('refuses the version %j', (version) => {
    expect(problems(definitionInput([textItem('a')], [textItem('b')], { version }))[0]).toMatch(/^version: /);
  });

  it('refuses items the kind schemas do not allow', () => {
    expect(problems(identifiableOnly([singleItem('q', ['only'])]))[0]).toMatch(/^parts\[0\]\.sections\[0\]\.items\[0\]\.options: expected at least 2 options/);
    expect(problems(identifiableOnly([matrixChoiceItem('m', ['r'], ['only'])]))[0]).toMatch(/^parts\[0\]\.sections\[0\]\.items\[0\]\.columns: /);
    expect(problems(identifiableOnly([{ id: 'q', kind: 'slider', label: 'Q' }]))[0]).toMatch(/^parts\[0\]\.sections\[0\]\.items\[0\]\.kind: /);
    expect(problems(identifiableOnly([textItem('q', { label: '' })]))[0]).toMatch(/^parts\[0\]\.sections\[0\]\.items\[0\]\.label: /);
    expect(problems(identifiableOnly([textItem('q', { required: 'sometimes' })]))[0]).toMatch(/\.required: /);
    expect(problems(identifiableOnly([{ id: 'r', kind: 'rating', label: 'R', scale: { min: 5, max: 1, minLabel: 'a', maxLabel: 'b' } }]))).toEqual([
      'parts[0].sections[0].items[0].scale: a rating scale needs min below max',
    ]);
    expect(problems(identifiableOnly([{ id: 'n', kind: 'number', label: 'N', bounds: { min: 10, max: 1 } }]))).toEqual([
      'parts[0].sections[0].items[0].bounds: min must not exceed max',
    ]);
  });

  it('refuses a section without items and a part without sections', () => {
    expect(problems(identifiableOnly([]))[0]).toMatch(/^parts\[0\]\.sections\[0\]\.items: expected at least 1 question$/);
    const input = definitionInput([textItem('a')]);
    input.parts[1] = part('anonymous', []);
    expect(problems(input)[0]).toMatch(/^parts\[1\]\.sections: expected at least 1 section$/);
  });
});

/** Paths to every object or array inside `value` that is not frozen. */
const unfrozen = (value: unknown, path = '(root)'): string[] => {
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => unfrozen(v, `${path}.${k}`))];
};

describe('defineSurvey: frozen data', () => {
  const input = definitionInput([singleItem('colour', ['red', 'blue'], { help: 'Pick one.' })], [matrixChoiceItem('m', ['r1', 'r2'], ['a', 'b'])]);
  const definition = defineSurvey(input);

  it('freezes every object and array, however deep', () => {
    expect(unfrozen(definition)).toEqual([]);
    expect(Object.isFrozen(definition.parts[0]!.sections[0]!.items[0])).toBe(true);
  });

  it('throws on an attempt to change a nested label and keeps the label', () => {
    const colour = definition.parts[0]!.sections[0]!.items[0]!;
    if (colour.kind !== 'single') throw new Error('fixture changed');
    expect(() => {
      (colour.options[0] as { label: string }).label = 'Scarlet';
    }).toThrow(TypeError);
    expect(colour.options[0]!.label).toBe('Option red');
    expect(() => (colour.options as unknown as unknown[]).push(option('green'))).toThrow(TypeError);
    expect(colour.options).toHaveLength(2);
    expect(() => {
      (definition.parts[1]!.sections[0]!.items[0] as { label: string }).label = 'Changed';
    }).toThrow(TypeError);
    expect(() => {
      delete (definition as { title?: string }).title;
    }).toThrow(TypeError);
    expect(definition.title).toBe('Mini survey');
  });

  it('is a copy: changing the input afterwards does not change the definition', () => {
    (input.parts[0]!.sections[0]!.items[0] as { label: string }).label = 'Changed after';
    expect(definition.parts[0]!.sections[0]!.items[0]!.label).toBe('Label of colour');
  });

  it.each(bundledDefinitions.map((d) => [definitionKey(d), d] as const))('bundled %s is deeply frozen', (_key, published) => {
    expect(unfrozen(published)).toEqual([]);
  });
});
