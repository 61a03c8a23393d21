import { isShareCell } from './tables/cells.js';
import type { AnalysisTable, Cell, Change, WaveTables } from './table-types.js';

const pct = (cell: Cell) => (isShareCell(cell) ? (cell.pct === null ? '  -' : `${Math.round(cell.pct)}%`.padStart(4)) : '');

const cellText = (cell: Cell): string => {
  if (isShareCell(cell)) return cell.pct === null ? 'no answers' : `${pct(cell)} (${cell.count}/${cell.n})`;
  if ('median' in cell) {
    return cell.median === null ? 'no answers' : `median ${cell.median}, range ${cell.min}-${cell.max}, mean ${Number(cell.mean!.toFixed(1))} (n=${cell.n})`;
  }
  return cell.mean === null ? 'no answers' : `${cell.mean.toFixed(1).padStart(5)} (n=${cell.n})`;
};

const changeText = (change: Change) => `      ${change.statement}`;

const tableText = (table: AnalysisTable, wave: string): string[] => {
  const lines = [`${table.title} [${table.id}]`, `  ${table.note}`, ...(table.notCompared ? [`  Comparison: ${table.notCompared}`] : [])];
  const width = Math.min(60, Math.max(...table.rows.map((r) => r.label.length)));
  const label = (text: string) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  const multi = table.columns.length > 1;
  if (multi) lines.push(`  ${''.padEnd(width)}  ${table.columns.map((c) => c.label).join(' | ')}`);
  for (const row of table.rows) {
    const cells = table.columns.map((c) => (row.cells[c.id] ? cellText(row.cells[c.id]!) : '')).join(' | ');
    lines.push(`  ${label(row.label)}  ${cells}${table.compareWave ? `   (${wave})` : ''}`);
    if (row.compare && table.compareWave) {
      const before = table.columns.map((c) => (row.compare![c.id] ? cellText(row.compare![c.id]!) : '')).join(' | ');
      lines.push(`  ${''.padEnd(width)}  ${before}   (${table.compareWave})`);
      for (const c of table.columns) if (row.change?.[c.id]) lines.push(changeText(row.change[c.id]!) + (multi ? ` [${c.label}]` : ''));
    } else if (row.notCompared) lines.push(`      ${row.notCompared}`);
  }
  return lines;
};

/** The tables laid out for a terminal, as in the report: rounded percentages, each with its count and n. */
export const tablesAsText = (result: WaveTables): string => {
  const r = result.respondents;
  const head = [
    `Wave ${result.wave} (${result.definition}): ${r.identifiable} part one and ${r.anonymous} part two responses`,
    ...(result.compare
      ? [
          `Compared with wave ${result.compare.wave} (${result.compare.definition}): ${result.compare.respondents.identifiable} part one and ${result.compare.respondents.anonymous} part two responses`,
        ]
      : []),
    'Percentages are rounded here; exact values are in --format json or csv.',
  ];
  const body = result.tables.flatMap((t) => ['', ...tableText(t, result.wave)]);
  // A table the compared wave lacks is still shown, uncompared: list it apart from the tables not shown.
  const shown = new Set(result.tables.map((t) => t.id));
  const section = (heading: string, entries: WaveTables['omitted']) =>
    entries.length > 0 ? ['', heading, ...entries.map((o) => `  ${o.id}: ${o.reason}`)] : [];
  const omitted = [
    ...section(
      'Not shown:',
      result.omitted.filter((o) => !shown.has(o.id)),
    ),
    ...section(
      'Shown without comparison:',
      result.omitted.filter((o) => shown.has(o.id)),
    ),
  ];
  return [...head, ...body, ...omitted, ''].join('\n');
};
