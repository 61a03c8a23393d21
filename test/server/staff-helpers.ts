import { hashPassword } from '../../server/security/passwords.js';
import { listAuditEvents } from '../../server/storage/audit-log-store.js';
import type { Stores } from '../../server/storage/open-stores.js';
import { insertStaffUser, type StaffRole } from '../../server/storage/staff-user-store.js';

/** Helpers of the staff tests. */

export const PASSWORD = 'correct horse battery staple';

export const addStaff = async (stores: Stores, email: string, role: StaffRole = 'analyst', password = PASSWORD) =>
  insertStaffUser(stores.identifiable, { email, role, passwordHash: await hashPassword(password) });

export const auditOf = async (stores: Stores, actions?: readonly string[]) =>
  (await listAuditEvents(stores.identifiable, actions ? { actions } : {})).map(({ actor, action, detail }) => ({ actor, action, detail }));

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
