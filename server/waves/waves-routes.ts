import type { StaffRouteDependencies } from '../staff/staff-context.js';
import { staffPaths } from '../staff/staff-context.js';
import { mountStaffRoutes } from '../staff/staff-route-table.js';
import { invitationAuditAction } from './invitation-issue.js';
import { invitationLinkPages } from './invitation-link-pages.js';
import { rosterPages } from './roster-pages.js';
import { reminderPages } from './reminder-pages.js';
import { mailTemplateAuditAction, mailTemplatePages } from './mail-template-pages.js';
import { mailAuditActionsOfWaves } from './council-mail.js';
import { rosterAuditAction } from './roster-import.js';
import { identifiableViewAction, waveAuditActions } from './wave-changes.js';
import { wavePages } from './wave-pages.js';

/**
 * The waves feature's routes (admins only): the list of waves and its changes, the response-rate monitor,
 * rosters and invitation links. The pages that show council contacts' names write `identifiable.view`
 * with who looked; each change is audited by its use-case, which the command line shares.
 */
export const wavesRoutes = (deps: StaffRouteDependencies) => {
  const waves = wavePages(deps);
  const roster = rosterPages(deps);
  const links = invitationLinkPages(deps);
  const reminders = reminderPages(deps);
  const messages = mailTemplatePages(deps);
  const admin = ['admin'] as const;
  return mountStaffRoutes(deps, [
    { method: 'GET', path: staffPaths.waves, roles: admin, handler: waves.list },
    { method: 'GET', path: staffPaths.newWave, roles: admin, handler: waves.newForm },
    { method: 'POST', path: staffPaths.waves, roles: admin, audit: [waveAuditActions.create], handler: waves.create },
    { method: 'POST', path: staffPaths.waveOpen, roles: admin, audit: [waveAuditActions.open], handler: waves.open },
    { method: 'GET', path: staffPaths.waveClose, roles: admin, handler: waves.confirmClose },
    { method: 'POST', path: staffPaths.waveClose, roles: admin, audit: [waveAuditActions.close], handler: waves.close },
    { method: 'GET', path: staffPaths.waveResponses, roles: admin, audit: [identifiableViewAction], handler: waves.responses },
    { method: 'GET', path: staffPaths.waveRoster, roles: admin, audit: [identifiableViewAction], handler: roster.show },
    { method: 'POST', path: staffPaths.waveRoster, roles: admin, audit: [rosterAuditAction], handler: roster.upload },
    { method: 'GET', path: staffPaths.waveInvitations, roles: admin, audit: [identifiableViewAction], handler: links.form },
    // Issuing opens the wave when it is not open yet; by email, the messages are queued with the links.
    {
      method: 'POST',
      path: staffPaths.waveInvitations,
      roles: admin,
      audit: [invitationAuditAction, waveAuditActions.open, mailAuditActionsOfWaves.invitations],
      handler: links.issue,
    },
    { method: 'GET', path: staffPaths.waveReminders, roles: admin, audit: [identifiableViewAction], handler: reminders.list },
    { method: 'GET', path: staffPaths.waveReminder, roles: admin, audit: [identifiableViewAction], handler: reminders.preview },
    { method: 'POST', path: staffPaths.waveReminder, roles: admin, audit: [mailAuditActionsOfWaves.reminders], handler: reminders.send },
    { method: 'GET', path: staffPaths.messages, roles: admin, handler: messages.list },
    { method: 'GET', path: staffPaths.message, roles: admin, handler: messages.show },
    { method: 'POST', path: staffPaths.message, roles: admin, audit: [mailTemplateAuditAction], handler: messages.change },
  ]);
};
