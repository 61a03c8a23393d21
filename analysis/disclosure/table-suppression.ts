import { definitionKey, knownDefinitions, type SurveyDefinition } from '../../survey-definitions/index.js';
import { isShareCell } from '../tables/cells.js';
import type { AnalysisTable, Cell, Change, MeanCell, ShareCell, SummaryCell, TableRow, WaveTables } from '../table-types.js';
import {
  checkedK,
  type DisclosureMode,
  type DisclosureOptions,
  type ProtectedCell,
  type ProtectedChange,
  type ProtectedRow,
  type ProtectedTable,
  type ProtectedWaveTables,
  type SuppressionReason,
} from './disclosure-types.js';
import { isSensitive, suppressGroup } from './group-suppression.js';
import { linkedGroups } from './linked-groups.js';

type Marks = Map<string, SuppressionReason>;
const key = (row: string, column: string) => `${row}\u0000${column}`;

const isSummary = (cell: Cell): cell is SummaryCell => 'median' in cell;

/** Primary: a share whose count is sensitive; a mean or summary of fewer than k answers (but some). */
const isPrimary = (cell: Cell, k: number): boolean => (isShareCell(cell) ? isSensitive(cell.count, cell.n, k) : cell.n > 0 && cell.n < k);

type CellsOf = (row: TableRow) => Readonly<Record<string, Cell>> | undefined;

/** Primary and secondary marks of one wave's cells of a table (its own, or the compared wave's). */
const markCells = (table: AnalysisTable, definition: SurveyDefinition, cellsOf: CellsOf, k: number): Marks => {
  const marks: Marks = new Map();
  for (const row of table.rows) {
    for (const [column, cell] of Object.entries(cellsOf(row) ?? {})) if (isPrimary(cell, k)) marks.set(key(row.id, column), 'primary');
  }
  for (const group of linkedGroups(table, definition, cellsOf)) {
    const cells = group.cells.map(({ row, column }) => {
      const cell = cellsOf(table.rows.find((r) => r.id === row)!)?.[column];
      if (!cell || !isShareCell(cell)) throw new Error(`disclosure control: ${table.id}/${row}/${column} is not a proportion`);
      return cell;
    });
    const n = cells[0]!.n;
    if (cells.some((c) => c.n !== n)) throw new Error(`disclosure control: the linked cells of ${table.id} do not share one n`);
    // A compared wave showing only some of its item's categories: that wave's own table shows the rest
    // with its own pattern, which this view cannot reproduce, so nothing of the group is shown here.
    const reasons =
      group.rest === 'missing'
        ? cells.map((c) => (n === 0 ? undefined : isSensitive(c.count, n, k) ? 'primary' : 'secondary'))
        : suppressGroup({ counts: cells.map((c) => c.count), n, remainder: group.rest === 'structural' }, k);
    reasons.forEach((reason, i) => {
      const { row, column } = group.cells[i]!;
      if (reason && !marks.has(key(row, column))) marks.set(key(row, column), reason);
    });
  }
  return marks;
};

const protectCell = (cell: Cell, reason: SuppressionReason | undefined, mode: DisclosureMode): ProtectedCell => {
  if (reason) {
    if (mode === 'analyst') return { ...cell, suppressed: reason };
    if (isShareCell(cell)) return { n: cell.n, count: null, pct: null, ci: null, suppressed: true };
    if (isSummary(cell)) return { n: cell.n, median: null, min: null, max: null, mean: null, suppressed: true };
    return { n: cell.n, mean: null, sd: null, suppressed: true };
  }
  // The extremes of a summary are each one respondent's own answer, however many answered.
  if (isSummary(cell) && cell.n > 0) {
    return mode === 'analyst' ? { ...cell, withheld: ['min', 'max'] } : { ...cell, min: null, max: null, withheld: ['min', 'max'] };
  }
  return { ...(cell as ShareCell | MeanCell) };
};

export const suppressedStatement = 'not shown: a figure of this comparison is suppressed to protect respondents';

const protectChange = (change: Change, suppressed: boolean, mode: DisclosureMode): ProtectedChange => {
  if (!suppressed) return { ...change };
  if (mode === 'analyst') return { ...change, suppressed: 'secondary' };
  // The p-value, difference and verdict all depend on the hidden count or mean; the statement quotes it.
  return { difference: null, test: change.test, p: null, verdict: null, statement: suppressedStatement, suppressed: true };
};

const protectCells = (cells: Readonly<Record<string, Cell>>, row: string, marks: Marks, mode: DisclosureMode) =>
  Object.fromEntries(Object.entries(cells).map(([column, cell]) => [column, protectCell(cell, marks.get(key(row, column)), mode)]));

interface Tally {
  primary: number;
  secondary: number;
}

const protect = (
  table: AnalysisTable,
  definition: SurveyDefinition,
  compareDefinition: SurveyDefinition | undefined,
  k: number,
  mode: DisclosureMode,
  tally: Tally,
): ProtectedTable => {
  const now = markCells(table, definition, (row) => row.cells, k);
  const hasCompare = table.rows.some((row) => row.compare !== undefined);
  if (hasCompare && !compareDefinition) throw new Error(`disclosure control: table ${table.id} is compared, but the compared wave's definition was not given`);
  const before = hasCompare ? markCells(table, compareDefinition!, (row) => row.compare, k) : new Map<string, SuppressionReason>();
  for (const reason of [...now.values(), ...before.values()]) tally[reason]++;
  const rows: ProtectedRow[] = table.rows.map((row) => {
    const out: ProtectedRow = {
      id: row.id,
      label: row.label,
      cells: protectCells(row.cells, row.id, now, mode),
      ...(row.notCompared ? { notCompared: row.notCompared } : {}),
    };
    if (row.compare === undefined) return out;
    const change = row.change
      ? Object.fromEntries(
          Object.entries(row.change).map(([column, c]) => {
            const hidden = now.has(key(row.id, column)) || before.has(key(row.id, column));
            if (hidden) tally.secondary++;
            return [column, protectChange(c, hidden, mode)];
          }),
        )
      : undefined;
    return { ...out, compare: protectCells(row.compare, row.id, before, mode), ...(change ? { change } : {}) };
  });
  return { ...table, rows };
};

export interface ProtectTableOptions extends DisclosureOptions {
  /** The definition the table's cells were counted from (it says whether a share table's options sum to n). */
  readonly definition: SurveyDefinition;
  /** The compared wave's definition, when the table is compared; default the same definition. */
  readonly compareDefinition?: SurveyDefinition;
}

/** Disclosure control of one table: primary and secondary suppression of its cells, its compared cells and its changes. */
export const protectTable = (table: AnalysisTable, options: ProtectTableOptions): ProtectedTable =>
  protect(table, options.definition, options.compareDefinition ?? options.definition, checkedK(options.k), options.mode ?? 'public', {
    primary: 0,
    secondary: 0,
  });

export interface ProtectTablesOptions extends DisclosureOptions {
  /** Where the definitions the tables name (`cswo-annual@2`) are looked up; default the published versions. */
  readonly definitions?: readonly SurveyDefinition[];
}

const findByKey = (definitions: readonly SurveyDefinition[], wanted: string): SurveyDefinition => {
  const definition = definitions.find((d) => definitionKey(d) === wanted);
  if (!definition) throw new Error(`disclosure control: definition ${wanted} is unknown, so the tables' linked cells cannot be found`);
  return definition;
};

export const noteFor = (k: number, mode: DisclosureMode): string =>
  `Counts below ${k}, counts within ${k} of their n, and means or summaries of fewer than ${k} answers are suppressed, ` +
  'with further cells where a suppressed count could otherwise be worked out from n; minimum and maximum are never published. ' +
  (mode === 'public'
    ? 'Suppressed cells show no value: they are not zero.'
    : 'ANALYST VIEW: every value is shown and the cells a public table suppresses are marked; do not publish it.');

/**
 * Disclosure control of a wave's tables. Public mode (the default) removes the values of suppressed
 * cells; analyst mode keeps them and marks the cells. The compared wave's cells are suppressed exactly
 * as that wave's own tables suppress them, so that the comparison and the wave's own report, read
 * together, reveal nothing either hides; a change is suppressed when either of its cells is.
 */
export const protectTables = (result: WaveTables, options: ProtectTablesOptions = {}): ProtectedWaveTables => {
  const k = checkedK(options.k);
  const mode = options.mode ?? 'public';
  const definitions = options.definitions ?? knownDefinitions();
  const definition = findByKey(definitions, result.definition);
  const compareDefinition = result.compare ? findByKey(definitions, result.compare.definition) : undefined;
  const tally: Tally = { primary: 0, secondary: 0 };
  const tables = result.tables.map((table) => protect(table, definition, compareDefinition, k, mode, tally));
  const suppressedCells = tally.primary + tally.secondary;
  return {
    ...result,
    tables,
    disclosure: { mode, k, suppressedCells, ...(mode === 'analyst' ? tally : {}), note: noteFor(k, mode) },
  };
};
