import { describe, expect, it } from 'vitest';
import { defineSurvey, describeIssue, isUnanswered, itemsOf, partOf, validateAnswers, type ValidationContext } from '../../survey-definitions/index.js';
import { definitionInput, matrixChoiceItem, multiItem, singleItem, textItem } from './fixtures.js';
import { cswoAnnualV1, cswoAnnualV2 } from '../support/definitions.js';

const contexts: ValidationContext[] = ['import', 'form'];

const requiredIssue = (item: string) => ({
  item,
  path: item,
  rule: 'required',
  expected: 'an answer (this question is required)',
});

describe('validateAnswers: unknown items', () => {
  it('refuses an item id the definition does not have', () => {
    const result = validateAnswers(cswoAnnualV2, 'identifiable', { local_authority: 'fife', favourite_colour: 'red' });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          item: 'favourite_colour',
          path: 'favourite_colour',
          rule: 'unknown-item',
          expected: 'an item of the identifiable part of cswo-annual@2',
          got: 'favourite_colour',
        },
      ],
    });
  });

  it('refuses an item of the other part', () => {
    const one = validateAnswers(cswoAnnualV2, 'identifiable', { local_authority: 'fife', pressure: { children: 3 } });
    expect(one).toMatchObject({ ok: false, issues: [{ item: 'pressure', rule: 'unknown-item' }] });
    expect(one.issues).toHaveLength(1);

    const two = validateAnswers(cswoAnnualV2, 'anonymous', { local_authority: 'fife', name: 'A Person', induction: 'yes' });
    expect(two.ok).toBe(false);
    expect(two.issues?.map((i) => [i.item, i.rule, i.expected])).toEqual([
      ['local_authority', 'unknown-item', 'an item of the anonymous part of cswo-annual@2'],
      ['name', 'unknown-item', 'an item of the anonymous part of cswo-annual@2'],
    ]);
  });

  it('refuses covid_reflections against version 1, where it does not exist, and accepts it in version 2', () => {
    const answers = { covid_reflections: 'Everything changed.' };
    expect(validateAnswers(cswoAnnualV1, 'anonymous', answers)).toMatchObject({
      ok: false,
      issues: [{ item: 'covid_reflections', rule: 'unknown-item', expected: 'an item of the anonymous part of cswo-annual@1' }],
    });
    expect(validateAnswers(cswoAnnualV2, 'anonymous', answers)).toEqual({ ok: true, value: answers });
  });

  it('refuses a flattened CSV column name: answers are keyed by item id', () => {
    const result = validateAnswers(cswoAnnualV2, 'identifiable', { local_authority: 'fife', 'pq_awards.pq1': '1' });
    expect(result).toMatchObject({ ok: false, issues: [{ item: 'pq_awards.pq1', rule: 'unknown-item' }] });
  });
});

describe('validateAnswers: required items', () => {
  it.each(contexts)('refuses a blank local_authority (required always) in context %s', (context) => {
    for (const blank of [undefined, null, '', {}]) {
      const input = blank === undefined ? {} : { local_authority: blank };
      expect(validateAnswers(cswoAnnualV2, 'identifiable', input, context)).toEqual({
        ok: false,
        issues: [
          requiredIssue('local_authority'),
          // the form also wants name and email
          ...(context === 'form' ? [requiredIssue('name'), requiredIssue('email')] : []),
        ].sort((a, b) => order(a.item) - order(b.item)),
      });
    }
  });

  it('requires name and email only on the form', () => {
    const input = { local_authority: 'fife' };
    expect(validateAnswers(cswoAnnualV2, 'identifiable', input, 'form')).toEqual({
      ok: false,
      issues: [requiredIssue('name'), requiredIssue('email')],
    });
    expect(validateAnswers(cswoAnnualV2, 'identifiable', input, 'import')).toEqual({ ok: true, value: input });
  });

  it('defaults to the import context, where name and email may be blank', () => {
    expect(validateAnswers(cswoAnnualV2, 'identifiable', { local_authority: 'fife' })).toEqual({
      ok: true,
      value: { local_authority: 'fife' },
    });
  });

  it('accepts a complete form', () => {
    const input = { name: 'Alex Morgan', email: 'alex.morgan@fife.gov.uk', local_authority: 'fife' };
    expect(validateAnswers(cswoAnnualV2, 'identifiable', input, 'form')).toEqual({ ok: true, value: input });
  });

  it('still checks a required answer that is given', () => {
    expect(validateAnswers(cswoAnnualV2, 'identifiable', { local_authority: 'atlantis' }, 'import')).toEqual({
      ok: false,
      issues: [
        {
          item: 'local_authority',
          path: 'local_authority',
          rule: 'code',
          expected: expect.stringMatching(/^one of aberdeen_city, aberdeenshire, .*, west_lothian$/),
          got: 'atlantis',
        },
      ],
    });
  });

  it('requires nothing in part two', () => {
    for (const context of contexts) {
      expect(validateAnswers(cswoAnnualV2, 'anonymous', {}, context)).toEqual({ ok: true, value: {} });
    }
  });

  it('refuses a required matrix whose rows are all blank, as it refuses {}', () => {
    const definition = defineSurvey(definitionInput([matrixChoiceItem('portfolio', ['a', 'b'], ['all', 'none'], { required: 'always' })]));
    for (const blankRows of [{}, { a: '' }, { a: null, b: '' }]) {
      expect(validateAnswers(definition, 'identifiable', { portfolio: blankRows }, 'import')).toEqual({
        ok: false,
        issues: [requiredIssue('portfolio')],
      });
    }
    expect(validateAnswers(definition, 'identifiable', { portfolio: { b: 'none' } }, 'import')).toEqual({
      ok: true,
      value: { portfolio: { b: 'none' } },
    });
  });

  it('counts an empty list as an answer to a required multiple choice', () => {
    const definition = defineSurvey(definitionInput([multiItem('awards', ['a', 'b'], { required: 'on-form' })]));
    expect(validateAnswers(definition, 'identifiable', { awards: [] }, 'form')).toEqual({ ok: true, value: { awards: [] } });
    expect(validateAnswers(definition, 'identifiable', {}, 'form')).toEqual({ ok: false, issues: [requiredIssue('awards')] });
    expect(validateAnswers(definition, 'identifiable', {}, 'import')).toEqual({ ok: true, value: {} });
  });
});

const v2PartOneOrder = itemsOf(partOf(cswoAnnualV2, 'identifiable')).map((i) => i.id);
const order = (id: string) => v2PartOneOrder.indexOf(id);

describe('validateAnswers: results', () => {
  it('reports every issue at once: unknown items first, then items in definition order', () => {
    const result = validateAnswers(
      cswoAnnualV2,
      'identifiable',
      {
        extra_column: 'x',
        reports_to: 'the_queen',
        local_authority: 'atlantis',
        role: 'boss',
        contracted_hours: 99,
        pq_awards: ['pq1', 'pq9'],
        portfolio: { children_sw: 'most', zoo: 'all', adult_sw: 'all' },
        email: 'nobody',
        registered_sw: 'yes',
      },
      'form',
    );
    expect(result.ok).toBe(false);
    expect(result.issues?.map((i) => [i.path, i.rule])).toEqual([
      ['extra_column', 'unknown-item'],
      ['name', 'required'],
      ['email', 'email'],
      ['local_authority', 'code'],
      ['role', 'code'],
      ['pq_awards', 'code'],
      ['portfolio.zoo', 'row'],
      ['portfolio.children_sw', 'code'],
      ['contracted_hours', 'range'],
      ['reports_to', 'code'],
    ]);
    expect(result.issues?.find((i) => i.path === 'portfolio.zoo')?.item).toBe('portfolio');
    expect(result.issues?.find((i) => i.path === 'contracted_hours')).toEqual({
      item: 'contracted_hours',
      path: 'contracted_hours',
      rule: 'range',
      expected: 'a number 0-60',
      got: 99,
    });
    expect('value' in result).toBe(false);
  });

  it('returns the answers normalised and in definition order, whatever order they came in', () => {
    const result = validateAnswers(cswoAnnualV2, 'identifiable', {
      reports_to: 'other',
      contracted_hours: '37.5',
      pq_awards: ['other', 'pq1'],
      portfolio: { welfare_rights: 'none', children_sw: 'all', homelessness: '' },
      local_authority: 'glasgow_city',
      name: 'Sam Reid',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Sam Reid',
        local_authority: 'glasgow_city',
        pq_awards: ['pq1', 'other'],
        portfolio: { children_sw: 'all', welfare_rights: 'none' },
        contracted_hours: 37.5,
        reports_to: 'other',
      },
    });
    expect(Object.keys(result.ok ? result.value : {})).toEqual(['name', 'local_authority', 'pq_awards', 'portfolio', 'contracted_hours', 'reports_to']);
    expect(Object.keys((result.ok && result.value.portfolio) as object)).toEqual(['children_sw', 'welfare_rights']);
  });

  it("treats '', null, undefined and {} as unanswered, but [] as answered", () => {
    const result = validateAnswers(cswoAnnualV2, 'identifiable', {
      local_authority: 'orkney_islands',
      role: '',
      registered_sw: null,
      urban_rural: undefined,
      portfolio: {},
      pq_awards: [],
    });
    expect(result).toEqual({ ok: true, value: { local_authority: 'orkney_islands', pq_awards: [] } });
    expect(Object.keys(result.ok ? result.value : {})).not.toContain('urban_rural');
  });

  it('leaves out a matrix whose rows are all blank', () => {
    const result = validateAnswers(cswoAnnualV2, 'anonymous', { pressure: { children: '', adults: null }, induction: 'no' });
    expect(result).toEqual({ ok: true, value: { induction: 'no' } });
  });

  it('accepts a full part two and normalises it', () => {
    const result = validateAnswers(cswoAnnualV2, 'anonymous', {
      extra_hours_frequency: 'always',
      time_share: { children: '50', adults: 60 },
      pressure: { children: '5', budgets: 4 },
      groups_involved: '12',
      groups_chaired: 3,
      direct_access: { chief_executive: 'yes', ijb_chair: 'no' },
      support: { peer_support: 'used' },
      peer_support_likelihood: '4',
      resources: ['research', 'solace'],
      covid_reflections: 'A hard year.',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        extra_hours_frequency: 'always',
        time_share: { children: 50, adults: 60 },
        pressure: { children: 5, budgets: 4 },
        groups_involved: 12,
        groups_chaired: 3,
        direct_access: { chief_executive: 'yes', ijb_chair: 'no' },
        covid_reflections: 'A hard year.',
        support: { peer_support: 'used' },
        peer_support_likelihood: 4,
        resources: ['solace', 'research'],
      },
    });
  });

  it('does not alter its input', () => {
    const input = { local_authority: 'fife', pq_awards: ['other', 'pq1'], contracted_hours: '35' };
    const copy = structuredClone(input);
    validateAnswers(cswoAnnualV2, 'identifiable', input);
    expect(input).toEqual(copy);
  });

  it('refuses a part the definition does not have', () => {
    expect(() => validateAnswers(cswoAnnualV2, 'secret' as never, {})).toThrow('cswo-annual@2 has no part "secret"');
  });

  it('works on a hand-made definition as on the published one', () => {
    const definition = defineSurvey(definitionInput([textItem('who', { identifying: true, required: 'on-form' }), singleItem('colour', ['red', 'blue'])]));
    expect(validateAnswers(definition, 'identifiable', { colour: 'green' }, 'form')).toEqual({
      ok: false,
      issues: [requiredIssue('who'), { item: 'colour', path: 'colour', rule: 'code', expected: 'one of red, blue', got: 'green' }],
    });
  });
});

describe('isUnanswered', () => {
  it.each([[undefined], [null], [''], [' '], ['\n\t'], [{}]])('%j is unanswered', (value) => {
    expect(isUnanswered(value)).toBe(true);
  });
  it.each([[[]], [0], [' x '], ['0'], [false], [{ a: '' }]])('%j is an answer (to be checked)', (value) => {
    expect(isUnanswered(value)).toBe(false);
  });
});

describe('describeIssue', () => {
  it('names the path, what was expected and what was given', () => {
    expect(describeIssue({ path: 'pressure.children', rule: 'range', expected: 'a rating 1-5', got: '7' })).toBe(
      'pressure.children: expected a rating 1-5, got "7"',
    );
  });

  it('says when nothing was given', () => {
    const [issue] = validateAnswers(cswoAnnualV2, 'identifiable', {}).issues ?? [];
    expect(describeIssue(issue!)).toBe('local_authority: expected an answer (this question is required), but it is empty');
  });

  it('can show a value other than the one in the issue', () => {
    expect(describeIssue({ path: 'role', rule: 'code', expected: 'one of cswo, deputy', got: 'x' }, 'boss')).toBe(
      'role: expected one of cswo, deputy, got "boss"',
    );
  });
});
