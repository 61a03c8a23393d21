import { describe, expect, it } from 'vitest';
import {
  allItems,
  definitionKey,
  itemsOf,
  kindOf,
  partOf,
  validateAnswers,
  type Item,
  type ItemKind,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { cswoAnnualV1, cswoAnnualV2 } from '../support/definitions.js';

/**
 * `/work/shared/spec/instrument.md`, written out as data: the public contract of item ids and codes.
 * Labels, help and ordering are free; ids, kinds and codes are not. Codes are compared as sets.
 */
interface SpecItem {
  readonly kind: ItemKind;
  readonly codes?: readonly string[];
  readonly rows?: readonly string[];
  readonly columns?: readonly string[];
}

const yesNo = ['yes', 'no'];

/** The 17 areas of `time_share` and `pressure` (report Table 4). */
const areas = [
  'children',
  'adults',
  'mental_health_awi',
  'community_justice',
  'sds',
  'ijb',
  'health',
  'workforce_planning',
  'workforce_ld',
  'own_ld',
  'governance',
  'strategic_development',
  'corporate_groups',
  'partnership_groups',
  'budgets',
  'corporate_functions',
  'inspection_audit',
];

const partOneSpec: Record<string, SpecItem> = {
  name: { kind: 'text' },
  email: { kind: 'email' },
  local_authority: { kind: 'single' }, // 32 council codes, checked on their own below
  role: { kind: 'single', codes: ['cswo', 'deputy'] },
  registered_sw: { kind: 'single', codes: yesNo },
  urban_rural: {
    kind: 'single',
    codes: ['large_urban', 'other_urban', 'accessible_small_towns', 'remote_small_towns', 'accessible_rural', 'remote_rural'],
  },
  time_in_post: { kind: 'single', codes: ['lt1', '1_2', '3_5', 'gt5'] },
  pq_awards: {
    kind: 'multi',
    codes: ['pq1', 'pq2', 'practice_teaching', 'mho', 'child_protection', 'criminal_justice', 'advanced_award', 'cswo_pgdip', 'masters', 'phd', 'other'],
  },
  pq_awards_other: { kind: 'text' },
  portfolio: {
    kind: 'matrix-choice',
    columns: ['all', 'part', 'none'],
    rows: [
      'children_sw',
      'children_health',
      'education_early_years',
      'education_asn',
      'adult_sw',
      'adult_health',
      'criminal_justice_sw',
      'quality_assurance',
      'public_protection',
      'sw_learning_development',
      'homelessness',
      'welfare_rights',
    ],
  },
  oversight_roles: { kind: 'text' },
  location: { kind: 'single', codes: ['hscp', 'council'] },
  contract: { kind: 'single', codes: ['permanent', 'acting', 'temporary'] },
  hours_basis: { kind: 'single', codes: ['full_time', 'part_time'] },
  contracted_hours: { kind: 'number' },
  salary_band: { kind: 'single', codes: ['lt70k', '70_79k', '80_89k', '90_99k', '100k_plus'] },
  supplement: { kind: 'single', codes: ['yes', 'no', 'removed'] },
  reports_to: { kind: 'single', codes: ['chief_officer', 'executive_director', 'deputy_ce_or_hos', 'other'] },
};

const partTwoSpec: Record<string, SpecItem> = {
  extra_hours_frequency: { kind: 'single', codes: ['always', 'sometimes', 'rarely', 'never'] },
  extra_hours_band: { kind: 'single', codes: ['none', 'lt10', '10_20', 'gt20'] },
  time_share: { kind: 'matrix-number', rows: areas },
  pressure: { kind: 'matrix-rating', rows: areas },
  groups_involved: { kind: 'number' },
  groups_chaired: { kind: 'number' },
  admin_support: { kind: 'single', codes: ['dedicated', 'shared', 'none'] },
  senior_team_member: { kind: 'single', codes: yesNo },
  portfolio_changed: { kind: 'single', codes: yesNo },
  budget_involvement: { kind: 'single', codes: ['fully', 'some', 'little'] },
  direct_access: {
    kind: 'matrix-choice',
    columns: yesNo,
    rows: ['chief_executive', 'council_leader', 'ijb_chair', 'ijb_chief_officer'],
  },
  strategy_support: { kind: 'single', codes: ['dedicated', 'generic', 'none'] },
  strategy_support_adequate: { kind: 'single', codes: yesNo },
  ld_function: { kind: 'single', codes: yesNo },
  ld_adequate: { kind: 'single', codes: yesNo },
  support: {
    kind: 'matrix-choice',
    columns: ['used', 'intend'],
    rows: ['line_manager_supervision', 'peer_support', 'mentoring', 'job_shadowing', 'professional_membership'],
  },
  peer_support_likelihood: { kind: 'rating' },
  induction: { kind: 'single', codes: yesNo },
  learning_needs: { kind: 'single', codes: ['supervision_appraisal', 'ad_hoc', 'not_addressed'] },
  resources: { kind: 'multi', codes: ['service_users', 'conferences', 'solace', 'resilience', 'sssk', 'reading', 'research'] },
  pressures_comment: { kind: 'text' },
  sds_challenges: { kind: 'text' },
  promotion_challenges: { kind: 'text' },
  final_reflections: { kind: 'text' },
};

/** Part two of version 2 adds `covid_reflections`. */
const partTwoSpecV2: Record<string, SpecItem> = { ...partTwoSpec, covid_reflections: { kind: 'text' } };

const specOf: Record<number, Record<PartId, Record<string, SpecItem>>> = {
  1: { identifiable: partOneSpec, anonymous: partTwoSpec },
  2: { identifiable: partOneSpec, anonymous: partTwoSpecV2 },
};

const sorted = (list: readonly string[]) => [...list].sort();

const item = (definition: SurveyDefinition, id: string): Item => {
  const found = allItems(definition).find((i) => i.id === id);
  if (!found) throw new Error(`${definitionKey(definition)} has no item ${id}`);
  return found;
};

/** What the contract says of one item, read from the definition. */
const contractOf = (i: Item): SpecItem => ({
  kind: i.kind,
  ...('options' in i && i.id !== 'local_authority' ? { codes: sorted(i.options.map((o) => o.code)) } : {}),
  ...('rows' in i ? { rows: sorted(i.rows.map((r) => r.id)) } : {}),
  ...('columns' in i ? { columns: sorted(i.columns.map((c) => c.code)) } : {}),
});

const expectedContract = (spec: SpecItem): SpecItem => ({
  kind: spec.kind,
  ...(spec.codes ? { codes: sorted(spec.codes) } : {}),
  ...(spec.rows ? { rows: sorted(spec.rows) } : {}),
  ...(spec.columns ? { columns: sorted(spec.columns) } : {}),
});

const versions = [
  [1, cswoAnnualV1],
  [2, cswoAnnualV2],
] as const;

describe.each(versions)('cswo-annual version %i implements instrument.md', (version, definition) => {
  it('is cswo-annual at that version', () => {
    expect(definitionKey(definition)).toBe(`cswo-annual@${version}`);
    expect(definition.parts.map((p) => p.id)).toEqual(['identifiable', 'anonymous']);
  });

  it.each(['identifiable', 'anonymous'] as const)('has exactly the items of the %s part', (partId) => {
    const ids = itemsOf(partOf(definition, partId)).map((i) => i.id);
    expect(sorted(ids)).toEqual(sorted(Object.keys(specOf[version]![partId])));
  });

  it.each(['identifiable', 'anonymous'] as const)('gives every item of the %s part its kind and codes', (partId) => {
    const spec = specOf[version]![partId];
    for (const [id, expected] of Object.entries(spec)) {
      expect({ id, ...contractOf(item(definition, id)) }).toEqual({ id, ...expectedContract(expected) });
    }
  });

  it('offers one local_authority code per Scottish council (32)', () => {
    const localAuthority = item(definition, 'local_authority');
    if (localAuthority.kind !== 'single') throw new Error('local_authority is not a single choice');
    const codes = localAuthority.options.map((o) => o.code);
    expect(codes).toHaveLength(32);
    expect(new Set(codes).size).toBe(32);
    expect(codes).toEqual(expect.arrayContaining(['aberdeen_city', 'glasgow_city', 'orkney_islands']));
    const labels = localAuthority.options.map((o) => o.label);
    expect(labels).toEqual(expect.arrayContaining(['Aberdeen City', 'Glasgow City', 'Orkney Islands', 'City of Edinburgh', 'Highland']));
  });

  it('shares the same 17 areas, in the same order, between time_share and pressure', () => {
    const timeShare = item(definition, 'time_share');
    const pressure = item(definition, 'pressure');
    if (!('rows' in timeShare) || !('rows' in pressure)) throw new Error('time_share and pressure must be matrices');
    expect(timeShare.rows.map((r) => r.id)).toEqual(areas);
    expect(pressure.rows).toEqual(timeShare.rows);
  });

  it('bounds contracted_hours to 0-60, decimals allowed', () => {
    expect(item(definition, 'contracted_hours')).toMatchObject({ kind: 'number', bounds: { min: 0, max: 60, integer: false } });
    const check = (contracted_hours: unknown) => validateAnswers(definition, 'identifiable', { local_authority: 'fife', contracted_hours });
    expect(check(0).ok).toBe(true);
    expect(check(37.5)).toEqual({ ok: true, value: { local_authority: 'fife', contracted_hours: 37.5 } });
    expect(check(60).ok).toBe(true);
    expect(check(60.5)).toMatchObject({ ok: false, issues: [{ path: 'contracted_hours', rule: 'range', expected: 'a number 0-60' }] });
    expect(check(-1)).toMatchObject({ ok: false, issues: [{ path: 'contracted_hours', rule: 'range' }] });
  });

  it('bounds the groups to whole numbers of at least 0, with no maximum', () => {
    for (const id of ['groups_involved', 'groups_chaired']) {
      const groups = item(definition, id);
      expect(groups).toMatchObject({ kind: 'number', bounds: { min: 0, integer: true } });
      expect('bounds' in groups && groups.bounds.max).toBeUndefined();
      expect(validateAnswers(definition, 'anonymous', { [id]: 250 })).toEqual({ ok: true, value: { [id]: 250 } });
      expect(validateAnswers(definition, 'anonymous', { [id]: -1 })).toMatchObject({ ok: false, issues: [{ path: id, rule: 'range' }] });
      expect(validateAnswers(definition, 'anonymous', { [id]: 2.5 })).toMatchObject({ ok: false, issues: [{ path: id, rule: 'integer' }] });
    }
  });

  it('rates peer_support_likelihood and pressure from 1 to 5', () => {
    expect(item(definition, 'peer_support_likelihood')).toMatchObject({ kind: 'rating', scale: { min: 1, max: 5 } });
    expect(item(definition, 'pressure')).toMatchObject({ kind: 'matrix-rating', scale: { min: 1, max: 5 } });
    const result = validateAnswers(definition, 'anonymous', {
      peer_support_likelihood: 6,
      pressure: { children: 0, adults: 5, budgets: 1, sds: 7 },
    });
    expect(result.issues?.map((i) => [i.path, i.rule, i.expected])).toEqual([
      ['pressure.children', 'range', 'a rating 1-5'],
      ['pressure.sds', 'range', 'a rating 1-5'],
      ['peer_support_likelihood', 'range', 'a rating 1-5'],
    ]);
  });

  it('takes time_share as numbers 0-100 and does not insist on a total of 100', () => {
    expect(item(definition, 'time_share')).toMatchObject({ kind: 'matrix-number', bounds: { min: 0, max: 100 } });
    expect(validateAnswers(definition, 'anonymous', { time_share: { children: 80, adults: 50, budgets: 12.5 } })).toEqual({
      ok: true,
      value: { time_share: { children: 80, adults: 50, budgets: 12.5 } },
    });
    expect(validateAnswers(definition, 'anonymous', { time_share: { children: 101 } })).toMatchObject({
      ok: false,
      issues: [{ path: 'time_share.children', rule: 'range', expected: 'a number 0-100' }],
    });
    expect(validateAnswers(definition, 'anonymous', { time_share: { children: -5 } }).ok).toBe(false);
  });

  it('makes only local_authority required always, and name and email required on the form', () => {
    const required = allItems(definition)
      .filter((i) => i.required !== 'never')
      .map((i) => [i.id, i.required]);
    expect(required).toEqual([
      ['name', 'on-form'],
      ['email', 'on-form'],
      ['local_authority', 'always'],
    ]);
  });

  it('marks name, email and local_authority as identifying, and nothing in part two', () => {
    expect(
      itemsOf(partOf(definition, 'identifiable'))
        .filter((i) => i.identifying)
        .map((i) => i.id),
    ).toEqual(['name', 'email', 'local_authority']);
    expect(itemsOf(partOf(definition, 'anonymous')).filter((i) => i.identifying || i.required !== 'never')).toEqual([]);
  });

  it('names CSV columns as the conventions say', () => {
    const columns = (id: string) => {
      const i = item(definition, id);
      return kindOf(i).columns(i);
    };
    expect(columns('local_authority')).toEqual(['local_authority']);
    expect(columns('pq_awards')).toHaveLength(11);
    expect(columns('pq_awards')).toContain('pq_awards.practice_teaching');
    expect(columns('pq_awards_other')).toEqual(['pq_awards_other']);
    expect(columns('resources')).toContain('resources.sssk');
    expect(columns('portfolio')).toContain('portfolio.welfare_rights');
    expect(columns('pressure')).toHaveLength(17);
    expect(columns('pressure')[0]).toBe('pressure.children');
    expect(columns('direct_access')).toEqual([
      'direct_access.chief_executive',
      'direct_access.council_leader',
      'direct_access.ijb_chair',
      'direct_access.ijb_chief_officer',
    ]);
  });
});

describe('cswo-annual across versions', () => {
  it('has covid_reflections, a part-two text, only in version 2', () => {
    expect(allItems(cswoAnnualV1).some((i) => i.id === 'covid_reflections')).toBe(false);
    expect(itemsOf(partOf(cswoAnnualV2, 'anonymous')).find((i) => i.id === 'covid_reflections')).toMatchObject({
      kind: 'text',
      required: 'never',
      identifying: false,
    });
    expect(itemsOf(partOf(cswoAnnualV2, 'identifiable')).some((i) => i.id === 'covid_reflections')).toBe(false);
  });

  it('shares part one between the versions unchanged', () => {
    expect(partOf(cswoAnnualV2, 'identifiable')).toEqual(partOf(cswoAnnualV1, 'identifiable'));
  });
});
