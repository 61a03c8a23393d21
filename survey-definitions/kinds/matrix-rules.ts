import type { MatrixRow } from '../item-base.js';
import { accept, refuse, type AnswerIssue, type Checked, type CodeList } from './question-kind.js';
import { isBlank } from './scalar-rules.js';

/** What the three matrix kinds share: one answer per row, each row its own CSV column `item.row`. */
interface MatrixShape {
  readonly id: string;
  readonly rows: readonly MatrixRow[];
}

export type MatrixAnswer<Cell> = Readonly<Record<string, Cell>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const checkMatrix = <Cell>(
  item: MatrixShape,
  value: unknown,
  checkCell: (path: string, cell: unknown) => Checked<Cell>,
): Checked<MatrixAnswer<Cell>> => {
  if (!isPlainObject(value)) {
    return refuse({ path: item.id, rule: 'matrix', expected: 'an answer for each row, keyed by row id', got: value });
  }
  const rowIds = item.rows.map((r) => r.id);
  const issues: AnswerIssue[] = [];
  for (const key of Object.keys(value)) {
    if (!rowIds.includes(key)) {
      issues.push({ path: `${item.id}.${key}`, rule: 'row', expected: `a row of ${rowIds.join(', ')}`, got: key });
    }
  }
  const answer: Record<string, Cell> = {};
  for (const rowId of rowIds) {
    const cell = value[rowId];
    if (cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '')) continue;
    const checked = checkCell(`${item.id}.${rowId}`, cell);
    if (checked.ok) answer[rowId] = checked.value;
    else issues.push(...checked.issues);
  }
  return issues.length > 0 ? refuse(...issues) : accept(answer);
};

/** A grid's rows as codes: each row id is a CSV column of every wave. */
export const matrixRowCodes = (item: MatrixShape): CodeList => ({
  field: 'rows',
  noun: 'row',
  entries: item.rows.map((r) => ({ code: r.id, label: r.label })),
});

/** A grid's answer is keyed by row id; a store keeps the rows' answers in the rows' order. */
export const matrixAnswerKeys = (item: MatrixShape): string[] => item.rows.map((r) => r.id);

export const matrixColumns = (item: MatrixShape): string[] => item.rows.map((r) => `${item.id}.${r.id}`);

export const matrixFromCells = (
  item: MatrixShape,
  cells: readonly (string | undefined)[],
  readCell: (cell: string) => unknown,
): Checked<unknown> | undefined => {
  if (cells.every(isBlank)) return undefined;
  const raw: Record<string, unknown> = {};
  item.rows.forEach((row, i) => {
    const cell = cells[i];
    if (!isBlank(cell)) raw[row.id] = readCell(cell);
  });
  return accept(raw);
};

/** One line per answered row: `Children's social work: All of the service area`. */
export const matrixDisplay = <Cell>(item: MatrixShape, answer: MatrixAnswer<Cell>, show: (cell: Cell) => string): string[] =>
  item.rows.filter((r) => answer[r.id] !== undefined).map((r) => `${r.label}: ${show(answer[r.id] as Cell)}`);

export const matrixToCells = <Cell>(item: MatrixShape, answer: MatrixAnswer<Cell>, writeCell: (cell: Cell) => string): string[] =>
  item.rows.map((r) => (answer[r.id] === undefined ? '' : writeCell(answer[r.id] as Cell)));
