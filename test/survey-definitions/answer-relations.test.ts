import { describe, expect, it } from 'vitest';
import { defineSurvey, validateAnswers, type ValidationContext } from '../../survey-definitions/index.js';
import { formMessage } from '../../server/pages/form-messages.js';
import { definitionInput, multiItem, singleItem, textItem } from './fixtures.js';
import { cswoAnnualV2, cswoAnnualV3 } from '../support/definitions.js';

/**
 * Rules between answers (a follow-up only with its option, a limit set by another answer, "None of
 * these" alone), declared in the definition and run by the one validation function: a form, the API
 * and a CSV import refuse the same answers.
 */

const contexts: ValidationContext[] = ['import', 'form'];
/** What part one must hold on a form (name and email are asked there). */
const base = { local_authority: 'fife', name: 'Fiona Fife', email: 'fiona@fife.gov.uk' };
const itemOf = (id: string) => cswoAnnualV3.parts.flatMap((p) => p.sections.flatMap((s) => s.items)).find((i) => i.id === id)!;

describe('cswo-annual@3: rules between answers', () => {
  it.each(contexts)('%s: "which other awards" is refused without "another award" ticked, and taken with it', (context) => {
    const without = validateAnswers(cswoAnnualV3, 'identifiable', { ...base, pq_awards: ['pq1'], pq_awards_other: 'A diploma' }, context);
    expect(without.ok).toBe(false);
    expect(without.issues).toEqual([
      {
        item: 'pq_awards_other',
        path: 'pq_awards_other',
        rule: 'only-with',
        expected: 'no answer unless other is chosen in pq_awards',
        got: 'A diploma',
        other: '“Another award or degree”',
      },
    ]);
    // Not answering the awards at all is no licence either.
    expect(validateAnswers(cswoAnnualV3, 'identifiable', { ...base, pq_awards_other: 'A diploma' }, context).ok).toBe(false);
    expect(validateAnswers(cswoAnnualV3, 'identifiable', { ...base, pq_awards: ['pq1', 'other'], pq_awards_other: 'A diploma' }, context)).toEqual({
      ok: true,
      value: { ...base, pq_awards: ['pq1', 'other'], pq_awards_other: 'A diploma' },
    });
  });

  it.each(contexts)('%s: chairing more groups than attended is refused; as many, or the limit unanswered, is taken', (context) => {
    const refused = validateAnswers(cswoAnnualV3, 'anonymous', { groups_involved: 5, groups_chaired: 8 }, context);
    expect(refused.issues).toEqual([
      expect.objectContaining({ item: 'groups_chaired', rule: 'at-most', expected: 'at most 5, the answer to groups_involved', got: 8 }),
    ]);
    expect(validateAnswers(cswoAnnualV3, 'anonymous', { groups_involved: 5, groups_chaired: 5 }, context).ok).toBe(true);
    expect(validateAnswers(cswoAnnualV3, 'anonymous', { groups_chaired: 8 }, context).ok).toBe(true);
  });

  it.each(contexts)('%s: "None of these" is taken alone and refused beside another answer', (context) => {
    expect(validateAnswers(cswoAnnualV3, 'identifiable', { ...base, pq_awards: ['none'] }, context).ok).toBe(true);
    const both = validateAnswers(cswoAnnualV3, 'identifiable', { ...base, pq_awards: ['pq1', 'none'] }, context);
    expect(both.issues).toEqual([expect.objectContaining({ item: 'pq_awards', path: 'pq_awards.none', rule: 'exclusive', got: ['pq1', 'none'] })]);
    expect(validateAnswers(cswoAnnualV3, 'anonymous', { resources: ['reading', 'none'] }, context).ok).toBe(false);
  });

  it('the 2020 versions declare none of these rules: their data stays valid as fielded', () => {
    expect(validateAnswers(cswoAnnualV2, 'identifiable', { ...base, pq_awards: ['pq1'], pq_awards_other: 'A diploma' }, 'import').ok).toBe(true);
    expect(validateAnswers(cswoAnnualV2, 'anonymous', { groups_involved: 5, groups_chaired: 8 }, 'import').ok).toBe(true);
  });

  it('a form page checks the rules of its own section', () => {
    const page = validateAnswers(cswoAnnualV3, 'anonymous', { groups_involved: '2', groups_chaired: '3' }, 'form', 'links');
    expect(page.ok).toBe(false);
  });
});

describe('error messages', () => {
  const issuesOf = (part: 'identifiable' | 'anonymous', input: Record<string, unknown>, context: ValidationContext = 'form') => {
    const result = validateAnswers(cswoAnnualV3, part, input, context);
    return (result.issues ?? []).map((issue) => formMessage(itemOf(issue.item), issue));
  };

  it('cswo-annual@3 gives each refusal the message written for its question', () => {
    expect(issuesOf('identifiable', { local_authority: 'fife', name: '', email: 'nope' })).toEqual([
      'Enter your name',
      'Enter an email address in the correct format, like name@council.gov.uk',
    ]);
    expect(issuesOf('identifiable', { ...base, pq_awards: ['pq1'], pq_awards_other: 'x', contracted_hours: 61 }, 'import')).toEqual([
      'Contracted hours must be a number between 0 and 60, like 37 or 17.5',
      'Select “Another award or degree” if you want to tell us which other awards or degrees you hold',
    ]);
    expect(issuesOf('anonymous', { groups_involved: 2, groups_chaired: 3 })).toEqual([
      'The number of groups you chair must be no more than the number you attend',
    ]);
    expect(issuesOf('anonymous', { resources: ['none', 'reading'] })).toEqual([
      'Select “None of these” on its own, or the supports and resources you have used or intend to use',
    ]);
  });

  it('a question without written messages gets its kind’s default, naming the question or the row', () => {
    const v2Item = (id: string) => cswoAnnualV2.parts.flatMap((p) => p.sections.flatMap((s) => s.items)).find((i) => i.id === id)!;
    const messages = (part: 'identifiable' | 'anonymous', input: Record<string, unknown>) =>
      (validateAnswers(cswoAnnualV2, part, input, 'form').issues ?? []).map((issue) => formMessage(v2Item(issue.item), issue));
    expect(messages('identifiable', { local_authority: 'fife', name: 'Fiona', email: 'f@fife.gov.uk', contracted_hours: 61, role: 'boss' })).toEqual([
      'Select one of the answers given to “Are you answering as the Chief Social Work Officer or as a designated deputy?”',
      '“How many hours a week are you contracted to work?” must be between 0 and 60 hours a week',
    ]);
    expect(messages('anonymous', { time_share: { budgets: 150 }, groups_involved: 2.5, pressure: { children: 9 } })).toEqual([
      '“Budgets” must be between 0 and 100%',
      expect.stringMatching(/^Select a rating from 1 to 5 for “/),
      '“How many groups, boards and committees do you attend regularly?” must be a whole number',
    ]);
  });

  it('a follow-up without messages of its own says which option it needs', () => {
    const mini = defineSurvey(
      definitionInput([
        singleItem('local_authority', ['fife', 'angus'], { required: 'always' }),
        multiItem('tools', ['pen', 'other']),
        textItem('tools_other', { when: { item: 'tools', option: 'other' } }),
      ]),
    );
    const result = validateAnswers(mini, 'identifiable', { local_authority: 'fife', tools: ['pen'], tools_other: 'a quill' }, 'form');
    const item = mini.parts[0]!.sections[0]!.items[2]!;
    expect(formMessage(item, result.issues![0]!)).toBe('Leave “Label of tools_other” blank unless you select “Option other”');
  });
});

describe('the definition schema keeps a rule’s two ends in one section', () => {
  const refused = (items: Parameters<typeof definitionInput>[0]) => () => defineSurvey(definitionInput(items));

  it('refuses a follow-up whose condition names a later item, another section’s item, or an option not offered', () => {
    expect(refused([textItem('tools_other', { when: { item: 'tools', option: 'other' } }), multiItem('tools', ['pen', 'other'])])).toThrow(
      /items\[0\]\.when: the follow-up condition names "tools", which is not an earlier question of the same section/,
    );
    expect(refused([multiItem('tools', ['pen']), textItem('tools_other', { when: { item: 'tools', option: 'other' } })])).toThrow(
      /names option "other", which "tools" does not offer/,
    );
    expect(refused([multiItem('tools', ['pen']), textItem('tools_other', { when: { item: 'comment', option: 'pen' } })])).toThrow(
      /items\[1\]\.when: .*not an earlier question of the same section/,
    );
  });

  it('refuses a limit that is not an earlier number item, and two "None" options in one question', () => {
    const number = (id: string, extra = {}) => ({ id, kind: 'number', label: id, bounds: { min: 0 }, ...extra });
    expect(refused([number('chaired', { atMost: 'attended' }), number('attended')])).toThrow(
      /items\[0\]\.atMost: atMost names "attended", which is not an earlier number question/,
    );
    expect(refused([textItem('attended'), number('chaired', { atMost: 'attended' })])).toThrow(/items\[1\]\.atMost: .*not an earlier number question/);
    expect(() => defineSurvey(definitionInput([number('attended'), number('chaired', { atMost: 'attended' })]))).not.toThrow();
    const twoNones = {
      id: 'tools',
      kind: 'multi',
      label: 'Tools',
      options: [
        { code: 'none', label: 'None', exclusive: true },
        { code: 'nil', label: 'Nil', exclusive: true },
      ],
    };
    expect(refused([twoNones])).toThrow(/items\[0\]\.options: more than one option is exclusive/);
  });
});
