import { allStaff } from '../staff/staff-access.js';
import { staffPaths, type StaffRouteDependencies } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { staffSessionAuditActions } from '../staff/staff-sessions.js';
import { accountAuditActions } from './account-changes.js';
import { auditLogPage } from './audit-log-page.js';
import { sessionPages } from './session-pages.js';
import { userPages } from './user-pages.js';
import { setupPages } from './setup-pages.js';

/**
 * The accounts feature's routes: signing in and out, staff accounts (admins only), and the audit log
 * (admins only; reading it is not itself audited: it shows staff activity, not a respondent's data).
 */
export const accountsRoutes = (deps: StaffRouteDependencies) => {
  const session = sessionPages(deps);
  const users = userPages(deps);
  const setup = setupPages(deps);
  const admin = ['admin'] as const;
  return mountStaffRoutes(deps, [
    { method: 'GET', path: staffPaths.signIn, roles: ['public'], handler: session.form },
    {
      method: 'POST',
      path: staffPaths.signIn,
      roles: ['public'],
      audit: [staffSessionAuditActions.signIn, staffSessionAuditActions.signInFailed],
      before: session.protectSignIn,
      handler: session.signIn,
    },
    // Public, as nobody can sign in yet: the secret in the address is what lets a person in.
    { method: 'GET', path: staffPaths.setup, roles: ['public'], handler: setup.form },
    { method: 'POST', path: staffPaths.setup, roles: ['public'], audit: [accountAuditActions.add], before: setup.protect, handler: setup.create },
    { method: 'POST', path: staffPaths.signOut, roles: allStaff, audit: [staffSessionAuditActions.signOut], handler: session.signOut },
    { method: 'GET', path: staffPaths.users, roles: admin, handler: users.list },
    { method: 'GET', path: staffPaths.newUser, roles: admin, handler: users.newForm },
    { method: 'POST', path: staffPaths.users, roles: admin, audit: [accountAuditActions.add], handler: users.add },
    { method: 'GET', path: staffPaths.user, roles: admin, handler: users.show },
    { method: 'POST', path: staffPaths.userRole, roles: admin, audit: [accountAuditActions.role], handler: users.changeRole },
    { method: 'GET', path: staffPaths.userDisable, roles: admin, handler: users.askDisable },
    { method: 'POST', path: staffPaths.userDisable, roles: admin, audit: [accountAuditActions.disable], handler: users.disable },
    { method: 'GET', path: staffPaths.userEnable, roles: admin, handler: users.enableForm },
    { method: 'POST', path: staffPaths.userEnable, roles: admin, audit: [accountAuditActions.enable], handler: users.enable },
    { method: 'GET', path: staffPaths.audit, roles: admin, handler: auditLogPage(deps) },
  ]);
};
