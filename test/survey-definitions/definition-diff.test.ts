import { describe, expect, it } from 'vitest';
import { defineSurvey } from '../../survey-definitions/index.js';
import { describeDiff, diffDefinitions } from '../../survey-definitions/definition-diff.js';
import { matrixChoiceItem, multiItem, option, part, singleItem, textItem, type SectionInput } from './fixtures.js';
import { cswoAnnualV1, cswoAnnualV2, cswoAnnualV3 } from '../support/definitions.js';

describe('diffDefinitions on the published versions', () => {
  it('finds that version 2 adds exactly covid_reflections, in part two', () => {
    expect(diffDefinitions(cswoAnnualV1, cswoAnnualV2)).toEqual({
      from: 'cswo-annual@1',
      to: 'cswo-annual@2',
      added: [{ id: 'covid_reflections', kind: 'text', part: 'anonymous', section: 'covid' }],
      removed: [],
      changed: [],
    });
  });

  it('reads the other way as a removal', () => {
    expect(diffDefinitions(cswoAnnualV2, cswoAnnualV1)).toMatchObject({
      from: 'cswo-annual@2',
      to: 'cswo-annual@1',
      added: [],
      removed: [{ id: 'covid_reflections', kind: 'text', part: 'anonymous', section: 'covid' }],
      changed: [],
    });
  });

  it('finds nothing between a version and itself', () => {
    expect(diffDefinitions(cswoAnnualV2, cswoAnnualV2)).toMatchObject({ added: [], removed: [], changed: [] });
  });
});

const survey = (version: number, identifiable: SectionInput[], anonymous: SectionInput[]) =>
  defineSurvey({
    id: 'mini',
    version,
    title: 'Mini survey',
    description: 'A survey made for tests.',
    parts: [part('identifiable', identifiable), part('anonymous', anonymous)],
  });

const before = survey(
  1,
  [
    {
      id: 'about_you',
      items: [
        singleItem('role', ['cswo', 'deputy']),
        multiItem('awards', ['pq1', 'pq2']),
        textItem('old_question'),
        singleItem('colour', ['red', 'green', 'blue']),
      ],
    },
    { id: 'your_work', items: [textItem('duties')] },
  ],
  [{ id: 'experiences', items: [matrixChoiceItem('access', ['ceo', 'leader'], ['yes', 'no']), textItem('comment')] }],
);

const after = survey(
  2,
  [
    {
      id: 'about_you',
      items: [
        singleItem('role', ['cswo', 'deputy'], { label: 'Your role' }),
        multiItem('awards', ['pq1', 'pq2', 'masters']),
        singleItem('colour', ['blue', 'red', 'green']),
      ],
    },
    { id: 'your_work', items: [textItem('duties'), textItem('new_question')] },
  ],
  [
    {
      id: 'experiences',
      items: [
        matrixChoiceItem('access', ['ceo', 'leader'], ['yes', 'no'], {
          rows: [
            { id: 'ceo', label: 'The Chief Executive' },
            { id: 'leader', label: 'Row leader' },
          ],
        }),
      ],
    },
    { id: 'closing', items: [textItem('comment')] },
  ],
);

describe('diffDefinitions on hand-made definitions', () => {
  const diff = diffDefinitions(before, after);
  const changesOf = (id: string) => diff.changed.find((c) => c.id === id)?.changes;

  it('names the versions compared', () => {
    expect([diff.from, diff.to]).toEqual(['mini@1', 'mini@2']);
  });

  it('reports a removed item and an added one with their place', () => {
    expect(diff.removed).toEqual([{ id: 'old_question', kind: 'text', part: 'identifiable', section: 'about_you' }]);
    expect(diff.added).toEqual([{ id: 'new_question', kind: 'text', part: 'identifiable', section: 'your_work' }]);
  });

  it('reports a relabelled item as a change of its label', () => {
    expect(changesOf('role')).toEqual([{ field: 'label', from: 'Label of role', to: 'Your role' }]);
  });

  it('reports one added option as one change keyed by its code', () => {
    expect(changesOf('awards')).toEqual([{ field: 'options[code=masters]', from: undefined, to: option('masters') }]);
  });

  it('reports reordered options as a change of order, not as changed options', () => {
    expect(changesOf('colour')).toEqual([
      { field: 'options order', from: ['code=red', 'code=green', 'code=blue'], to: ['code=blue', 'code=red', 'code=green'] },
    ]);
  });

  it('reports an item moved to another section', () => {
    expect(changesOf('comment')).toEqual([{ field: 'section', from: 'experiences', to: 'closing' }]);
  });

  it('reports a relabelled matrix row by its id', () => {
    expect(changesOf('access')).toEqual([{ field: 'rows[id=ceo].label', from: 'Row ceo', to: 'The Chief Executive' }]);
  });

  it('leaves unchanged items out', () => {
    expect(diff.changed.map((c) => c.id).sort()).toEqual(['access', 'awards', 'colour', 'comment', 'role']);
  });

  it('reports a removed option, a changed option label and a kind-specific field', () => {
    const one = survey(1, [{ id: 's', items: [singleItem('q', ['a', 'b', 'c']), textItem('t')] }], [{ id: 'x', items: [textItem('c')] }]);
    const two = survey(
      2,
      [
        {
          id: 's',
          items: [{ ...singleItem('q', ['a', 'b']), options: [option('a'), option('b', 'Bee')] }, textItem('t', { maxLength: 50, help: 'Briefly.' })],
        },
      ],
      [{ id: 'x', items: [textItem('c')] }],
    );
    const changes = diffDefinitions(one, two).changed;
    expect(changes).toEqual([
      {
        id: 'q',
        changes: [
          { field: 'options[code=b].label', from: 'Option b', to: 'Bee' },
          { field: 'options[code=c]', from: option('c'), to: undefined },
        ],
      },
      {
        id: 't',
        changes: [
          { field: 'maxLength', from: 10_000, to: 50 },
          { field: 'help', from: undefined, to: 'Briefly.' },
        ],
      },
    ]);
  });

  it('reports an item moved between parts', () => {
    const one = survey(1, [{ id: 's', items: [textItem('a'), textItem('b')] }], [{ id: 'x', items: [textItem('c')] }]);
    const two = survey(2, [{ id: 's', items: [textItem('a')] }], [{ id: 'x', items: [textItem('c'), textItem('b')] }]);
    expect(diffDefinitions(one, two).changed).toEqual([
      {
        id: 'b',
        changes: [
          { field: 'part', from: 'identifiable', to: 'anonymous' },
          { field: 'section', from: 's', to: 'x' },
        ],
      },
    ]);
  });
});

describe('describeDiff: the changes in words for an analyst', () => {
  it('says what version 2 added to version 1, and the reverse', () => {
    expect(describeDiff(diffDefinitions(cswoAnnualV1, cswoAnnualV2))).toEqual(['Added question covid_reflections (text) to section covid of part two']);
    expect(describeDiff(diffDefinitions(cswoAnnualV2, cswoAnnualV1))).toEqual(['Removed question covid_reflections (text) from section covid of part two']);
    expect(describeDiff(diffDefinitions(cswoAnnualV2, cswoAnnualV2))).toEqual([]);
  });

  it('gives one line per change of the hand-made versions, in the order of the diff', () => {
    expect(describeDiff(diffDefinitions(before, after))).toEqual([
      'Added question new_question (text) to section your_work of part one',
      'Removed question old_question (text) from section about_you of part one',
      'Question role reworded from “Label of role” to “Your role”',
      'Added option masters (“Option masters”) to awards',
      'Reordered the options of colour',
      'Row ceo of access relabelled from “Row ceo” to “The Chief Executive”',
      'Moved question comment from section experiences to section closing',
    ]);
  });

  it('names a removed option, a relabelled one, and any other field in words', () => {
    const one = survey(1, [{ id: 's', items: [singleItem('q', ['a', 'b', 'c']), textItem('t')] }], [{ id: 'x', items: [textItem('c')] }]);
    const two = survey(
      2,
      [
        {
          id: 's',
          items: [
            { ...singleItem('q', ['a', 'b']), options: [option('a'), option('b', 'Bee')], errors: { required: 'Select q', invalid: 'Select one' } },
            textItem('t', { maxLength: 50, help: 'Say “hello”.' }),
          ],
        },
      ],
      [{ id: 'x', items: [textItem('c')] }],
    );
    expect(describeDiff(diffDefinitions(one, two))).toEqual([
      'Option b of q relabelled from “Option b” to “Bee”',
      'Removed option c (“Option c”) from q',
      'Question q: error message for no answer set to “Select q”',
      'Question q: error message for an answer it does not take set to “Select one”',
      'Question t: longest answer (characters) changed from 10000 to 50',
      'Question t: help text set to ‘Say “hello”.’',
    ]);
  });

  it('says a question moved to the other part', () => {
    const one = survey(1, [{ id: 's', items: [textItem('a'), textItem('b')] }], [{ id: 'x', items: [textItem('c')] }]);
    const two = survey(2, [{ id: 's', items: [textItem('a')] }], [{ id: 'x', items: [textItem('c'), textItem('b')] }]);
    expect(describeDiff(diffDefinitions(one, two))).toEqual(['Moved question b from part one to part two', 'Moved question b from section s to section x']);
  });

  it('describes the published change from 2 to 3 without showing JSON', () => {
    const lines = describeDiff(diffDefinitions(cswoAnnualV2, cswoAnnualV3));
    expect(lines).toContain('Added option none (“None of these”) to pq_awards');
    expect(lines).toContain('Question pq_awards_other: follow-up to question set to “pq_awards”');
    expect(lines).toContain('Question groups_chaired: limit (no more than the answer to) set to “groups_involved”');
    for (const line of lines) expect(line).not.toMatch(/[{}[\]]|undefined|\[object/);
  });
});
