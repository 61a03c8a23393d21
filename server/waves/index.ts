// The waves feature's public module: what the command line and other features may use. Its routes are
// mounted by app/ from waves-routes.ts; nothing else of the folder is imported from outside it.
export { changeWaveStatus, createWave } from './wave-changes.js';
export { councilOptions, readRosterCsv, RosterRejected, suggestCouncil } from './roster-csv.js';
export { importRoster } from './roster-import.js';
export { invitationLink, issueLinks, planInvitations, SubmittedMeanwhile, type RosterCouncil } from './invitation-issue.js';
export { councilMailSender, planReminders, queueInvitationEmails, queueReminders, WaveNotOpen, type ReminderPart } from './council-mail.js';
export { dateBoxId, dateBoxIds, dateParts, readDateBoxes, realIsoDate, todayInUk } from './form-dates.js';
