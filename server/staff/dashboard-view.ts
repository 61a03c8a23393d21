import {
  chartFor,
  displayTable,
  noChartSentence,
  outlineTables,
  type ProtectedTable,
  type ProtectedWaveTables,
} from '../../analysis/index.js';
import type { DashboardSection } from '../../web/staff/dashboard-types.js';
import { chartSvg } from '../charts/chart-render.js';
import { chartFormats, tableDownloadPath, type DashboardOptions } from './dashboard-paths.js';

const formatLabels = { csv: 'Table as CSV', svg: 'Chart as SVG', png: 'Chart as PNG' } as const;

export const chartLabel = (number: number, table: Pick<ProtectedTable, 'title'>) =>
  `Chart of table ${number}: ${table.title}. Its figures are in the table that follows.`;

/**
 * The dashboard and the draft report, section by section in the report's order: each table numbered,
 * shown as figures, and drawn as its chart (SVG, drawn here on the server).
 */
export const dashboardSections = async (
  tables: ProtectedWaveTables,
  options: DashboardOptions,
  { downloads = true }: { downloads?: boolean } = {},
): Promise<DashboardSection[]> => {
  const mode = tables.disclosure.mode;
  return Promise.all(
    outlineTables(tables.tables).map(async (section) => ({
      id: section.id,
      title: section.title,
      tables: await Promise.all(
        section.tables.map(async ({ number, table }) => {
          const spec = chartFor(table, tables.wave, { k: tables.disclosure.k });
          const sentence = noChartSentence(spec);
          return {
            number,
            anchor: `table-${table.id}`,
            table: displayTable(table, tables.wave, mode),
            chart: { svg: await chartSvg(spec), spec: JSON.stringify(spec), label: chartLabel(number, table), ...(sentence ? { sentence } : {}) },
            downloads: downloads
              ? chartFormats.map((format) => ({ href: tableDownloadPath(tables.wave, table.id, format, options), text: `${formatLabels[format]} (table ${number})` }))
              : [],
          };
        }),
      ),
    })),
  );
};
