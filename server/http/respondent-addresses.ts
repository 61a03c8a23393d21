/**
 * The respondent's addresses that reach people outside the site, in printed lines and email: the
 * respondent's routes serve them (server/respondent/), and the staff side writes them into messages
 * without importing the respondent's side.
 */

/** An invitation link's path: the secret travels in it once and is exchanged for cookies at once. */
export const invitationPath = (secret: string) => `/i/${secret}`;

/** Where a respondent who has submitted part one types their part-two code to go on. */
export const partTwoResumePath = '/part-two/resume';
