import type { DisclosureMode } from '../../analysis/index.js';
import { pathTo } from '../http/route-paths.js';
import { staffPaths } from './staff-context.js';

/** How the analysts' and researchers' pages carry their options (in the query), built on `staffPaths`. */

export const chartFormats = ['csv', 'svg', 'png'] as const;
export type TableDownloadFormat = (typeof chartFormats)[number];

export interface DashboardOptions {
  readonly compare?: string;
  readonly view: DisclosureMode;
}

const query = ({ compare, view }: DashboardOptions) => {
  const params = new URLSearchParams();
  if (compare) params.set('compare', compare);
  params.set('view', view);
  return `?${params}`;
};

export const dashboardPath = (wave: string, options?: DashboardOptions) => `${pathTo(staffPaths.dashboard, { wave })}${options ? query(options) : ''}`;

export const dashboardSectionPath = (wave: string, section: string, options?: DashboardOptions) =>
  `${pathTo(staffPaths.dashboardSection, { wave, section })}${options ? query(options) : ''}`;

export const tableDownloadPath = (wave: string, table: string, format: TableDownloadFormat, options: DashboardOptions) =>
  `${pathTo(staffPaths.tableDownload, { wave, table, format })}${query(options)}`;

export const draftReportPath = (wave: string, options: DashboardOptions) => `${pathTo(staffPaths.draftReport, { wave })}${query(options)}`;

export const freeTextPath = (wave: string) => pathTo(staffPaths.freeText, { wave });

export const researchPackagePath = (wave: string) => pathTo(staffPaths.researchPackage, { wave });

export const publicTablesPath = (wave: string) => pathTo(staffPaths.publicTables, { wave });

/** A download's file name: the wave, what it is, the comparison and the view, so two downloads never collide. */
export const downloadName = (waveId: string, what: string, options: DashboardOptions, extension: string) =>
  ['cswo', waveId, what, ...(options.compare ? ['vs', options.compare] : []), options.view].join('-').replace(/[^A-Za-z0-9_.-]/g, '_') + `.${extension}`;
