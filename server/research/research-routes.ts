import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { freeTextAuditActions, freeTextPages } from './free-text-pages.js';
import { researchAuditActions, researchPages } from './research-pages.js';

/**
 * The research feature's routes: the researchers' downloads (admins and researchers: part two after
 * disclosure control, one wave or several, and the published tables) and the release of part two's free
 * text, which analysts read on the dashboards' side (admins and analysts).
 */
export const researchRoutes = (deps: StaffRouteDependencies) => {
  const downloads = researchPages(deps);
  const freeText = freeTextPages(deps);
  const researchers = ['admin', 'researcher'] as const;
  const readers = ['admin', 'analyst'] as const;
  const research = mountStaffRoutes(
    deps,
    [
      { method: 'GET', path: staffPaths.research, roles: researchers, handler: downloads.list },
      { method: 'GET', path: staffPaths.researchPackages, roles: researchers, audit: [researchAuditActions.package], handler: downloads.packages },
      { method: 'GET', path: staffPaths.researchPackage, roles: researchers, audit: [researchAuditActions.package], handler: downloads.package },
      { method: 'GET', path: staffPaths.publicTables, roles: researchers, audit: [researchAuditActions.tables], handler: downloads.tables },
    ],
    { waveList: { href: staffPaths.research, name: 'the research downloads' } },
  );
  const release = mountStaffRoutes(
    deps,
    [
      { method: 'GET', path: staffPaths.freeText, roles: readers, audit: [freeTextAuditActions.view], handler: freeText.read },
      {
        method: 'POST',
        path: staffPaths.freeText,
        roles: readers,
        audit: [freeTextAuditActions.release, freeTextAuditActions.withdraw],
        handler: freeText.release,
      },
    ],
    { waveList: { href: staffPaths.dashboards, name: 'the list of waves' } },
  );
  return research.route('/', release);
};
