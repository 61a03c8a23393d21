import { privacyPath } from '../../web/layout/page-chrome.js';
import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { privacyNoticeAuditAction, privacyNoticePages } from './privacy-notice-pages.js';
import { personPages } from './person-pages.js';
import { personAuditActions } from './subject-access.js';
import { retentionPages } from './retention-pages.js';
import { retentionSetAuditAction } from './retention.js';

/**
 * Data protection (issue 18): the privacy notice for everyone; for admins the page that writes it, and a
 * CSWO's requests (what is held about them, and its erasure).
 */
export const dataProtectionRoutes = (deps: StaffRouteDependencies) => {
  const notice = privacyNoticePages(deps);
  const people = personPages(deps);
  const retention = retentionPages(deps);
  const admin = ['admin'] as const;
  return mountStaffRoutes(deps, [
    { method: 'GET', path: privacyPath, roles: ['public'], handler: notice.read },
    { method: 'GET', path: staffPaths.privacyNotice, roles: admin, handler: notice.edit },
    { method: 'POST', path: staffPaths.privacyNotice, roles: admin, audit: [privacyNoticeAuditAction], handler: notice.save },
    { method: 'GET', path: staffPaths.people, roles: admin, handler: people.form },
    { method: 'GET', path: staffPaths.waveRetention, roles: admin, handler: retention.show },
    { method: 'POST', path: staffPaths.waveRetention, roles: admin, audit: [retentionSetAuditAction], handler: retention.change },
    { method: 'POST', path: staffPaths.people, roles: admin, audit: [personAuditActions.access, personAuditActions.erase], handler: people.act },
  ]);
};
