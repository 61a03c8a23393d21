/**
 * Every figure the 2020 report publishes (Social Work Scotland, *Chief Social Work Officer Annual Survey 2020*,
 * 24 March 2021; `../shared/reference/002_59e74bcd85c381ab.txt`), as typed data.
 *
 * One entry per printed number. Each entry names the analysis table cell(s) it comes from, using the table,
 * row and column ids of the instrument's "Analysis tables" section (`../shared/spec/instrument.md`):
 *
 * - single-choice tables, `pq_awards`, `resources` and `peer_support_likelihood`: column `share`;
 * - `portfolio`: columns `all` / `part` / `none`; `direct_access`: `yes` / `no`; `support`: `used` / `intend`;
 * - `pressure`: columns `low` (ratings 1-2) / `high` (4-5); `time_share`: column `mean`, field `mean`;
 * - `groups`: rows `groups_involved` / `groups_chaired`, column `summary`, fields `n` `median` `min` `max` `mean`.
 *
 * More than one row (`rows`) or more than one column (`columns`) means the figure is the SUM of those cells'
 * counts over their common n (the cells must share it): "all or part responsibility" is `portfolio` columns
 * `['all', 'part']`; "working additional hours" is `extra_hours_frequency` rows `['always', 'sometimes']`.
 *
 * `rounding` says how the printed number relates to the exact value computed from the data:
 * - `nearest`: `Math.round(exact)` (percentages, means, medians; counts and n are exact whole numbers);
 * - `truncate`: `Math.floor(exact)` (the report cut the decimals off);
 * - `adjusted`: the report bent the rounded value by one so that a column sums to 100 (or derived a figure from
 *   such a bent value); `platform` is the exact value the data gives;
 * - `inconsistent`: no whole count fits the printed number with its n, or it contradicts another printed
 *   figure; `platform` is the exact value the data was built to give, and `note` explains the choice.
 *
 * `implied` marks figures the report gives in words ("just under a quarter", "about a dozen"): `report` is then
 * the number those words imply, explained in `note`. `role`, `registered_sw` and `hours_basis` are not in the
 * instrument's "Analysis tables" list; the analysis catalogue adds them because the report prints their figures.
 *
 * Figures that are not a table cell at all (a range of contracted hours, a count of comments) are in
 * `reportStatements`; the report's own defects are in `reportInconsistencies`.
 */

export type Wave = '2020-01' | '2020-06';
export type Part = 'identifiable' | 'anonymous';

export type TableId =
  | 'urban_rural'
  | 'time_in_post'
  | 'pq_awards'
  | 'portfolio'
  | 'location'
  | 'contract'
  | 'salary_band'
  | 'supplement'
  | 'reports_to'
  | 'extra_hours_frequency'
  | 'extra_hours_band'
  | 'time_share'
  | 'pressure'
  | 'groups'
  | 'admin_support'
  | 'senior_team_member'
  | 'portfolio_changed'
  | 'budget_involvement'
  | 'direct_access'
  | 'strategy_support'
  | 'strategy_support_adequate'
  | 'ld_function'
  | 'ld_adequate'
  | 'support'
  | 'peer_support_likelihood'
  | 'induction'
  | 'learning_needs'
  | 'resources'
  // Single-choice items outside the instrument's table list, which the analysis catalogue adds.
  | 'role'
  | 'registered_sw'
  | 'hours_basis';

/** The part of the survey each table is computed from. */
export const tablePart: Readonly<Record<TableId, Part>> = {
  urban_rural: 'identifiable',
  time_in_post: 'identifiable',
  pq_awards: 'identifiable',
  portfolio: 'identifiable',
  location: 'identifiable',
  contract: 'identifiable',
  salary_band: 'identifiable',
  supplement: 'identifiable',
  reports_to: 'identifiable',
  role: 'identifiable',
  registered_sw: 'identifiable',
  hours_basis: 'identifiable',
  extra_hours_frequency: 'anonymous',
  extra_hours_band: 'anonymous',
  time_share: 'anonymous',
  pressure: 'anonymous',
  groups: 'anonymous',
  admin_support: 'anonymous',
  senior_team_member: 'anonymous',
  portfolio_changed: 'anonymous',
  budget_involvement: 'anonymous',
  direct_access: 'anonymous',
  strategy_support: 'anonymous',
  strategy_support_adequate: 'anonymous',
  ld_function: 'anonymous',
  ld_adequate: 'anonymous',
  support: 'anonymous',
  peer_support_likelihood: 'anonymous',
  induction: 'anonymous',
  learning_needs: 'anonymous',
  resources: 'anonymous',
};

export type Field = 'pct' | 'count' | 'n' | 'mean' | 'median' | 'min' | 'max';
export type Rounding = 'nearest' | 'truncate' | 'adjusted' | 'inconsistent';

interface FigureBase {
  /** Stable id, e.g. `table3-children_sw-all`. */
  readonly id: string;
  /** Where the report prints it, quoted closely enough to find it. */
  readonly source: string;
  readonly wave: Wave;
  readonly table: TableId;
  /** One column, or several whose counts are summed (same n). */
  readonly columns: readonly [string, ...string[]];
  readonly field: Field;
  /** The number printed in the report (a percentage without the % sign, a count, a mean ...). */
  readonly report: number;
  /** The n printed with it, if any. When given, the data's n for the cell(s) must equal it. */
  readonly reportN?: number;
  /** `report` is the number implied by words ("just under a quarter"); see `note`. */
  readonly implied?: true;
}

/** One row, or several rows of one column whose counts are summed (same n). */
type RowSelection = { readonly row: string; readonly rows?: never } | { readonly rows: readonly [string, string, ...string[]]; readonly row?: never };

type RoundingRule =
  | { readonly rounding: 'nearest' | 'truncate'; readonly platform?: never; readonly note?: string }
  | {
      readonly rounding: 'adjusted' | 'inconsistent';
      /** The exact value (2 decimals) the bundled data gives for this figure. */
      readonly platform: number;
      readonly note: string;
    };

export type PublishedFigure = FigureBase & RowSelection & RoundingRule;

/** The rows a figure sums over (one or more). */
export const rowsOf = (figure: PublishedFigure): readonly string[] => (figure.rows !== undefined ? figure.rows : [figure.row]);

/**
 * Whether the exact value computed from the data (unrounded; a percentage as 0-100) is what the report's
 * figure leads one to expect, by the figure's rounding rule.
 */
export const expectedMatch = (figure: PublishedFigure, exact: number): boolean => {
  const eps = 1e-9;
  switch (figure.rounding) {
    case 'nearest':
      return Math.round(exact + eps) === figure.report;
    case 'truncate':
      return Math.floor(exact + eps) === figure.report;
    case 'adjusted':
      // The data gives `platform`; the report moved its rounded value by at most one point.
      return Math.abs(exact - figure.platform) < 0.006 && Math.abs(Math.round(exact + eps) - figure.report) <= 1;
    case 'inconsistent':
      return Math.abs(exact - figure.platform) < 0.006;
  }
};

/** Whether the n the data gives for the figure's cell(s) matches the n printed with it (if any). */
export const expectedN = (figure: PublishedFigure, n: number): boolean => figure.reportN === undefined || figure.reportN === n;

const T4 = 'Table 4 "Proportion of time on the range of services" (the text calls it table 3)';
const T5 = 'Table 5 "Direct access to corporate leaders" (the text calls it table 4)';
const T6 = 'Table 6 "Support accessed by CSWOs during past year" (the text calls it table 5)';
const T3 = 'Table 3 "Areas within CSWO operational portfolio"';

export const publishedFigures: readonly PublishedFigure[] = [
  // ---------------------------------------------------------------- Outline of study, Table 1 (2020-06, n=21)
  { id: 'table1-large_urban-count', source: 'Table 1: Large urban, 4', wave: '2020-06', table: 'urban_rural', row: 'large_urban', columns: ['share'], field: 'count', report: 4, reportN: 21, rounding: 'nearest' },
  { id: 'table1-large_urban-pct', source: 'Table 1: Large urban, 19%', wave: '2020-06', table: 'urban_rural', row: 'large_urban', columns: ['share'], field: 'pct', report: 19, reportN: 21, rounding: 'nearest' },
  { id: 'table1-other_urban-count', source: 'Table 1: Other urban, 8', wave: '2020-06', table: 'urban_rural', row: 'other_urban', columns: ['share'], field: 'count', report: 8, reportN: 21, rounding: 'nearest' },
  { id: 'table1-other_urban-pct', source: 'Table 1: Other urban, 38%', wave: '2020-06', table: 'urban_rural', row: 'other_urban', columns: ['share'], field: 'pct', report: 38, reportN: 21, rounding: 'nearest' },
  { id: 'table1-accessible_small_towns-count', source: 'Table 1: Accessible small towns, 1', wave: '2020-06', table: 'urban_rural', row: 'accessible_small_towns', columns: ['share'], field: 'count', report: 1, reportN: 21, rounding: 'nearest' },
  { id: 'table1-accessible_small_towns-pct', source: 'Table 1: Accessible small towns, 5%', wave: '2020-06', table: 'urban_rural', row: 'accessible_small_towns', columns: ['share'], field: 'pct', report: 5, reportN: 21, rounding: 'nearest' },
  {
    id: 'table1-remote_small_towns-count',
    source: 'Table 1: "Rural small towns", printed blank',
    wave: '2020-06',
    table: 'urban_rural',
    row: 'remote_small_towns',
    columns: ['share'],
    field: 'count',
    report: 0,
    reportN: 21,
    rounding: 'nearest',
    note: 'The blank cell is read as no council. The 6-fold classification calls the category "Remote small towns"; the report prints "Rural small towns".',
  },
  { id: 'table1-accessible_rural-count', source: 'Table 1: Accessible rural, 5', wave: '2020-06', table: 'urban_rural', row: 'accessible_rural', columns: ['share'], field: 'count', report: 5, reportN: 21, rounding: 'nearest' },
  { id: 'table1-accessible_rural-pct', source: 'Table 1: Accessible rural, 24%', wave: '2020-06', table: 'urban_rural', row: 'accessible_rural', columns: ['share'], field: 'pct', report: 24, reportN: 21, rounding: 'nearest' },
  { id: 'table1-remote_rural-count', source: 'Table 1: Remote rural, 3', wave: '2020-06', table: 'urban_rural', row: 'remote_rural', columns: ['share'], field: 'count', report: 3, reportN: 21, rounding: 'nearest' },
  { id: 'table1-remote_rural-pct', source: 'Table 1: Remote rural, 14%', wave: '2020-06', table: 'urban_rural', row: 'remote_rural', columns: ['share'], field: 'pct', report: 14, reportN: 21, rounding: 'nearest' },
  { id: 'table1-total', source: 'Table 1: Total, 21 (and "Responses ... were received from 21 CSWO", Outline 3)', wave: '2020-06', table: 'urban_rural', row: 'large_urban', columns: ['share'], field: 'n', report: 21, rounding: 'nearest' },

  // ---------------------------------------------------------------- Section 1 ¶2: background (2020-06)
  {
    id: 's1-role-cswo',
    source: 'Section 1 ¶2: "All who completed the surveys were CSWOs – no individual responded as a designated deputy"',
    wave: '2020-06',
    table: 'role',
    row: 'cswo',
    columns: ['share'],
    field: 'pct',
    report: 100,
    rounding: 'nearest',
  },
  {
    id: 's1-registered_sw-yes',
    source: 'Section 1 ¶2: "... and all were registered social workers"',
    wave: '2020-06',
    table: 'registered_sw',
    row: 'yes',
    columns: ['share'],
    field: 'pct',
    report: 100,
    rounding: 'nearest',
  },
  { id: 's1-time_in_post-gt5', source: 'Section 1 ¶2: "From 20 replies, three CSWOs had been in post for more than five years"', wave: '2020-06', table: 'time_in_post', row: 'gt5', columns: ['share'], field: 'count', report: 3, reportN: 20, rounding: 'nearest' },
  { id: 's1-time_in_post-3_5', source: 'Section 1 ¶2: "six between 3-5 years"', wave: '2020-06', table: 'time_in_post', row: '3_5', columns: ['share'], field: 'count', report: 6, reportN: 20, rounding: 'nearest' },
  { id: 's1-time_in_post-1_2', source: 'Section 1 ¶2: "nine for only 1-2 years"', wave: '2020-06', table: 'time_in_post', row: '1_2', columns: ['share'], field: 'count', report: 9, reportN: 20, rounding: 'nearest' },
  { id: 's1-time_in_post-lt1', source: 'Section 1 ¶2: "two had been in post less than a year"', wave: '2020-06', table: 'time_in_post', row: 'lt1', columns: ['share'], field: 'count', report: 2, reportN: 20, rounding: 'nearest' },

  // ---------------------------------------------------------------- Table 2 (2020-06; counts, n not printed)
  { id: 'table2-pq1', source: 'Table 2: PQ1, 3', wave: '2020-06', table: 'pq_awards', row: 'pq1', columns: ['share'], field: 'count', report: 3, rounding: 'nearest' },
  { id: 'table2-pq2', source: 'Table 2: PQ2, 3', wave: '2020-06', table: 'pq_awards', row: 'pq2', columns: ['share'], field: 'count', report: 3, rounding: 'nearest' },
  { id: 'table2-practice_teaching', source: 'Table 2: Practice Teaching Award, 9', wave: '2020-06', table: 'pq_awards', row: 'practice_teaching', columns: ['share'], field: 'count', report: 9, rounding: 'nearest' },
  { id: 'table2-mho', source: 'Table 2: Mental Health Officer Award, 2', wave: '2020-06', table: 'pq_awards', row: 'mho', columns: ['share'], field: 'count', report: 2, rounding: 'nearest' },
  { id: 'table2-child_protection', source: 'Table 2: Certificate in Child Protection, 10', wave: '2020-06', table: 'pq_awards', row: 'child_protection', columns: ['share'], field: 'count', report: 10, rounding: 'nearest' },
  { id: 'table2-criminal_justice', source: 'Table 2: Certificate in Criminal Justice, 1', wave: '2020-06', table: 'pq_awards', row: 'criminal_justice', columns: ['share'], field: 'count', report: 1, rounding: 'nearest' },
  { id: 'table2-advanced_award', source: 'Table 2: Advanced Award, 4', wave: '2020-06', table: 'pq_awards', row: 'advanced_award', columns: ['share'], field: 'count', report: 4, rounding: 'nearest' },
  { id: 'table2-cswo_pgdip', source: 'Table 2: CSWO Postgraduate Diploma, 3', wave: '2020-06', table: 'pq_awards', row: 'cswo_pgdip', columns: ['share'], field: 'count', report: 3, rounding: 'nearest' },
  { id: 'table2-masters', source: 'Table 2: Masters level qualification, 8', wave: '2020-06', table: 'pq_awards', row: 'masters', columns: ['share'], field: 'count', report: 8, rounding: 'nearest' },
  { id: 'table2-phd', source: 'Table 2: PhD, printed blank', wave: '2020-06', table: 'pq_awards', row: 'phd', columns: ['share'], field: 'count', report: 0, rounding: 'nearest', note: 'The blank cell is read as nobody.' },

  // ---------------------------------------------------------------- Table 3 (2020-06), every printed cell
  { id: 'table3-children_sw-all', source: `${T3}: Children's social work (n=21), All of the service area, 81%`, wave: '2020-06', table: 'portfolio', row: 'children_sw', columns: ['all'], field: 'pct', report: 81, reportN: 21, rounding: 'nearest' },
  { id: 'table3-children_sw-part', source: `${T3}: Children's social work (n=21), Part, 5%`, wave: '2020-06', table: 'portfolio', row: 'children_sw', columns: ['part'], field: 'pct', report: 5, reportN: 21, rounding: 'nearest' },
  { id: 'table3-children_sw-none', source: `${T3}: Children's social work (n=21), None, 14%`, wave: '2020-06', table: 'portfolio', row: 'children_sw', columns: ['none'], field: 'pct', report: 14, reportN: 21, rounding: 'nearest' },
  { id: 'table3-children_health-all', source: `${T3}: Children's health (n=18), All, 22%`, wave: '2020-06', table: 'portfolio', row: 'children_health', columns: ['all'], field: 'pct', report: 22, reportN: 18, rounding: 'nearest' },
  { id: 'table3-children_health-part', source: `${T3}: Children's health (n=18), Part, 22%`, wave: '2020-06', table: 'portfolio', row: 'children_health', columns: ['part'], field: 'pct', report: 22, reportN: 18, rounding: 'nearest' },
  { id: 'table3-children_health-none', source: `${T3}: Children's health (n=18), None, 56%`, wave: '2020-06', table: 'portfolio', row: 'children_health', columns: ['none'], field: 'pct', report: 56, reportN: 18, rounding: 'nearest' },
  { id: 'table3-education_early_years-all', source: `${T3}: Education – early years (n=14), All, 0%`, wave: '2020-06', table: 'portfolio', row: 'education_early_years', columns: ['all'], field: 'pct', report: 0, reportN: 14, rounding: 'nearest' },
  { id: 'table3-education_early_years-part', source: `${T3}: Education – early years (n=14), Part, 7%`, wave: '2020-06', table: 'portfolio', row: 'education_early_years', columns: ['part'], field: 'pct', report: 7, reportN: 14, rounding: 'nearest' },
  { id: 'table3-education_early_years-none', source: `${T3}: Education – early years (n=14), None, 93%`, wave: '2020-06', table: 'portfolio', row: 'education_early_years', columns: ['none'], field: 'pct', report: 93, reportN: 14, rounding: 'nearest' },
  { id: 'table3-education_asn-all', source: `${T3}: Education – ASN (n=15), All, 0%`, wave: '2020-06', table: 'portfolio', row: 'education_asn', columns: ['all'], field: 'pct', report: 0, reportN: 15, rounding: 'nearest' },
  { id: 'table3-education_asn-part', source: `${T3}: Education – ASN (n=15), Part, 27%`, wave: '2020-06', table: 'portfolio', row: 'education_asn', columns: ['part'], field: 'pct', report: 27, reportN: 15, rounding: 'nearest' },
  { id: 'table3-education_asn-none', source: `${T3}: Education – ASN (n=15), None, 73%`, wave: '2020-06', table: 'portfolio', row: 'education_asn', columns: ['none'], field: 'pct', report: 73, reportN: 15, rounding: 'nearest' },
  { id: 'table3-adult_sw-all', source: `${T3}: Adult social work (n=15), All, 40%`, wave: '2020-06', table: 'portfolio', row: 'adult_sw', columns: ['all'], field: 'pct', report: 40, reportN: 15, rounding: 'nearest' },
  { id: 'table3-adult_sw-part', source: `${T3}: Adult social work (n=15), Part, 20%`, wave: '2020-06', table: 'portfolio', row: 'adult_sw', columns: ['part'], field: 'pct', report: 20, reportN: 15, rounding: 'nearest' },
  { id: 'table3-adult_sw-none', source: `${T3}: Adult social work (n=15), None, 40%`, wave: '2020-06', table: 'portfolio', row: 'adult_sw', columns: ['none'], field: 'pct', report: 40, reportN: 15, rounding: 'nearest' },
  { id: 'table3-adult_health-all', source: `${T3}: Adult health (n=14), All, 21%`, wave: '2020-06', table: 'portfolio', row: 'adult_health', columns: ['all'], field: 'pct', report: 21, reportN: 14, rounding: 'nearest' },
  { id: 'table3-adult_health-part', source: `${T3}: Adult health (n=14), Part, 29%`, wave: '2020-06', table: 'portfolio', row: 'adult_health', columns: ['part'], field: 'pct', report: 29, reportN: 14, rounding: 'nearest' },
  { id: 'table3-adult_health-none', source: `${T3}: Adult health (n=14), None, 50%`, wave: '2020-06', table: 'portfolio', row: 'adult_health', columns: ['none'], field: 'pct', report: 50, reportN: 14, rounding: 'nearest' },
  { id: 'table3-criminal_justice_sw-all', source: `${T3}: Criminal justice social work (n=19), All, 79%`, wave: '2020-06', table: 'portfolio', row: 'criminal_justice_sw', columns: ['all'], field: 'pct', report: 79, reportN: 19, rounding: 'nearest' },
  { id: 'table3-criminal_justice_sw-part', source: `${T3}: Criminal justice social work (n=19), Part, 16%`, wave: '2020-06', table: 'portfolio', row: 'criminal_justice_sw', columns: ['part'], field: 'pct', report: 16, reportN: 19, rounding: 'nearest' },
  { id: 'table3-criminal_justice_sw-none', source: `${T3}: Criminal justice social work (n=19), None, 5%`, wave: '2020-06', table: 'portfolio', row: 'criminal_justice_sw', columns: ['none'], field: 'pct', report: 5, reportN: 19, rounding: 'nearest' },
  { id: 'table3-quality_assurance-all', source: `${T3}: Quality assurance (n=20), All, 40%`, wave: '2020-06', table: 'portfolio', row: 'quality_assurance', columns: ['all'], field: 'pct', report: 40, reportN: 20, rounding: 'nearest' },
  { id: 'table3-quality_assurance-part', source: `${T3}: Quality assurance (n=20), Part, 55%`, wave: '2020-06', table: 'portfolio', row: 'quality_assurance', columns: ['part'], field: 'pct', report: 55, reportN: 20, rounding: 'nearest' },
  { id: 'table3-quality_assurance-none', source: `${T3}: Quality assurance (n=20), None, 5%`, wave: '2020-06', table: 'portfolio', row: 'quality_assurance', columns: ['none'], field: 'pct', report: 5, reportN: 20, rounding: 'nearest' },
  { id: 'table3-public_protection-all', source: `${T3}: Public protection (n=20), All, 65%`, wave: '2020-06', table: 'portfolio', row: 'public_protection', columns: ['all'], field: 'pct', report: 65, reportN: 20, rounding: 'nearest' },
  { id: 'table3-public_protection-part', source: `${T3}: Public protection (n=20), Part, 30%`, wave: '2020-06', table: 'portfolio', row: 'public_protection', columns: ['part'], field: 'pct', report: 30, reportN: 20, rounding: 'nearest' },
  { id: 'table3-public_protection-none', source: `${T3}: Public protection (n=20), None, 5%`, wave: '2020-06', table: 'portfolio', row: 'public_protection', columns: ['none'], field: 'pct', report: 5, reportN: 20, rounding: 'nearest' },
  { id: 'table3-sw_learning_development-all', source: `${T3}: Social work learning and development (n=21), All, 62%`, wave: '2020-06', table: 'portfolio', row: 'sw_learning_development', columns: ['all'], field: 'pct', report: 62, reportN: 21, rounding: 'nearest' },
  { id: 'table3-sw_learning_development-part', source: `${T3}: Social work learning and development (n=21), Part, 29%`, wave: '2020-06', table: 'portfolio', row: 'sw_learning_development', columns: ['part'], field: 'pct', report: 29, reportN: 21, rounding: 'nearest' },
  {
    id: 'table3-sw_learning_development-none',
    source: `${T3}: Social work learning and development (n=21), None, 9%`,
    wave: '2020-06',
    table: 'portfolio',
    row: 'sw_learning_development',
    columns: ['none'],
    field: 'pct',
    report: 9,
    reportN: 21,
    rounding: 'adjusted',
    platform: 9.52,
    note: '13 + 6 + 2 = 21 gives 61.9 / 28.6 / 9.5 %, which round to 62 + 29 + 10 = 101; the report prints 9 so the row sums to 100. No other counts of 21 give 62 and 29.',
  },
  { id: 'table3-homelessness-all', source: `${T3}: Homelessness (n=14), All, 7%`, wave: '2020-06', table: 'portfolio', row: 'homelessness', columns: ['all'], field: 'pct', report: 7, reportN: 14, rounding: 'nearest' },
  { id: 'table3-homelessness-part', source: `${T3}: Homelessness (n=14), Part, 21%`, wave: '2020-06', table: 'portfolio', row: 'homelessness', columns: ['part'], field: 'pct', report: 21, reportN: 14, rounding: 'nearest' },
  {
    id: 'table3-homelessness-none',
    source: `${T3}: Homelessness (n=14), None, 72%`,
    wave: '2020-06',
    table: 'portfolio',
    row: 'homelessness',
    columns: ['none'],
    field: 'pct',
    report: 72,
    reportN: 14,
    rounding: 'adjusted',
    platform: 71.43,
    note: '1 + 3 + 10 = 14 gives 7.1 / 21.4 / 71.4 %, which round to 7 + 21 + 71 = 99; the report prints 72 so the row sums to 100 (no count of 14 gives 72: 10/14 = 71.4, 11/14 = 78.6).',
  },
  { id: 'table3-welfare_rights-all', source: `${T3}: Welfare rights/anti-poverty (n=14), All, 21%`, wave: '2020-06', table: 'portfolio', row: 'welfare_rights', columns: ['all'], field: 'pct', report: 21, reportN: 14, rounding: 'nearest' },
  { id: 'table3-welfare_rights-part', source: `${T3}: Welfare rights/anti-poverty (n=14), Part, 29%`, wave: '2020-06', table: 'portfolio', row: 'welfare_rights', columns: ['part'], field: 'pct', report: 29, reportN: 14, rounding: 'nearest' },
  { id: 'table3-welfare_rights-none', source: `${T3}: Welfare rights/anti-poverty (n=14), None, 50%`, wave: '2020-06', table: 'portfolio', row: 'welfare_rights', columns: ['none'], field: 'pct', report: 50, reportN: 14, rounding: 'nearest' },

  // ---------------------------------------------------------------- Section 1 ¶4: "all or part" (2020-06)
  { id: 's1-all_or_part-criminal_justice_sw', source: 'Section 1 ¶4: "all or part responsibility ... criminal justice social work (95%; n=19)"', wave: '2020-06', table: 'portfolio', row: 'criminal_justice_sw', columns: ['all', 'part'], field: 'pct', report: 95, reportN: 19, rounding: 'nearest' },
  { id: 's1-all_or_part-public_protection', source: 'Section 1 ¶4: "public protection (95%; n=20)"', wave: '2020-06', table: 'portfolio', row: 'public_protection', columns: ['all', 'part'], field: 'pct', report: 95, reportN: 20, rounding: 'nearest' },
  { id: 's1-all_or_part-children_sw', source: 'Section 1 ¶4: "children\'s services (86%; n=21)"', wave: '2020-06', table: 'portfolio', row: 'children_sw', columns: ['all', 'part'], field: 'pct', report: 86, reportN: 21, rounding: 'nearest' },
  { id: 's1-all_or_part-adult_sw', source: 'Section 1 ¶4: "adult care (60%; n=15)"', wave: '2020-06', table: 'portfolio', row: 'adult_sw', columns: ['all', 'part'], field: 'pct', report: 60, reportN: 15, rounding: 'nearest', note: '"Adult care" is Table 3\'s "Adult social work" row (n=15).' },
  { id: 's1-all_or_part-adult_health', source: 'Section 1 ¶4: "adult health (50%; n=14)"', wave: '2020-06', table: 'portfolio', row: 'adult_health', columns: ['all', 'part'], field: 'pct', report: 50, reportN: 14, rounding: 'nearest' },
  {
    id: 's1-all_or_part-sw_learning_development',
    source: 'Section 1 ¶4: "overall or partly responsible ... social work learning and development (91%; n=21)"',
    wave: '2020-06',
    table: 'portfolio',
    row: 'sw_learning_development',
    columns: ['all', 'part'],
    field: 'pct',
    report: 91,
    reportN: 21,
    rounding: 'adjusted',
    platform: 90.48,
    note: '19/21 = 90.5 % rounds to 90. The 91 is 100 minus Table 3\'s adjusted 9 % "none" (or 62 + 29); no count of 21 gives 91.',
  },
  {
    id: 's1-all_or_part-quality_assurance',
    source: 'Section 1 ¶4: "quality assurance (90%; n=20)"',
    wave: '2020-06',
    table: 'portfolio',
    row: 'quality_assurance',
    columns: ['all', 'part'],
    field: 'pct',
    report: 90,
    reportN: 20,
    rounding: 'inconsistent',
    platform: 95,
    note: 'Contradicts Table 3 (n=20): 40 % all + 55 % part = 95 % (8 + 11 = 19 of 20). The data follows Table 3.',
  },

  // ---------------------------------------------------------------- Section 1 ¶6-8: location, contract, pay (2020-06)
  { id: 's1-location-hscp', source: 'Section 1 ¶6: "From 21 responses, 33% were formally located within the HSCP"', wave: '2020-06', table: 'location', row: 'hscp', columns: ['share'], field: 'pct', report: 33, reportN: 21, rounding: 'nearest' },
  {
    id: 's1-location-council',
    source: 'Section 1 ¶6: "The remaining 66% were located within council directorates"',
    wave: '2020-06',
    table: 'location',
    row: 'council',
    columns: ['share'],
    field: 'pct',
    report: 66,
    reportN: 21,
    rounding: 'truncate',
    note: '14/21 = 66.7 % is printed as 66 (truncated), so 33 + 66 = 99.',
  },
  { id: 's1-contract-permanent', source: 'Section 1 ¶7: "From 21 responses, 86% of CSWOs reported that their position was permanent"', wave: '2020-06', table: 'contract', row: 'permanent', columns: ['share'], field: 'pct', report: 86, reportN: 21, rounding: 'nearest' },
  {
    id: 's1-contract-acting',
    source: 'Section 1 ¶7: "nine per cent were Acting CSWOs"',
    wave: '2020-06',
    table: 'contract',
    row: 'acting',
    columns: ['share'],
    field: 'pct',
    report: 9,
    reportN: 21,
    rounding: 'adjusted',
    platform: 9.52,
    note: '18 + 2 + 1 = 21 gives 85.7 / 9.5 / 4.8 %, rounding to 86 + 10 + 5 = 101; the report prints 9.',
  },
  { id: 's1-contract-temporary', source: 'Section 1 ¶7: "five per cent were in a temporary capacity"', wave: '2020-06', table: 'contract', row: 'temporary', columns: ['share'], field: 'pct', report: 5, reportN: 21, rounding: 'nearest' },
  {
    id: 's1-hours_basis-full_time',
    source: 'Section 1 ¶7: "All were employed full-time"',
    wave: '2020-06',
    table: 'hours_basis',
    row: 'full_time',
    columns: ['share'],
    field: 'pct',
    report: 100,
    rounding: 'nearest',
  },
  { id: 's1-salary-70_79k', source: 'Section 1 ¶7: "£70,000-£79,000 (24%)"', wave: '2020-06', table: 'salary_band', row: '70_79k', columns: ['share'], field: 'pct', report: 24, rounding: 'nearest', note: 'n not printed; the data has n=21 (5/21).' },
  { id: 's1-salary-80_89k', source: 'Section 1 ¶7: "£80,000-£89,000 (33%)"', wave: '2020-06', table: 'salary_band', row: '80_89k', columns: ['share'], field: 'pct', report: 33, rounding: 'nearest', note: 'n=21 in the data (7/21).' },
  { id: 's1-salary-90_99k', source: 'Section 1 ¶7: "£90,000-£99,000 (38%)"', wave: '2020-06', table: 'salary_band', row: '90_99k', columns: ['share'], field: 'pct', report: 38, rounding: 'nearest', note: 'n=21 in the data (8/21).' },
  { id: 's1-salary-100k_plus', source: 'Section 1 ¶7: "Only one CSWOs reported their salary was in excess of £100,000"', wave: '2020-06', table: 'salary_band', row: '100k_plus', columns: ['share'], field: 'count', report: 1, rounding: 'nearest' },
  { id: 's1-supplement-yes', source: 'Section 1 ¶7: "Of the 13 who reported whether the CSWO role included a supplementary payment ... only five noted that a supplement was provided"', wave: '2020-06', table: 'supplement', row: 'yes', columns: ['share'], field: 'count', report: 5, reportN: 13, rounding: 'nearest' },
  { id: 's1-reports_to-chief_officer', source: 'Section 1 ¶8: "Sixty-two per cent reported directly to a Chief Officer, Chief Executive or Chief Operating Officer"', wave: '2020-06', table: 'reports_to', row: 'chief_officer', columns: ['share'], field: 'pct', report: 62, rounding: 'nearest', note: 'n not printed; the data has n=21 (13/21). No n of at most 21 gives 62 / 29 / 9 without adjustment.' },
  { id: 's1-reports_to-executive_director', source: 'Section 1 ¶8: "29% reported to an Executive Director"', wave: '2020-06', table: 'reports_to', row: 'executive_director', columns: ['share'], field: 'pct', report: 29, rounding: 'nearest', note: 'n=21 in the data (6/21).' },
  {
    id: 's1-reports_to-deputy_ce_or_hos',
    source: 'Section 1 ¶8: "The remaining CSWO respondents (9%) reported to either a Deputy Chief Executive or Head of Service"',
    wave: '2020-06',
    table: 'reports_to',
    row: 'deputy_ce_or_hos',
    columns: ['share'],
    field: 'pct',
    report: 9,
    rounding: 'adjusted',
    platform: 9.52,
    note: '13 + 6 + 2 = 21 gives 61.9 / 28.6 / 9.5 %, rounding to 62 + 29 + 10 = 101; the report prints 9 ("the remaining").',
  },

  // ---------------------------------------------------------------- Section 2 ¶1-2: additional hours
  {
    id: 's2-extra_hours-any-2020-06',
    source: 'Section 2 ¶1: "From 20 responses, all were working additional hours each week"',
    wave: '2020-06',
    table: 'extra_hours_frequency',
    rows: ['always', 'sometimes'],
    columns: ['share'],
    field: 'pct',
    report: 100,
    reportN: 20,
    rounding: 'nearest',
  },
  { id: 's2-extra_hours-always-2020-06', source: 'Section 2 ¶1: "all but one replied always"', wave: '2020-06', table: 'extra_hours_frequency', row: 'always', columns: ['share'], field: 'count', report: 19, reportN: 20, rounding: 'nearest' },
  { id: 's2-extra_hours-sometimes-2020-06', source: 'Section 2 ¶1: "with the one respondent replying sometimes"', wave: '2020-06', table: 'extra_hours_frequency', row: 'sometimes', columns: ['share'], field: 'count', report: 1, reportN: 20, rounding: 'nearest' },
  { id: 's2-extra_hours_band-10_20-2020-06', source: 'Section 2 ¶1: "Over three-quarters (78%; n=18) stated they worked between 10-20 hours per week in addition"', wave: '2020-06', table: 'extra_hours_band', row: '10_20', columns: ['share'], field: 'pct', report: 78, reportN: 18, rounding: 'nearest' },
  { id: 's2-extra_hours_band-gt20-2020-06', source: 'Section 2 ¶1: "with 11% regularly working more than 20 additional hours per week"', wave: '2020-06', table: 'extra_hours_band', row: 'gt20', columns: ['share'], field: 'pct', report: 11, reportN: 18, rounding: 'nearest', note: 'n taken to be the same 18 as the 78 %.' },
  {
    id: 's2-extra_hours-any-2020-01',
    source: 'Section 2 ¶2: "an increase from 76% to 100%" (those who work additional hours, Survey 1)',
    wave: '2020-01',
    table: 'extra_hours_frequency',
    rows: ['always', 'sometimes'],
    columns: ['share'],
    field: 'pct',
    report: 76,
    rounding: 'nearest',
    note: 'Survey 1 n not printed. 76 % of at most 27 fits 13/17, 16/21 or 19/25; the data uses 19/25 = 76.0 % (2 of 27 left it blank).',
  },
  {
    id: 's2-extra_hours_band-10_20-2020-01',
    source: 'Section 2 ¶2: "and from 67% to 78%" (10-20 additional hours, Survey 1)',
    wave: '2020-01',
    table: 'extra_hours_band',
    row: '10_20',
    columns: ['share'],
    field: 'pct',
    report: 67,
    rounding: 'nearest',
    note: 'Survey 1 n not printed. 67 % is two thirds; the data uses 16/24 = 66.7 %.',
  },

  // ---------------------------------------------------------------- Table 4: time share means (both waves)
  { id: 'table4-children-2020-01', source: `${T4}: Children's social work ..., survey 1, 26% (n=15)`, wave: '2020-01', table: 'time_share', row: 'children', columns: ['mean'], field: 'mean', report: 26, reportN: 15, rounding: 'nearest' },
  { id: 'table4-children-2020-06', source: `${T4}: Children's social work ..., survey 2, 26% (n=14)`, wave: '2020-06', table: 'time_share', row: 'children', columns: ['mean'], field: 'mean', report: 26, reportN: 14, rounding: 'nearest' },
  { id: 'table4-adults-2020-01', source: `${T4}: Adult social work and social care, adult protection, survey 1, 11% (n=17)`, wave: '2020-01', table: 'time_share', row: 'adults', columns: ['mean'], field: 'mean', report: 11, reportN: 17, rounding: 'nearest' },
  { id: 'table4-adults-2020-06', source: `${T4}: Adult social work and social care, adult protection, survey 2, 11% (n=12)`, wave: '2020-06', table: 'time_share', row: 'adults', columns: ['mean'], field: 'mean', report: 11, reportN: 12, rounding: 'nearest' },
  { id: 'table4-mental_health_awi-2020-01', source: `${T4}: Statutory mental health and Adults with Incapacity, survey 1, 5% (n=17)`, wave: '2020-01', table: 'time_share', row: 'mental_health_awi', columns: ['mean'], field: 'mean', report: 5, reportN: 17, rounding: 'nearest' },
  { id: 'table4-mental_health_awi-2020-06', source: `${T4}: Statutory mental health and Adults with Incapacity, survey 2, 4% (n=12)`, wave: '2020-06', table: 'time_share', row: 'mental_health_awi', columns: ['mean'], field: 'mean', report: 4, reportN: 12, rounding: 'nearest' },
  { id: 'table4-community_justice-2020-01', source: `${T4}: Community justice, offender management, MAPPA ..., survey 1, 10% (n=19)`, wave: '2020-01', table: 'time_share', row: 'community_justice', columns: ['mean'], field: 'mean', report: 10, reportN: 19, rounding: 'nearest' },
  { id: 'table4-community_justice-2020-06', source: `${T4}: Community justice, offender management, MAPPA ..., survey 2, 7% (n=14)`, wave: '2020-06', table: 'time_share', row: 'community_justice', columns: ['mean'], field: 'mean', report: 7, reportN: 14, rounding: 'nearest', note: 'With survey 1\'s 10 %, the "decrease ... (3%) ... criminal justice" of Section 2 ¶4.' },
  { id: 'table4-sds-2020-01', source: `${T4}: Self-directed support implementation, survey 1, 2% (n=15)`, wave: '2020-01', table: 'time_share', row: 'sds', columns: ['mean'], field: 'mean', report: 2, reportN: 15, rounding: 'nearest' },
  { id: 'table4-sds-2020-06', source: `${T4}: Self-directed support implementation, survey 2, 2% (n=11)`, wave: '2020-06', table: 'time_share', row: 'sds', columns: ['mean'], field: 'mean', report: 2, reportN: 11, rounding: 'nearest' },
  { id: 'table4-ijb-2020-01', source: `${T4}: IJB related, survey 1, 6% (n=17)`, wave: '2020-01', table: 'time_share', row: 'ijb', columns: ['mean'], field: 'mean', report: 6, reportN: 17, rounding: 'nearest' },
  { id: 'table4-ijb-2020-06', source: `${T4}: IJB related, survey 2, 6% (n=14)`, wave: '2020-06', table: 'time_share', row: 'ijb', columns: ['mean'], field: 'mean', report: 6, reportN: 14, rounding: 'nearest' },
  { id: 'table4-health-2020-01', source: `${T4}: Health services related, survey 1, 4% (n=15)`, wave: '2020-01', table: 'time_share', row: 'health', columns: ['mean'], field: 'mean', report: 4, reportN: 15, rounding: 'nearest' },
  { id: 'table4-health-2020-06', source: `${T4}: Health services related, survey 2, 7% (n=11)`, wave: '2020-06', table: 'time_share', row: 'health', columns: ['mean'], field: 'mean', report: 7, reportN: 11, rounding: 'nearest', note: 'With survey 1\'s 4 %, the "increase of 3% noted for health related activities" of Section 2 ¶4.' },
  { id: 'table4-workforce_planning-2020-01', source: `${T4}: Workforce planning and delivery, survey 1, 4% (n=16)`, wave: '2020-01', table: 'time_share', row: 'workforce_planning', columns: ['mean'], field: 'mean', report: 4, reportN: 16, rounding: 'nearest' },
  { id: 'table4-workforce_planning-2020-06', source: `${T4}: Workforce planning and delivery, survey 2, 4% (n=14)`, wave: '2020-06', table: 'time_share', row: 'workforce_planning', columns: ['mean'], field: 'mean', report: 4, reportN: 14, rounding: 'nearest' },
  { id: 'table4-workforce_ld-2020-01', source: `${T4}: Workforce learning and development, survey 1, 2% (n=16)`, wave: '2020-01', table: 'time_share', row: 'workforce_ld', columns: ['mean'], field: 'mean', report: 2, reportN: 16, rounding: 'nearest' },
  { id: 'table4-workforce_ld-2020-06', source: `${T4}: Workforce learning and development, survey 2, 4% (n=14)`, wave: '2020-06', table: 'time_share', row: 'workforce_ld', columns: ['mean'], field: 'mean', report: 4, reportN: 14, rounding: 'nearest' },
  { id: 'table4-own_ld-2020-01', source: `${T4}: Your own learning and development, survey 1, 1% (n=14)`, wave: '2020-01', table: 'time_share', row: 'own_ld', columns: ['mean'], field: 'mean', report: 1, reportN: 14, rounding: 'nearest' },
  { id: 'table4-own_ld-2020-06', source: `${T4}: Your own learning and development, survey 2, 2% (n=14)`, wave: '2020-06', table: 'time_share', row: 'own_ld', columns: ['mean'], field: 'mean', report: 2, reportN: 14, rounding: 'nearest' },
  { id: 'table4-governance-2020-01', source: `${T4}: Clinical and social work/care governance, survey 1, 11% (n=17)`, wave: '2020-01', table: 'time_share', row: 'governance', columns: ['mean'], field: 'mean', report: 11, reportN: 17, rounding: 'nearest' },
  { id: 'table4-governance-2020-06', source: `${T4}: Clinical and social work/care governance, survey 2, 8% (n=14)`, wave: '2020-06', table: 'time_share', row: 'governance', columns: ['mean'], field: 'mean', report: 8, reportN: 14, rounding: 'nearest' },
  { id: 'table4-strategic_development-2020-01', source: `${T4}: Strategic development, survey 1, 8% (n=19)`, wave: '2020-01', table: 'time_share', row: 'strategic_development', columns: ['mean'], field: 'mean', report: 8, reportN: 19, rounding: 'nearest' },
  { id: 'table4-strategic_development-2020-06', source: `${T4}: Strategic development, survey 2, 8% (n=14)`, wave: '2020-06', table: 'time_share', row: 'strategic_development', columns: ['mean'], field: 'mean', report: 8, reportN: 14, rounding: 'nearest' },
  { id: 'table4-corporate_groups-2020-01', source: `${T4}: Involvement in corporate groups, survey 1, 9% (n=18)`, wave: '2020-01', table: 'time_share', row: 'corporate_groups', columns: ['mean'], field: 'mean', report: 9, reportN: 18, rounding: 'nearest' },
  { id: 'table4-corporate_groups-2020-06', source: `${T4}: Involvement in corporate groups, survey 2, 10% (n=14)`, wave: '2020-06', table: 'time_share', row: 'corporate_groups', columns: ['mean'], field: 'mean', report: 10, reportN: 14, rounding: 'nearest' },
  { id: 'table4-partnership_groups-2020-01', source: `${T4}: Involvement in partnership groups, survey 1, 8% (n=15)`, wave: '2020-01', table: 'time_share', row: 'partnership_groups', columns: ['mean'], field: 'mean', report: 8, reportN: 15, rounding: 'nearest' },
  { id: 'table4-partnership_groups-2020-06', source: `${T4}: Involvement in partnership groups, survey 2, 8% (n=14)`, wave: '2020-06', table: 'time_share', row: 'partnership_groups', columns: ['mean'], field: 'mean', report: 8, reportN: 14, rounding: 'nearest' },
  { id: 'table4-budgets-2020-01', source: `${T4}: Budgets, survey 1, 5% (n=17)`, wave: '2020-01', table: 'time_share', row: 'budgets', columns: ['mean'], field: 'mean', report: 5, reportN: 17, rounding: 'nearest' },
  { id: 'table4-budgets-2020-06', source: `${T4}: Budgets, survey 2, 6% (n=14)`, wave: '2020-06', table: 'time_share', row: 'budgets', columns: ['mean'], field: 'mean', report: 6, reportN: 14, rounding: 'nearest' },
  { id: 'table4-corporate_functions-2020-01', source: `${T4}: Organisational corporate functions, survey 1, 6% (n=13)`, wave: '2020-01', table: 'time_share', row: 'corporate_functions', columns: ['mean'], field: 'mean', report: 6, reportN: 13, rounding: 'nearest' },
  { id: 'table4-corporate_functions-2020-06', source: `${T4}: Organisational corporate functions, survey 2, 5% (n=14)`, wave: '2020-06', table: 'time_share', row: 'corporate_functions', columns: ['mean'], field: 'mean', report: 5, reportN: 14, rounding: 'nearest' },
  { id: 'table4-inspection_audit-2020-01', source: `${T4}: Inspection/audit requirements, survey 1, 7% (n=18)`, wave: '2020-01', table: 'time_share', row: 'inspection_audit', columns: ['mean'], field: 'mean', report: 7, reportN: 18, rounding: 'nearest' },
  { id: 'table4-inspection_audit-2020-06', source: `${T4}: Inspection/audit requirements, survey 2, 4% (n=14)`, wave: '2020-06', table: 'time_share', row: 'inspection_audit', columns: ['mean'], field: 'mean', report: 4, reportN: 14, rounding: 'nearest' },

  // ---------------------------------------------------------------- Section 2 ¶5 (pressures): the four shifts in high pressure
  { id: 's2-pressure-community_justice-high-2020-01', source: 'Section 2 ¶5 (pressures): "criminal justice, where those recording high pressure reduced from 35%"', wave: '2020-01', table: 'pressure', row: 'community_justice', columns: ['high'], field: 'pct', report: 35, rounding: 'nearest', note: 'n not printed (the pressure table is not printed); the data uses 6/17 = 35.3 %. "Criminal justice" is the community_justice area.' },
  { id: 's2-pressure-community_justice-high-2020-06', source: 'Section 2 ¶5 (pressures): "... to 13%"', wave: '2020-06', table: 'pressure', row: 'community_justice', columns: ['high'], field: 'pct', report: 13, rounding: 'nearest', note: 'n not printed; the data uses 2/15 = 13.3 % (2/16 = 12.5 % would depend on how halves are rounded).' },
  { id: 's2-pressure-sds-high-2020-01', source: 'Section 2 ¶5 (pressures): "self-directed support where those recording high pressure reduced from 31%"', wave: '2020-01', table: 'pressure', row: 'sds', columns: ['high'], field: 'pct', report: 31, rounding: 'nearest', note: 'n not printed; the data uses 5/16 = 31.3 %.' },
  { id: 's2-pressure-sds-high-2020-06', source: 'Section 2 ¶5 (pressures): "... to 0%"', wave: '2020-06', table: 'pressure', row: 'sds', columns: ['high'], field: 'pct', report: 0, rounding: 'nearest', note: 'n not printed; the data uses 0/12.' },
  { id: 's2-pressure-governance-high-2020-01', source: 'Section 2 ¶5 (pressures): "clinical governance where those recording high pressure reduced from 50%"', wave: '2020-01', table: 'pressure', row: 'governance', columns: ['high'], field: 'pct', report: 50, rounding: 'nearest', note: 'n not printed; the data uses 9/18.' },
  { id: 's2-pressure-governance-high-2020-06', source: 'Section 2 ¶5 (pressures): "... to 26%"', wave: '2020-06', table: 'pressure', row: 'governance', columns: ['high'], field: 'pct', report: 26, rounding: 'nearest', note: 'n not printed; with n at most 21 only 5/19 = 26.3 % gives 26.' },
  { id: 's2-pressure-inspection_audit-high-2020-01', source: 'Section 2 ¶5 (pressures): "inspection and audits where those recording high pressure reduced from 47%"', wave: '2020-01', table: 'pressure', row: 'inspection_audit', columns: ['high'], field: 'pct', report: 47, rounding: 'nearest', note: 'n not printed; the data uses 8/17 = 47.1 %.' },
  { id: 's2-pressure-inspection_audit-high-2020-06', source: 'Section 2 ¶5 (pressures): "... to 33%"', wave: '2020-06', table: 'pressure', row: 'inspection_audit', columns: ['high'], field: 'pct', report: 33, rounding: 'nearest', note: 'n not printed; the data uses 5/15.' },

  // ---------------------------------------------------------------- Section 2, links ¶2-3: groups (2020-06)
  {
    id: 's2-groups_involved-median',
    source: 'Links ¶2: "Most respondents reported that they were involved in about a dozen groups on a regular basis"',
    wave: '2020-06',
    table: 'groups',
    row: 'groups_involved',
    columns: ['summary'],
    field: 'median',
    report: 12,
    implied: true,
    rounding: 'nearest',
    note: '"About a dozen" is read as a median of 12 (n not printed; the data has n=15).',
  },
  { id: 's2-groups_involved-min', source: 'Links ¶2: "(range 8 24)"', wave: '2020-06', table: 'groups', row: 'groups_involved', columns: ['summary'], field: 'min', report: 8, rounding: 'nearest' },
  {
    id: 's2-groups_involved-max-range',
    source: 'Links ¶2: "(range 8 24)"',
    wave: '2020-06',
    table: 'groups',
    row: 'groups_involved',
    columns: ['summary'],
    field: 'max',
    report: 24,
    rounding: 'inconsistent',
    platform: 50,
    note: 'The same sentence goes on "with one CSWO mentioning involvement in 50 networks, groups and boards", so the maximum is 50 unless that answer was left out of the range. The data keeps the 50 and puts every other answer in 8-24, the highest of them 24.',
  },
  { id: 's2-groups_involved-max-outlier', source: 'Links ¶2: "with one CSWO mentioning involvement in 50 networks, groups and boards"', wave: '2020-06', table: 'groups', row: 'groups_involved', columns: ['summary'], field: 'max', report: 50, rounding: 'nearest' },
  { id: 's2-groups_chaired-n', source: 'Links ¶3: "most chaired about 6-8 groups (n=14)"', wave: '2020-06', table: 'groups', row: 'groups_chaired', columns: ['summary'], field: 'n', report: 14, rounding: 'nearest' },
  {
    id: 's2-groups_chaired-median',
    source: 'Links ¶3: "most chaired about 6-8 groups (n=14)"',
    wave: '2020-06',
    table: 'groups',
    row: 'groups_chaired',
    columns: ['summary'],
    field: 'median',
    report: 7,
    reportN: 14,
    implied: true,
    rounding: 'nearest',
    note: '"About 6-8" is read as a median of 7, the middle of the range, with most (9 of 14) answers between 6 and 8.',
  },

  // ---------------------------------------------------------------- Administrative support (2020-06), reported twice
  { id: 's2-admin_support-dedicated', source: 'Corporate leaders ¶8: "CSWOs (n=17) were asked about their access to administrative support: 53% had dedicated support"', wave: '2020-06', table: 'admin_support', row: 'dedicated', columns: ['share'], field: 'pct', report: 53, reportN: 17, rounding: 'nearest' },
  { id: 's2-admin_support-shared', source: 'Corporate leaders ¶8: "41% had shared support"', wave: '2020-06', table: 'admin_support', row: 'shared', columns: ['share'], field: 'pct', report: 41, reportN: 17, rounding: 'nearest' },
  { id: 's2-admin_support-none', source: 'Corporate leaders ¶8: "and 6% had no support at all"', wave: '2020-06', table: 'admin_support', row: 'none', columns: ['share'], field: 'pct', report: 6, reportN: 17, rounding: 'nearest' },
  {
    id: 's2-admin_support-none-links',
    source: 'Links ¶5: "21% reported that they had no support and 36% did not say"',
    wave: '2020-06',
    table: 'admin_support',
    row: 'none',
    columns: ['share'],
    field: 'pct',
    report: 21,
    rounding: 'inconsistent',
    platform: 5.88,
    note: 'Contradicts the later paragraph (n=17: 53 % dedicated, 41 % shared, 6 % none). The Links figures fit a base of 14 (3 none, 5 did not say, 6 with support), not the 21 respondents. The data follows the n=17 figures: 1 of 17 has none.',
  },

  // ---------------------------------------------------------------- Involvement with and access to corporate leaders (2020-06)
  { id: 's2-senior_team_member-yes', source: 'Corporate leaders ¶1: "Of those who replied to this question (n=17), 65% replied that they were a member of their authority\'s most senior corporate management team"', wave: '2020-06', table: 'senior_team_member', row: 'yes', columns: ['share'], field: 'pct', report: 65, reportN: 17, rounding: 'nearest' },
  { id: 's2-senior_team_member-no', source: 'Corporate leaders ¶1: "The remaining 35%"', wave: '2020-06', table: 'senior_team_member', row: 'no', columns: ['share'], field: 'pct', report: 35, reportN: 17, rounding: 'nearest' },
  { id: 's2-portfolio_changed-no', source: 'Corporate leaders ¶2: "For just over half (53%), the operational portfolio was the same as when they came into post"', wave: '2020-06', table: 'portfolio_changed', row: 'no', columns: ['share'], field: 'pct', report: 53, rounding: 'nearest', note: 'n not printed; the data uses 9/17 (8/15 or 10/19 would also fit).' },
  { id: 's2-portfolio_changed-yes', source: 'Corporate leaders ¶2: "but the role had changed for a significant minority (47%)"', wave: '2020-06', table: 'portfolio_changed', row: 'yes', columns: ['share'], field: 'pct', report: 47, rounding: 'nearest', note: 'n=17 in the data (8/17).' },
  { id: 's2-budget_involvement-fully', source: 'Corporate leaders ¶3: "Fifty per cent (n=16) reported being fully involved in budget setting processes"', wave: '2020-06', table: 'budget_involvement', row: 'fully', columns: ['share'], field: 'pct', report: 50, reportN: 16, rounding: 'nearest' },
  {
    id: 's2-budget_involvement-some',
    source: 'Corporate leaders ¶3: "Just under half reported they were involved to some degree"',
    wave: '2020-06',
    table: 'budget_involvement',
    row: 'some',
    columns: ['share'],
    field: 'count',
    report: 7,
    reportN: 16,
    implied: true,
    rounding: 'nearest',
    note: '"Just under half" of 16 beside 8 fully and 1 little: 7/16 = 43.8 %.',
  },
  { id: 's2-budget_involvement-little-count', source: 'Corporate leaders ¶3: "only one person (6%) replied they had little involvement"', wave: '2020-06', table: 'budget_involvement', row: 'little', columns: ['share'], field: 'count', report: 1, reportN: 16, rounding: 'nearest' },
  { id: 's2-budget_involvement-little-pct', source: 'Corporate leaders ¶3: "only one person (6%)"', wave: '2020-06', table: 'budget_involvement', row: 'little', columns: ['share'], field: 'pct', report: 6, reportN: 16, rounding: 'nearest' },

  { id: 'table5-chief_executive-yes', source: `${T5}: Direct access to the Chief Executive of the Council (n=17), Yes 94% (and ¶4 "94% (n=17)")`, wave: '2020-06', table: 'direct_access', row: 'chief_executive', columns: ['yes'], field: 'pct', report: 94, reportN: 17, rounding: 'nearest' },
  { id: 'table5-chief_executive-no', source: `${T5}: Direct access to the Chief Executive of the Council (n=17), No 6% (¶4 "the one individual who replied they did not")`, wave: '2020-06', table: 'direct_access', row: 'chief_executive', columns: ['no'], field: 'pct', report: 6, reportN: 17, rounding: 'nearest' },
  { id: 'table5-council_leader-yes', source: `${T5}: Direct access to the Leader of the Council and elected members (n=16), Yes 69% (and ¶4 "Just under three-quarters (69%; n=16)")`, wave: '2020-06', table: 'direct_access', row: 'council_leader', columns: ['yes'], field: 'pct', report: 69, reportN: 16, rounding: 'nearest' },
  { id: 'table5-council_leader-no', source: `${T5}: Direct access to the Leader of the Council and elected members (n=16), No 31%`, wave: '2020-06', table: 'direct_access', row: 'council_leader', columns: ['no'], field: 'pct', report: 31, reportN: 16, rounding: 'nearest' },
  { id: 'table5-ijb_chair-yes', source: `${T5}: Direct access to the Chair of the Integration Joint Board (n=17), Yes 71%`, wave: '2020-06', table: 'direct_access', row: 'ijb_chair', columns: ['yes'], field: 'pct', report: 71, reportN: 17, rounding: 'nearest' },
  { id: 'table5-ijb_chair-no', source: `${T5}: Direct access to the Chair of the Integration Joint Board (n=17), No 29%`, wave: '2020-06', table: 'direct_access', row: 'ijb_chair', columns: ['no'], field: 'pct', report: 29, reportN: 17, rounding: 'nearest' },
  { id: 'table5-ijb_chief_officer-yes', source: `${T5}: Direct access to the Integration Chief Officer (n=17), Yes 94% (and ¶4 "... and to Chief Officers of IJBs")`, wave: '2020-06', table: 'direct_access', row: 'ijb_chief_officer', columns: ['yes'], field: 'pct', report: 94, reportN: 17, rounding: 'nearest' },
  { id: 'table5-ijb_chief_officer-no', source: `${T5}: Direct access to the Integration Chief Officer (n=17), No 6%`, wave: '2020-06', table: 'direct_access', row: 'ijb_chief_officer', columns: ['no'], field: 'pct', report: 6, reportN: 17, rounding: 'nearest' },

  { id: 's2-strategy_support-dedicated', source: 'Corporate leaders ¶5: "Only 24% (n=17) reported having a dedicated strategy and performance team in place"', wave: '2020-06', table: 'strategy_support', row: 'dedicated', columns: ['share'], field: 'pct', report: 24, reportN: 17, rounding: 'nearest' },
  { id: 's2-strategy_support-generic', source: 'Corporate leaders ¶5: "while a further 18% reported they had access to planning and performance support from generic corporate teams"', wave: '2020-06', table: 'strategy_support', row: 'generic', columns: ['share'], field: 'pct', report: 18, reportN: 17, rounding: 'nearest' },
  { id: 's2-strategy_support_adequate-no', source: 'Corporate leaders ¶5: "81% (n=16) did not feel that the support available to social work services was adequate"', wave: '2020-06', table: 'strategy_support_adequate', row: 'no', columns: ['share'], field: 'pct', report: 81, reportN: 16, rounding: 'nearest' },
  {
    id: 's2-ld_function-yes',
    source: 'Corporate leaders ¶6: "Under half (42%; n=17) reported there was a dedicated learning and development function for social work"',
    wave: '2020-06',
    table: 'ld_function',
    row: 'yes',
    columns: ['share'],
    field: 'pct',
    report: 42,
    reportN: 17,
    rounding: 'inconsistent',
    platform: 41.18,
    note: 'No count of 17 gives 42 %: 7/17 = 41.2 %, 8/17 = 47.1 %. The data uses 7/17, the nearest and still "under half".',
  },
  { id: 's2-ld_adequate-no', source: 'Corporate leaders ¶7: "Seventy-one per cent (n=17) did not feel that current provision was adequate"', wave: '2020-06', table: 'ld_adequate', row: 'no', columns: ['share'], field: 'pct', report: 71, reportN: 17, rounding: 'nearest' },

  // ---------------------------------------------------------------- Section 3: support networks (2020-06)
  { id: 'table6-line_manager_supervision-used', source: `${T6}: Formal 1-1 line manager supervision (n=12), Used 92%`, wave: '2020-06', table: 'support', row: 'line_manager_supervision', columns: ['used'], field: 'pct', report: 92, reportN: 12, rounding: 'nearest' },
  { id: 'table6-line_manager_supervision-intend', source: `${T6}: Formal 1-1 line manager supervision (n=12), Intend to use 8%`, wave: '2020-06', table: 'support', row: 'line_manager_supervision', columns: ['intend'], field: 'pct', report: 8, reportN: 12, rounding: 'nearest' },
  { id: 'table6-peer_support-used', source: `${T6}: Peer support (n=14), Used 86%`, wave: '2020-06', table: 'support', row: 'peer_support', columns: ['used'], field: 'pct', report: 86, reportN: 14, rounding: 'nearest' },
  { id: 'table6-peer_support-intend', source: `${T6}: Peer support (n=14), Intend to use 14%`, wave: '2020-06', table: 'support', row: 'peer_support', columns: ['intend'], field: 'pct', report: 14, reportN: 14, rounding: 'nearest' },
  { id: 'table6-mentoring-used', source: `${T6}: Mentoring (n=6), Used 33%`, wave: '2020-06', table: 'support', row: 'mentoring', columns: ['used'], field: 'pct', report: 33, reportN: 6, rounding: 'nearest' },
  { id: 'table6-mentoring-intend', source: `${T6}: Mentoring (n=6), Intend to use 67%`, wave: '2020-06', table: 'support', row: 'mentoring', columns: ['intend'], field: 'pct', report: 67, reportN: 6, rounding: 'nearest' },
  { id: 'table6-job_shadowing-used', source: `${T6}: Job shadowing (n=3), Used, printed blank`, wave: '2020-06', table: 'support', row: 'job_shadowing', columns: ['used'], field: 'count', report: 0, reportN: 3, rounding: 'nearest', note: 'The blank cell is read as nobody (the row\'s other cell is 100 %).' },
  { id: 'table6-job_shadowing-intend', source: `${T6}: Job shadowing (n=3), Intend to use 100%`, wave: '2020-06', table: 'support', row: 'job_shadowing', columns: ['intend'], field: 'pct', report: 100, reportN: 3, rounding: 'nearest' },
  { id: 'table6-professional_membership-used', source: `${T6}: Membership of professional organisations (n=12), Used 92%`, wave: '2020-06', table: 'support', row: 'professional_membership', columns: ['used'], field: 'pct', report: 92, reportN: 12, rounding: 'nearest' },
  { id: 'table6-professional_membership-intend', source: `${T6}: Membership of professional organisations (n=12), Intend to use 8%`, wave: '2020-06', table: 'support', row: 'professional_membership', columns: ['intend'], field: 'pct', report: 8, reportN: 12, rounding: 'nearest' },
  {
    id: 's3-peer_support_likelihood-4_5',
    source: 'Support networks ¶2: "From 14 responses, 79% rated the likeliness of using networks as either 4 or 5"',
    wave: '2020-06',
    table: 'peer_support_likelihood',
    rows: ['4', '5'],
    columns: ['share'],
    field: 'pct',
    report: 79,
    reportN: 14,
    rounding: 'nearest',
  },

  // ---------------------------------------------------------------- Section 3: learning and development (2020-06)
  {
    id: 's3-induction-yes',
    source: 'Learning ¶1: "few CSWOs had received a formal induction ... Just under a quarter (n=13) had received induction"',
    wave: '2020-06',
    table: 'induction',
    row: 'yes',
    columns: ['share'],
    field: 'count',
    report: 3,
    reportN: 13,
    implied: true,
    rounding: 'nearest',
    note: 'Read as: 13 answered and just under a quarter of them said yes, i.e. 3/13 = 23.1 % (2/13 = 15.4 % is not "just under a quarter"). The other reading, that 13 received an induction, contradicts "few".',
  },
  { id: 's3-learning_needs-supervision_appraisal', source: 'Learning ¶3: "Once in post, 50% of CSWOs (n=14) reported that their learning needs were identified either through regular supervision or annual appraisal"', wave: '2020-06', table: 'learning_needs', row: 'supervision_appraisal', columns: ['share'], field: 'pct', report: 50, reportN: 14, rounding: 'nearest' },
  {
    id: 's3-resources-service_users',
    source: 'Learning ¶3: "the main supports and resources CSWOs (n=19) accessed or intended to access included engaging with people who use services (77%)"',
    wave: '2020-06',
    table: 'resources',
    row: 'service_users',
    columns: ['share'],
    field: 'pct',
    report: 77,
    reportN: 19,
    rounding: 'inconsistent',
    platform: 78.95,
    note: 'No count of 19 gives 77 %: 14/19 = 73.7 %, 15/19 = 78.9 %. The data uses 15/19, the nearer, which also keeps it the most used resource as the report lists it first (conferences 74 % = 14/19).',
  },
  { id: 's3-resources-conferences', source: 'Learning ¶3: "conferences and seminars (74%)"', wave: '2020-06', table: 'resources', row: 'conferences', columns: ['share'], field: 'pct', report: 74, reportN: 19, rounding: 'nearest' },
  { id: 's3-resources-solace', source: 'Learning ¶3: "SOLACE (37%)"', wave: '2020-06', table: 'resources', row: 'solace', columns: ['share'], field: 'pct', report: 37, reportN: 19, rounding: 'nearest' },
  { id: 's3-resources-resilience', source: 'Learning ¶3: "resilience resources for social work and social care (26%)"', wave: '2020-06', table: 'resources', row: 'resilience', columns: ['share'], field: 'pct', report: 26, reportN: 19, rounding: 'nearest' },
  { id: 's3-resources-sssk', source: 'Learning ¶3: "Social Services Knowledge Scotland (21%)"', wave: '2020-06', table: 'resources', row: 'sssk', columns: ['share'], field: 'pct', report: 21, reportN: 19, rounding: 'nearest' },
  { id: 's3-resources-reading', source: 'Learning ¶3: "professional articles, books and blogs (63%)"', wave: '2020-06', table: 'resources', row: 'reading', columns: ['share'], field: 'pct', report: 63, reportN: 19, rounding: 'nearest' },
  { id: 's3-resources-research', source: 'Learning ¶3: "their own independent research (53%)"', wave: '2020-06', table: 'resources', row: 'research', columns: ['share'], field: 'pct', report: 53, reportN: 19, rounding: 'nearest' },
];

/**
 * Published statements that are not a cell of an analysis table: ranges, counts of free-text comments,
 * derived differences, and words the instrument has no item for. `status` says how the bundled data
 * relates to each: `reproduced` (the generator checks it), `inconsistent` (the data cannot and does not
 * follow it; see `handling`), or `no-item` (the instrument has no item that could hold it).
 */
export interface ReportStatement {
  readonly id: string;
  readonly source: string;
  readonly wave: Wave | 'both';
  readonly status: 'reproduced' | 'inconsistent' | 'no-item';
  /** How the data reflects the statement, or why it cannot. */
  readonly handling: string;
}

export const reportStatements: readonly ReportStatement[] = [
  { id: 'respondents-2020-01', source: 'Outline ¶2 and Introduction ¶3: "Survey 1 to which 27 CSWO responded"', wave: '2020-01', status: 'reproduced', handling: '27 part-one rows (27 distinct councils) and 27 part-two rows.' },
  { id: 'respondents-2020-06', source: 'Outline ¶3: "Responses (to re-issued survey) were received from 21 CSWO for both parts of the survey"', wave: '2020-06', status: 'reproduced', handling: '21 part-one rows (21 distinct councils) and 21 part-two rows.' },
  { id: 's1-pq-almost-all', source: 'Section 1 ¶2: "Almost all held at least one post-qualifying award or degree"', wave: '2020-06', status: 'reproduced', handling: 'Of the 20 who answered pq_awards, 19 ticked at least one award; one answered and ticked none; one left it blank.' },
  { id: 's1-pq-other', source: 'Section 1 ¶3: "Other awards or degrees listed included ..."', wave: '2020-06', status: 'reproduced', handling: 'The seven awards listed are the pq_awards_other answers of the seven respondents who ticked "other".' },
  { id: 's1-contracted-hours', source: 'Section 1 ¶7: "All were employed full-time and contracted to work between 35-37 hours"', wave: '2020-06', status: 'reproduced', handling: 'All 21 answered contracted_hours; the lowest is 35 and the highest 37.' },
  { id: 's2-extra-40-hours', source: 'Section 2 ¶1: "One CSWO respondent noted that, during COVID-19, an additional 40 hours per week was needed"', wave: '2020-06', status: 'reproduced', handling: 'One pressures_comment says so; it belongs to a respondent in the "more than 20 hours" band.' },
  {
    id: 's2-time-share-slight-changes',
    source: 'Section 2 ¶4: "The only slight changes between Survey 1 and 2 was a decrease in the proportion of time (3%) recorded for activities in relation to criminal justice with an increase of 3% noted for health related activities"',
    wave: 'both',
    status: 'reproduced',
    handling: 'Follows from Table 4: community_justice 10 -> 7, health 4 -> 7 (rounded means). But "the only" is not true of Table 4 itself, see the inconsistencies.',
  },
  { id: 's2-highest-pressures', source: 'Section 2 ¶2 (pressures): "the highest pressures to emerge from both surveys were felt in relation to children\'s and adult services, budgeting and involvement in partnership groups"', wave: 'both', status: 'reproduced', handling: 'In both waves the four areas with the largest share rating 4-5 are children, adults, budgets and partnership_groups.' },
  { id: 's2-cj-comments', source: 'Section 2 ¶5 (pressures): "In terms of criminal justice, 38% (n=16) of respondents in survey 2 commented that although the national debate about the role of Criminal Justice Social Workers was unsettling, it was an area that was working effectively"', wave: '2020-06', status: 'reproduced', handling: 'Read as comments: 16 respondents wrote a pressures_comment and 6 of them (37.5 %, 38 % when halves round up) say this about criminal justice.' },
  { id: 's2-groups-range', source: 'Links ¶2: "about a dozen groups on a regular basis (range 8 24) with one CSWO mentioning involvement in 50"', wave: '2020-06', status: 'reproduced', handling: 'groups_involved: 15 answers, median 12, all but the one 50 between 8 and 24. See the figures for the min/max reading.' },
  { id: 's2-groups-chaired-most', source: 'Links ¶3: "most chaired about 6-8 groups (n=14)"', wave: '2020-06', status: 'reproduced', handling: '9 of the 14 groups_chaired answers are 6, 7 or 8; nobody chairs more groups than they attend.' },
  { id: 's2-protection-chairs', source: 'Links ¶3: "three chaired or co-chaired Adult, Child or Public Protection Committees"', wave: '2020-06', status: 'no-item', handling: 'The instrument records how many groups are chaired, not which.' },
  { id: 's2-reported-into', source: 'Links ¶4: "CSWOs (n=16) reported into ..."; "Of those who commented on frequency (n=12)"', wave: '2020-06', status: 'no-item', handling: 'The instrument has no item for the committees reported into or how often.' },
  { id: 's2-admin-just-under-half', source: 'Links ¶5: "Just under half of respondents reported having administrative support, but this was often shared"', wave: '2020-06', status: 'inconsistent', handling: 'The data follows the later n=17 figures: 16 of 17 (94 %) have dedicated or shared support.' },
  { id: 's2-admin-did-not-say', source: 'Links ¶5: "... and 36% did not say"', wave: '2020-06', status: 'inconsistent', handling: 'With n=17 of 21 answering, 4 of 21 (19.0 %) left admin_support blank; 36 % of 21 is not a whole number (7/21 = 33.3 %, 8/21 = 38.1 %).' },
  { id: 's2-budget-hos', source: 'Corporate leaders ¶3: "one individual replied that this was in relation to their Head of Service role"', wave: '2020-06', status: 'no-item', handling: 'Free-text qualification of an answer; the instrument has no item for it.' },
];

/** Defects of the published report, kept visible rather than "fixed" in the data. */
export interface ReportInconsistency {
  readonly id: string;
  /** What the report prints. */
  readonly text: string;
  /** Why it is inconsistent and what the bundled data does. */
  readonly explanation: string;
  /** The figures or statements this concerns. */
  readonly figures?: readonly string[];
}

export const reportInconsistencies: readonly ReportInconsistency[] = [
  {
    id: 'quality-assurance-90-vs-95',
    text: 'Section 1 ¶4: quality assurance held "overall or partly" by 90% (n=20); Table 3: quality assurance (n=20) 40% all, 55% part, 5% none.',
    explanation: 'Table 3 gives 40 + 55 = 95 % (19 of 20). The two cannot both hold; the data follows Table 3, so the text figure is reproduced as 95 %.',
    figures: ['s1-all_or_part-quality_assurance', 'table3-quality_assurance-all', 'table3-quality_assurance-part'],
  },
  {
    id: 'sw-ld-91',
    text: 'Section 1 ¶4: social work learning and development held overall or partly by 91% (n=21).',
    explanation: 'Table 3 prints 62 % all and 29 % part; the only counts of 21 that fit are 13 and 6, so 19/21 = 90.5 %, which rounds to 90. The 91 is 62 + 29, or 100 minus the adjusted 9 % "none".',
    figures: ['s1-all_or_part-sw_learning_development', 'table3-sw_learning_development-none'],
  },
  {
    id: 'table1-rural-small-towns',
    text: 'Table 1 labels a category "Rural small towns".',
    explanation: 'The Scottish Government 6-fold Urban Rural Classification calls it "Remote small towns" (instrument code remote_small_towns). No council is in it (the row is printed blank), so the data has none.',
    figures: ['table1-remote_small_towns-count'],
  },
  {
    id: 'table1-title',
    text: 'Table 1 is titled "Percent of population in each 6-fold Urban Rural category by Local Authority".',
    explanation: 'The table counts local authorities by the category in which most of their population lives (Outline ¶3), not population percentages.',
  },
  {
    id: 'table-numbering-time-share',
    text: 'Section 2 ¶3 refers to the time-share comparison as "table 3".',
    explanation: 'It is printed as Table 4; Table 3 is the operational portfolio.',
  },
  {
    id: 'pressure-table-not-printed',
    text: 'Section 2 (pressures) ¶1: "Table 4 sets out the responses from both surveys where respondents rated the pressure or stress in that area of work as lowest (rated 1-2) or highest (4 or 5)."',
    explanation: 'No such table is printed (Table 4 is the time share). Only four of its shifts in "high" are given in ¶5, without n. The data uses n that reproduce those four pairs and plausible ratings elsewhere, with children, adults, budgets and partnership groups the most pressured as ¶2 says.',
    figures: ['s2-pressure-community_justice-high-2020-01', 's2-pressure-community_justice-high-2020-06', 's2-pressure-sds-high-2020-01', 's2-pressure-sds-high-2020-06', 's2-pressure-governance-high-2020-01', 's2-pressure-governance-high-2020-06', 's2-pressure-inspection_audit-high-2020-01', 's2-pressure-inspection_audit-high-2020-06'],
  },
  {
    id: 'table-numbering-direct-access',
    text: 'Corporate leaders ¶4 refers to the direct-access table as "table 4".',
    explanation: 'It is printed as Table 5.',
  },
  {
    id: 'table-numbering-support',
    text: 'Section 3, support networks ¶1 refers to the support table as "table 5".',
    explanation: 'It is printed as Table 6.',
  },
  {
    id: 'adjusted-to-100',
    text: 'Several percentages are bent so that their set sums to 100: contract "nine per cent" Acting, reports_to "(9%)" Deputy Chief Executive or Head of Service, Table 3 social work L&D "None" 9% (all three are 2/21 = 9.5 %), Table 3 homelessness "None" 72% (10/14 = 71.4 %).',
    explanation: 'Rounded to the nearest these would be 10, 10, 10 and 71. The data has the counts that fit the other cells of each set exactly; the figures are marked "adjusted".',
    figures: ['s1-contract-acting', 's1-reports_to-deputy_ce_or_hos', 'table3-sw_learning_development-none', 'table3-homelessness-none'],
  },
  {
    id: 'location-66-truncated',
    text: 'Section 1 ¶6: "From 21 responses, 33% were formally located within the HSCP. The remaining 66% ..."',
    explanation: '7/21 = 33.3 % and 14/21 = 66.7 %; 66 is truncated, not rounded (33 + 66 = 99). The data has 7 and 14.',
    figures: ['s1-location-hscp', 's1-location-council'],
  },
  {
    id: 'ld-function-42',
    text: 'Corporate leaders ¶6: "Under half (42%; n=17) reported there was a dedicated learning and development function".',
    explanation: 'No count of 17 gives 42 % (7/17 = 41.2 %, 8/17 = 47.1 %). The data uses 7 of 17.',
    figures: ['s2-ld_function-yes'],
  },
  {
    id: 'resources-service-users-77',
    text: 'Learning ¶3: CSWOs (n=19) ... "engaging with people who use services (77%)".',
    explanation: 'No count of 19 gives 77 % (14/19 = 73.7 %, 15/19 = 78.9 %). The data uses 15 of 19.',
    figures: ['s3-resources-service_users'],
  },
  {
    id: 'admin-support-twice',
    text: 'Links ¶5: "Just under half of respondents reported having administrative support ... 21% reported that they had no support and 36% did not say." Corporate leaders ¶8: "CSWOs (n=17) ...: 53% had dedicated support; 41% had shared support; and 6% had no support at all."',
    explanation: 'The two accounts disagree (94 % vs "just under half" with support; 6 % vs 21 % with none). The first fits a base of 14, the second n=17 of 21. The data follows the second, the only one with an n, so the first is reproduced as 5.9 % none and 4 of 21 (19 %) blank.',
    figures: ['s2-admin_support-none-links', 's2-admin_support-dedicated', 's2-admin_support-shared', 's2-admin_support-none'],
  },
  {
    id: 'groups-range-vs-50',
    text: 'Links ¶2: "about a dozen groups on a regular basis (range 8 24) with one CSWO mentioning involvement in 50 networks, groups and boards".',
    explanation: 'If one answer was 50, the range is 8-50; "8 24" is the range of the other answers. The data has one 50 and all other answers in 8-24, so the maximum is 50 and the "24" figure is marked inconsistent.',
    figures: ['s2-groups_involved-max-range', 's2-groups_involved-max-outlier'],
  },
  {
    id: 'time-share-only-slight-changes',
    text: 'Section 2 ¶4: "The only slight changes between Survey 1 and 2 was a decrease in the proportion of time (3%) recorded for activities in relation to criminal justice with an increase of 3% noted for health related activities."',
    explanation: 'Table 4 also shows clinical and care governance 11 -> 8 and inspection/audit 7 -> 4 (both -3), and workforce learning and development 2 -> 4 (+2). The data reproduces Table 4, so these changes are in it too.',
    figures: ['table4-community_justice-2020-06', 'table4-health-2020-06', 'table4-governance-2020-06', 'table4-inspection_audit-2020-06', 'table4-workforce_ld-2020-06'],
  },
  {
    id: 'time-share-totals',
    text: 'Table 4 "Proportion of time on the range of services": the means sum to 125 % (Survey 1) and 122 % (Survey 2).',
    explanation: 'Each area has its own n, but means summing well over 100 imply that many respondents\' shares total more than 100 %. The instrument therefore shows a running total without enforcing it, and the data has totals over 100 for several respondents.',
  },
  {
    id: 'table3-empty-rows',
    text: 'Table 3 prints two rows with no values: "Quality assurance role only (i.e. No operational responsibilities)" and "All areas of social work".',
    explanation: 'The instrument has no such rows (they are not areas one holds all, part or none of). They are not reproduced.',
  },
  {
    id: 'pressure-sds-wording',
    text: 'Section 2 (pressures) ¶4: "Areas of business which a significant number of CSWOs identified from both surveys as feeling pressurised (in respect of demand on their time) included self-directed support implementation ..."; ¶5: self-directed support high pressure "reduced from 31% to 0%".',
    explanation: 'The paragraph goes on to say these areas were under less pressure, and ¶5 gives 0 % rating SDS 4-5 in Survey 2. The data follows the numbers (0 of 12).',
    figures: ['s2-pressure-sds-high-2020-06'],
  },
  {
    id: 'cj-comments-half',
    text: 'Section 2 ¶5 (pressures): "38% (n=16) of respondents in survey 2 commented that ... [criminal justice] was an area that was working effectively".',
    explanation: '6/16 = 37.5 % exactly: 38 only when halves round up. The n=16 matches no other criminal justice figure (Table 3 n=19, Table 4 n=14); it is read as the number who commented.',
  },
  {
    id: 'induction-n',
    text: 'Learning ¶1: "few CSWOs had received a formal induction ... Just under a quarter (n=13) had received induction".',
    explanation: 'Ambiguous: n=13 is read as the number answering, and "just under a quarter" as 3 of 13 (23 %).',
    figures: ['s3-induction-yes'],
  },
  {
    id: 'deputies',
    text: 'Section 2 introduction: "the operational pressures faced by CSWOs and their designated deputies".',
    explanation: 'Section 1 ¶2 says no deputy responded; all data rows are role = cswo.',
    figures: ['s1-role-cswo'],
  },
  {
    id: 'survey1-n-missing',
    text: 'Section 2 ¶2: additional hours "an increase from 76% to 100% and from 67% to 78%"; ¶5 high pressure shifts.',
    explanation: 'No n is printed for any Survey 1 percentage or any pressure percentage. The data uses n that fit each figure exactly (see the figures\' notes); other n would fit too.',
    figures: ['s2-extra_hours-any-2020-01', 's2-extra_hours_band-10_20-2020-01'],
  },
];
