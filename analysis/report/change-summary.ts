import type { ProtectedTable, ProtectedWaveTables } from '../disclosure/disclosure-types.js';
import { outlineTables } from './report-outline.js';

/** One cell of a comparison whose test found evidence of change. */
export interface ChangeFinding {
  readonly tableId: string;
  /** The table's number in the report's order, as on the dashboard and in the draft report. */
  readonly number: number;
  readonly sectionId: string;
  readonly tableTitle: string;
  readonly row: string;
  /** The answer column, for a table with several (all / part / none). */
  readonly column?: string;
  /** "52% (n=27) in 2020-01 to 81% (n=21) in 2020-06: evidence of change (Fisher's exact p = 0.04)" */
  readonly statement: string;
  /** Analyst view: a public table suppresses this change, so it cannot be published as it is. */
  readonly suppressedInPublic?: true;
}

export interface ChangeSummary {
  /** Comparisons with a test result shown (not suppressed, both waves answered). */
  readonly tested: number;
  /** Comparisons a public table does not show, because a figure of them is suppressed. */
  readonly hidden: number;
  readonly findings: readonly ChangeFinding[];
}

/**
 * What changed between the two waves of a comparison: every cell whose test found evidence of change,
 * in the report's order, with how many were tested, since at p < 0.05 about one test in twenty finds
 * "evidence" by chance alone. Works on protected tables, so the public view lists nothing suppressed.
 */
export const changeSummary = (tables: Pick<ProtectedWaveTables, 'tables' | 'sections'>): ChangeSummary => {
  let tested = 0;
  let hidden = 0;
  const findings: ChangeFinding[] = [];
  for (const section of outlineTables<ProtectedTable>(tables.tables, tables.sections)) {
    for (const { number, table } of section.tables) {
      for (const row of table.rows) {
        for (const column of table.columns) {
          const change = row.change?.[column.id];
          if (!change) continue;
          if (change.verdict === null) {
            hidden++;
            continue;
          }
          if (change.verdict === 'not comparable') continue;
          tested++;
          if (change.verdict !== 'evidence of change') continue;
          findings.push({
            tableId: table.id,
            number,
            sectionId: section.id,
            tableTitle: table.title,
            row: row.label,
            ...(table.columns.length > 1 ? { column: column.label } : {}),
            statement: change.statement,
            ...(change.suppressed ? { suppressedInPublic: true as const } : {}),
          });
        }
      }
    }
  }
  return { tested, hidden, findings };
};
