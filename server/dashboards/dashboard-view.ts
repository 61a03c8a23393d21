import { chartFor, displayTable, noChartSentence, outlineTables, type ProtectedTable, type ProtectedWaveTables } from '../../analysis/index.js';
import type { DashboardContentsSection, DashboardSection } from '../../web/staff/dashboard-types.js';
import { chartSvg } from './chart-render.js';
import { chartFormats, dashboardSectionPath, tableDownloadPath, type DashboardOptions } from '../staff/dashboard-paths.js';

const formatLabels = { csv: 'Table as CSV', svg: 'Chart as SVG', png: 'Chart as PNG' } as const;

export const chartLabel = (number: number, table: Pick<ProtectedTable, 'title'>) =>
  `Chart of table ${number}: ${table.title}. Its figures are in the table that follows.`;

export const tableAnchor = (tableId: string) => `table-${tableId}`;

/**
 * The report's sections and their numbered tables, each linking to its place on its section's page:
 * the dashboard's contents, cheap to make (no chart is drawn).
 */
export const dashboardContents = (tables: ProtectedWaveTables, options: DashboardOptions): DashboardContentsSection[] =>
  outlineTables(tables.tables, tables.sections).map((section) => {
    const href = dashboardSectionPath(tables.wave, section.id, options);
    return {
      id: section.id,
      title: section.title,
      href,
      tables: section.tables.map(({ number, table }) => ({ number, title: table.title, href: `${href}#${tableAnchor(table.id)}` })),
    };
  });

/**
 * The dashboard and the draft report, section by section in the report's order: each table numbered,
 * shown as figures, and drawn as its chart (SVG, drawn here on the server). `only` draws one section
 * (a dashboard page); the numbering is the whole report's either way.
 */
export const dashboardSections = async (
  tables: ProtectedWaveTables,
  options: DashboardOptions,
  { downloads = true, only }: { downloads?: boolean; only?: string } = {},
): Promise<DashboardSection[]> => {
  const mode = tables.disclosure.mode;
  return Promise.all(
    outlineTables(tables.tables, tables.sections)
      .filter((section) => only === undefined || section.id === only)
      .map(async (section) => ({
        id: section.id,
        title: section.title,
        tables: await Promise.all(
          section.tables.map(async ({ number, table }) => {
            const spec = chartFor(table, tables.wave, { k: tables.disclosure.k });
            const sentence = noChartSentence(spec);
            return {
              number,
              anchor: tableAnchor(table.id),
              table: displayTable(table, tables.wave, mode),
              chart: { svg: await chartSvg(spec), spec: JSON.stringify(spec), label: chartLabel(number, table), ...(sentence ? { sentence } : {}) },
              downloads: downloads
                ? chartFormats.map((format) => ({
                    href: tableDownloadPath(tables.wave, table.id, format, options),
                    text: `${formatLabels[format]} (table ${number})`,
                  }))
                : [],
            };
          }),
        ),
      })),
  );
};
