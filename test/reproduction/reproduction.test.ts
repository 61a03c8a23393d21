import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTables, type AnalysisTable, type Cell, type WaveTables } from '../../analysis/index.js';
import { docPath, checkStatements, evaluateFigure, readBundledData, renderReproductionDoc } from '../../bundled-data/reproduction-doc.js';
import { loadWaveResponses } from '../../server/dashboards/wave-loader.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { openStores } from '../../server/storage/open-stores.js';
import { useTempDirs } from '../support/temp-dir.js';
import { expectedMatch, expectedN, publishedFigures, rowsOf, type PublishedFigure, type Wave } from '../../bundled-data/published-figures.js';

const tempDir = useTempDirs();
const platform = new Map<Wave, WaveTables>();

// The platform's own path: bundled CSV -> import -> the two stores -> wave loader -> analysis.
beforeAll(async () => {
  const stores = await openStores({ dataDir: tempDir('cswo-reproduction-') });
  try {
    const loaded = await seedBundledData(stores);
    expect(loaded.map((s) => `${s.waveId} ${s.part} ${s.imported}`).sort()).toEqual([
      '2020-01 anonymous 27',
      '2020-01 identifiable 27',
      '2020-06 anonymous 21',
      '2020-06 identifiable 21',
    ]);
    for (const wave of ['2020-01', '2020-06'] as const) platform.set(wave, buildTables(await loadWaveResponses(stores, wave)));
  } finally {
    await stores.close();
  }
});

const tableOf = (figure: PublishedFigure): AnalysisTable => {
  const table = platform.get(figure.wave)!.tables.find((t) => t.id === figure.table);
  if (!table) throw new Error(`${figure.id}: the platform has no table ${figure.table} for ${figure.wave}`);
  return table;
};

/** The figure as the platform computes it: one cell's field, or the sum of several cells' counts over their n. */
const platformValue = (figure: PublishedFigure): { exact: number | null; n: number } => {
  const table = tableOf(figure);
  const cells: Cell[] = rowsOf(figure).flatMap((rowId) => {
    const row = table.rows.find((r) => r.id === rowId);
    if (!row) throw new Error(`${figure.id}: table ${figure.table} has no row ${rowId}`);
    return figure.columns.map((column) => {
      const cell = row.cells[column];
      if (!cell) throw new Error(`${figure.id}: row ${rowId} has no column ${column}`);
      return cell;
    });
  });
  const n = cells[0]!.n;
  if (cells.length === 1) {
    const value = (cells[0] as unknown as Record<string, number | null>)[figure.field];
    if (value === undefined) throw new Error(`${figure.id}: a ${table.kind} cell has no field ${figure.field}`);
    return { exact: value, n };
  }
  expect(new Set(cells.map((c) => c.n)).size, `${figure.id}: summed cells share one n`).toBe(1);
  const count = cells.reduce((sum, c) => sum + ('count' in c ? c.count : Number.NaN), 0);
  const byField = { count, n, pct: n === 0 ? null : (count / n) * 100 } as Record<string, number | null>;
  return { exact: byField[figure.field] ?? null, n };
};

describe('the bundled 2020 data reproduces every published figure through the platform', () => {
  it('lists a good number of figures from both waves', () => {
    expect(publishedFigures.length).toBeGreaterThan(150);
    expect(new Set(publishedFigures.map((f) => f.wave))).toEqual(new Set(['2020-01', '2020-06']));
    expect(new Set(publishedFigures.map((f) => f.id)).size).toBe(publishedFigures.length);
  });

  it.each(publishedFigures.map((f) => [f.id, f] as const))('%s', (_id, figure) => {
    const { exact, n } = platformValue(figure);
    expect(exact, `${figure.source}: the platform has no value`).not.toBeNull();
    expect(expectedN(figure, n), `${figure.source}: printed n=${figure.reportN}, platform n=${n}`).toBe(true);
    expect(expectedMatch(figure, exact!), `${figure.source}: printed ${figure.report}, platform ${exact}`).toBe(true);
  });
});

describe('docs/reproduction.md', () => {
  const data = readBundledData();

  it('gives, for every figure, the value the platform computes (counted independently from the CSV files)', () => {
    for (const figure of publishedFigures) {
      const independent = evaluateFigure(figure, data);
      const computed = platformValue(figure);
      expect(independent.n, figure.id).toBe(computed.n);
      expect(independent.exact, figure.id).toBeCloseTo(computed.exact!, 9);
    }
  });

  it('is current: regenerating it from the bundled data gives the committed file', () => {
    expect(readFileSync(docPath, 'utf8')).toBe(renderReproductionDoc(data, checkStatements(data)));
  });
});
