import type { DisclosureMode } from '../../analysis/index.js';

/** Where the analysts' and researchers' pages live, and how their options travel (in the query). */
export const dashboardPaths = {
  /** The waves whose tables can be read (admins and analysts). */
  list: '/staff/dashboards',
  /** The researchers' downloads. */
  research: '/staff/research',
} as const;

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

const wavePath = (waveId: string) => `${dashboardPaths.list}/${encodeURIComponent(waveId)}`;

export const dashboardPath = (waveId: string, options?: DashboardOptions) => `${wavePath(waveId)}${options ? query(options) : ''}`;

/** One section of the report's tables: the dashboard's pages, one per section, each with its charts. */
export const dashboardSectionPath = (waveId: string, sectionId: string, options?: DashboardOptions) =>
  `${wavePath(waveId)}/sections/${encodeURIComponent(sectionId)}${options ? query(options) : ''}`;

export const tableDownloadPath = (waveId: string, tableId: string, format: TableDownloadFormat, options: DashboardOptions) =>
  `${wavePath(waveId)}/tables/${encodeURIComponent(tableId)}/${format}${query(options)}`;

export const draftReportPath = (waveId: string, options: DashboardOptions) => `${wavePath(waveId)}/report${query(options)}`;

/** Part two's free-text answers, to read and release to researchers. */
export const freeTextPath = (waveId: string) => `${wavePath(waveId)}/free-text`;

export const researchPackagePath = (waveId: string) => `${dashboardPaths.research}/${encodeURIComponent(waveId)}/package`;
/** One package across the waves ticked: a GET form, `?wave=2020-01&wave=2020-06`. */
export const researchPackagesPath = `${dashboardPaths.research}/package`;

export const publicTablesPath = (waveId: string) => `${dashboardPaths.research}/${encodeURIComponent(waveId)}/tables`;

/** A download's file name: the wave, what it is, the comparison and the view, so two downloads never collide. */
export const downloadName = (waveId: string, what: string, options: DashboardOptions, extension: string) =>
  ['cswo', waveId, what, ...(options.compare ? ['vs', options.compare] : []), options.view].join('-').replace(/[^A-Za-z0-9_.-]/g, '_') + `.${extension}`;
