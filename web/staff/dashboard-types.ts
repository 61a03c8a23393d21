import type { DisplayTable } from '../../analysis/index.js';

/** One table of a dashboard: its figures, its chart and where to download both. */
export interface DashboardTable {
  readonly number: number;
  readonly anchor: string;
  readonly table: DisplayTable;
  readonly chart: {
    readonly svg: string;
    readonly spec: string;
    readonly label: string;
    /** When there is nothing to draw (every figure suppressed, or no answers): the sentence shown instead. */
    readonly sentence?: string;
  };
  readonly downloads: readonly { readonly href: string; readonly text: string }[];
}

export interface DashboardSection {
  readonly id: string;
  readonly title: string;
  readonly tables: readonly DashboardTable[];
}

/** A section in the dashboard's contents: its page, and its tables with where each is on that page. */
export interface DashboardContentsSection {
  readonly id: string;
  readonly title: string;
  readonly href: string;
  readonly tables: readonly { readonly number: number; readonly title: string; readonly href: string }[];
}

export interface WaveSummary {
  readonly id: string;
  readonly name: string;
  readonly fielded: string;
  readonly partOne: number;
  readonly partTwo: number;
}

export type { FieldProblem } from '../layout/field-problem.js';

/** When two waves are compared: the cells whose test found evidence of change, and how many were tested. */
export interface ChangeSummaryView {
  readonly tested: number;
  readonly hidden: number;
  readonly findings: readonly {
    number: number;
    tableTitle: string;
    row: string;
    column?: string;
    statement: string;
    suppressedInPublic?: true;
    href: string;
  }[];
}
