import type { PartId } from '../survey-definitions/index.js';
import type { TableKind } from './table-types.js';

export interface TableSpec {
  readonly id: string;
  readonly title: string;
  readonly part: PartId;
  readonly kind: TableKind;
  readonly items: readonly string[];
}

const share = (part: PartId, id: string, title: string): TableSpec => ({ id, title, part, kind: 'share', items: [id] });

/**
 * Every table of the instrument's "Analysis tables" section, in the order of the report. Table ids
 * are a public contract (instrument.md); titles follow the report.
 */
const specs: TableSpec[] = [
  // role, registered_sw and hours_basis are not in instrument.md's list, but the report prints their
  // figures ("all were CSWOs ... registered social workers ... employed full-time").
  share('identifiable', 'role', 'Responding as CSWO or designated deputy'),
  share('identifiable', 'registered_sw', 'Registered social worker'),
  share('identifiable', 'urban_rural', 'Council areas by 6-fold urban rural classification'),
  share('identifiable', 'time_in_post', 'Time in post as CSWO'),
  { id: 'pq_awards', title: 'Post-qualifying awards or degrees held', part: 'identifiable', kind: 'share', items: ['pq_awards'] },
  { id: 'portfolio', title: 'Areas within the CSWO operational portfolio', part: 'identifiable', kind: 'matrix-share', items: ['portfolio'] },
  share('identifiable', 'location', 'Where the CSWO post is located'),
  share('identifiable', 'contract', 'CSWO contract'),
  share('identifiable', 'hours_basis', 'Full-time or part-time employment'),
  share('identifiable', 'salary_band', 'CSWO salary'),
  share('identifiable', 'supplement', 'Supplementary payment for the CSWO role'),
  share('identifiable', 'reports_to', 'Whom the CSWO reports to'),
  share('anonymous', 'extra_hours_frequency', 'How often CSWOs work additional hours'),
  share('anonymous', 'extra_hours_band', 'Additional hours worked per week'),
  { id: 'time_share', title: 'Proportion of time on the range of services', part: 'anonymous', kind: 'mean', items: ['time_share'] },
  { id: 'pressure', title: 'Pressure or stress by area of work', part: 'anonymous', kind: 'rating-bands', items: ['pressure'] },
  {
    id: 'groups',
    title: 'Groups, boards and committees attended and chaired',
    part: 'anonymous',
    kind: 'number-summary',
    items: ['groups_involved', 'groups_chaired'],
  },
  share('anonymous', 'admin_support', 'Administrative support'),
  share('anonymous', 'senior_team_member', "Member of the authority's most senior corporate management team"),
  share('anonymous', 'portfolio_changed', 'Operational portfolio changed since coming into post'),
  share('anonymous', 'budget_involvement', 'Involvement in budget setting'),
  { id: 'direct_access', title: 'Direct access to corporate leaders', part: 'anonymous', kind: 'matrix-share', items: ['direct_access'] },
  share('anonymous', 'strategy_support', 'Strategy and performance support for social work'),
  share('anonymous', 'strategy_support_adequate', 'Strategy and performance support is adequate'),
  share('anonymous', 'ld_function', 'Dedicated learning and development function for social work'),
  share('anonymous', 'ld_adequate', 'Learning and development provision is adequate'),
  { id: 'support', title: 'Support accessed by CSWOs during the past year', part: 'anonymous', kind: 'matrix-share', items: ['support'] },
  { id: 'peer_support_likelihood', title: 'Likelihood of using peer support networks', part: 'anonymous', kind: 'share', items: ['peer_support_likelihood'] },
  share('anonymous', 'induction', 'Formal induction into the current role'),
  share('anonymous', 'learning_needs', 'How learning needs are identified'),
  { id: 'resources', title: 'Supports and resources used or intended in the last year', part: 'anonymous', kind: 'share', items: ['resources'] },
];

export const tableCatalogue: readonly TableSpec[] = Object.freeze(specs.map((spec) => Object.freeze(spec)));
