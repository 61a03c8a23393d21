import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { dashboardAuditActions, dashboardPages } from './dashboard-pages.js';

/**
 * The analysts' dashboards (admins and analysts): every table of a wave with its chart, a page per section
 * of the report, a comparison with an earlier wave, each table and chart as a download, and the draft
 * report. Each view and download is written to the audit log with who, what and which view.
 */
export const dashboardsRoutes = (deps: StaffRouteDependencies) => {
  const pages = dashboardPages(deps);
  const readers = ['admin', 'analyst'] as const;
  return mountStaffRoutes(
    deps,
    [
      { method: 'GET', path: staffPaths.dashboards, roles: readers, handler: pages.list },
      // The wave's page: the options, the contents (a page per section) and, when compared, what changed.
      { method: 'GET', path: staffPaths.dashboard, roles: readers, audit: [dashboardAuditActions.view], handler: pages.wave },
      { method: 'GET', path: staffPaths.dashboardSection, roles: readers, audit: [dashboardAuditActions.view], handler: pages.section },
      {
        method: 'GET',
        path: staffPaths.tableDownload,
        roles: readers,
        audit: [dashboardAuditActions.table, dashboardAuditActions.chart],
        handler: pages.download,
      },
      { method: 'GET', path: staffPaths.draftReport, roles: readers, audit: [dashboardAuditActions.report], handler: pages.draftReport },
    ],
    { waveList: { href: staffPaths.dashboards, name: 'the list of waves' } },
  );
};
