import type { PartId } from '../survey-definitions/index.js';
import type { Interval } from './statistics/wilson-interval.js';

/** A proportion: `count` of `n` answering; `pct` unrounded, null when n is 0, with its Wilson 95 % interval. */
export interface ShareCell {
  readonly n: number;
  readonly count: number;
  readonly pct: number | null;
  readonly ci: Interval | null;
}

/** A mean of answered values, null when n is 0. */
export interface MeanCell {
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
}

/** A summary of whole numbers (groups attended and chaired). */
export interface SummaryCell {
  readonly n: number;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export type Cell = ShareCell | MeanCell | SummaryCell;

export type Verdict = 'evidence of change' | 'no evidence of change' | 'not comparable';

/** A wave comparison of one cell: this wave minus the compared wave, and an exact or permutation test. */
export interface Change {
  /** Percentage points for proportions, units of the mean for means. Null when a wave has no answers. */
  readonly difference: number | null;
  readonly test: 'fisher-exact' | 'permutation';
  readonly p: number | null;
  readonly verdict: Verdict;
  /** e.g. "67 % (n=24) in 2020-01 to 78 % (n=18) in 2020-06: no evidence of change (Fisher's exact p = 0.49)" */
  readonly statement: string;
}

export interface TableRow {
  readonly id: string;
  readonly label: string;
  readonly cells: Readonly<Record<string, Cell>>;
  /** The same cells in the compared wave, when the item exists in both waves' definitions. */
  readonly compare?: Readonly<Record<string, Cell>>;
  readonly change?: Readonly<Record<string, Change>>;
  /** In a comparison, a row (an option or matrix row) the compared wave's definition lacks: "not asked in 2020-06". */
  readonly notCompared?: string;
}

/** Every kind of table, one builder each (tables/builder-registry.ts); question kinds name their default tables by these strings. */
export const tableKinds = ['share', 'matrix-share', 'mean', 'rating-bands', 'number-summary'] as const;

export type TableKind = (typeof tableKinds)[number];

export interface AnalysisTable {
  readonly id: string;
  readonly title: string;
  readonly part: PartId;
  readonly kind: TableKind;
  /** The items the table is built from. */
  readonly items: readonly string[];
  readonly columns: readonly { readonly id: string; readonly label: string }[];
  readonly rows: readonly TableRow[];
  /** How to read the table: what n counts, what the columns mean. */
  readonly note: string;
  /** The compared wave, when this table was compared. */
  readonly compareWave?: string;
  /**
   * In a comparison, why this table has no compared cells: "not asked in 2020-06" when that wave's
   * definition lacks its item, never zeros or a change computed against nothing.
   */
  readonly notCompared?: string;
}

/** A section of the report: its id (a dashboard page's address), title and its tables' ids in order. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly string[];
}

export interface WaveTables {
  readonly wave: string;
  readonly definition: string;
  readonly respondents: Readonly<Record<PartId, number>>;
  readonly compare?: { readonly wave: string; readonly definition: string; readonly respondents: Readonly<Record<PartId, number>> };
  readonly tables: readonly AnalysisTable[];
  /**
   * The report's sections for these tables, in order: the layout's, then one per definition section
   * holding a question the layout does not place. Absent: the 2020 report's sections (reportOutline).
   */
  readonly sections?: readonly ReportSection[];
  /** Tables of the catalogue that one of the waves cannot give, and why: never silently zero. */
  readonly omitted: readonly { readonly id: string; readonly reason: string }[];
}
