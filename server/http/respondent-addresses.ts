/**
 * The respondent's addresses that reach people outside the site, in printed lines and email: the
 * respondent's routes serve them (server/respondent/), and the staff side writes them into messages
 * without importing the respondent's side.
 */

/** An invitation link's path: the secret travels in it once and is exchanged for cookies at once. */
export const invitationPath = (secret: string) => `/i/${secret}`;

/** `text` with any invitation link's secret replaced, for what is kept of a mail server's reply (which may quote the message). */
export const withoutInvitationSecrets = (text: string) => text.replace(/\/i\/[A-Za-z0-9_-]+/g, '/i/[link]');

/** Where a respondent who has submitted part one types their part-two code to go on. */
export const partTwoResumePath = '/part-two/resume';
