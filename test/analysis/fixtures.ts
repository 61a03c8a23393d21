import { expect } from 'vitest';
import type { AnalysisTable, Cell, MeanCell, ShareCell, SummaryCell, WaveResponses, WaveTables } from '../../analysis/index.js';
import { findDefinition, validateAnswers, type Answers, type SurveyDefinition } from '../../survey-definitions/index.js';
import { councils } from '../../survey-definitions/cswo-annual/councils.js';

/** Hand-made answers for the analysis tests, checked against the real definitions first. */

export const WAVE_1 = '2020-01';
export const WAVE_2 = '2020-06';

const published = (version: number): SurveyDefinition => {
  const definition = findDefinition({ id: 'cswo-annual', version });
  if (!definition) throw new Error(`cswo-annual@${version} is not published`);
  return definition;
};

export const v1 = published(1);
export const v2 = published(2);

/**
 * Each answer set must be valid for its part (so the tests never feed the analysis something the
 * import or the form would refuse); part-one answers get a distinct council unless they name one.
 */
const checked = (definition: SurveyDefinition, part: 'identifiable' | 'anonymous', input: Record<string, unknown>): Answers => {
  const result = validateAnswers(definition, part, input, 'import');
  if (!result.ok) throw new Error(`fixture answers are invalid for ${part}: ${JSON.stringify(result.issues)}`);
  return result.value;
};

export interface WaveInput {
  readonly wave?: string;
  readonly definition?: SurveyDefinition;
  readonly identifiable?: readonly Record<string, unknown>[];
  readonly anonymous?: readonly Record<string, unknown>[];
}

export const waveOf = (input: WaveInput): WaveResponses => {
  const wave = input.wave ?? WAVE_2;
  const definition = input.definition ?? (wave === WAVE_1 ? v1 : v2);
  return {
    wave,
    definition,
    responses: {
      identifiable: (input.identifiable ?? []).map((a, i) => checked(definition, 'identifiable', { local_authority: councils[i]!.code, ...a })),
      anonymous: (input.anonymous ?? []).map((a) => checked(definition, 'anonymous', a)),
    },
  };
};

export const tableOf = (result: WaveTables, id: string): AnalysisTable => {
  const table = result.tables.find((t) => t.id === id);
  if (!table) throw new Error(`no table ${id}; tables are ${result.tables.map((t) => t.id).join(', ')}`);
  return table;
};

export const rowOf = (table: AnalysisTable, rowId: string) => {
  const row = table.rows.find((r) => r.id === rowId);
  if (!row) throw new Error(`table ${table.id} has no row ${rowId}; rows are ${table.rows.map((r) => r.id).join(', ')}`);
  return row;
};

const isShare = (cell: Cell | undefined): cell is ShareCell => cell !== undefined && 'count' in cell && 'pct' in cell;

export const shareCell = (table: AnalysisTable, rowId: string, column = 'share'): ShareCell => {
  const cell = rowOf(table, rowId).cells[column];
  if (!isShare(cell)) throw new Error(`${table.id}/${rowId}/${column} is not a share cell: ${JSON.stringify(cell)}`);
  return cell;
};

export const meanCell = (table: AnalysisTable, rowId: string): MeanCell => {
  const cell = rowOf(table, rowId).cells.mean;
  if (cell === undefined || !('mean' in cell) || 'median' in cell) throw new Error(`${table.id}/${rowId} has no mean cell`);
  return cell as MeanCell;
};

export const summaryCell = (table: AnalysisTable, rowId: string): SummaryCell => {
  const cell = rowOf(table, rowId).cells.summary;
  if (cell === undefined || !('median' in cell)) throw new Error(`${table.id}/${rowId} has no summary cell`);
  return cell;
};

/** count, n and pct of a share cell, pct compared to 10 significant places. */
export const expectShare = (cell: ShareCell, count: number, n: number, pct: number | null) => {
  expect({ count: cell.count, n: cell.n }).toEqual({ count, n });
  if (pct === null) {
    expect(cell.pct).toBeNull();
    expect(cell.ci).toBeNull();
  } else {
    expect(cell.pct).not.toBeNull();
    expect(cell.pct!).toBeCloseTo(pct, 10);
    expect(cell.ci).not.toBeNull();
  }
};

/** Shares of every row of a one-column share table as {row: [count, n]}. */
export const countsOf = (table: AnalysisTable, column = 'share'): Record<string, [number, number]> =>
  Object.fromEntries(table.rows.map((r) => [r.id, [shareCell(table, r.id, column).count, shareCell(table, r.id, column).n]]));
