import type { MailPurpose } from '../storage/mail-outbox-store.js';

/**
 * What the platform writes to councils: the invitation and the two reminders. Each is a template an admin
 * can edit (`/staff/messages`): a subject and a body of paragraphs separated by blank lines, with
 * placeholders in braces. The plain text is the body filled in; the HTML says the same, a paragraph each,
 * the paragraph that is only `{link}` as a link. Values go in as text: the HTML escapes them, and a
 * subject holds no line break, so none can add a header.
 */

export interface CouncilMailValues {
  /** The CSWO's name on the roster. */
  readonly name: string;
  /** The council's name. */
  readonly council: string;
  /** The wave's name. */
  readonly wave: string;
  /** "30 June 2021", when the wave has a closing date. */
  readonly closes: string | undefined;
  /** The address the message sends them to: a personal link, or the page where a part-two code is typed. */
  readonly link: string;
  /** Where to ask for help (SUPPORT_EMAIL). */
  readonly support: string;
}

export interface CouncilMailText {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailTemplate {
  readonly subject: string;
  readonly body: string;
}

/** Each placeholder, with what it becomes, for the editing page. */
export const placeholders: readonly { readonly name: keyof CouncilMailValues; readonly means: string }[] = [
  { name: 'name', means: "the officer's name on the roster" },
  { name: 'council', means: "the council's name" },
  { name: 'wave', means: "the wave's name" },
  { name: 'closes', means: 'the closing date, such as 30 June 2021; a paragraph that uses it is left out when the wave has none' },
  { name: 'link', means: "the council's own link (for part two's reminder, the address where the part-two code is typed)" },
  { name: 'support', means: 'the address for questions (SUPPORT_EMAIL)' },
];

const signOff = 'If you have a question, write to {support}.\n\nSocial Work Scotland';

export const defaultTemplates: Readonly<Record<MailPurpose, MailTemplate>> = {
  invitation: {
    subject: 'Invitation: Chief Social Work Officer survey, {wave}',
    body: [
      'Dear {name},',
      'Social Work Scotland invites you, as Chief Social Work Officer for {council}, to answer the Chief Social Work Officer survey: {wave}.',
      'Open your personal link to start:',
      '{link}',
      'The link is for you alone: please do not forward this email. You can save your answers and come back with the same link.',
      'The survey closes on {closes}.',
      'Part one asks about you and your council. Part two is anonymous: its answers are kept apart from part one and from your name, and nobody can tell which answers are yours.',
      signOff,
    ].join('\n\n'),
  },
  'part-one-reminder': {
    subject: 'Reminder: Chief Social Work Officer survey, {wave}',
    body: [
      'Dear {name},',
      'This is a reminder of the Chief Social Work Officer survey: {wave}. Part one for {council} has not been submitted yet.',
      'The survey closes on {closes}.',
      'Carry on with your personal link (the link in your invitation works too, and the answers you saved are kept):',
      '{link}',
      'The link is for you alone: please do not forward this email.',
      signOff,
    ].join('\n\n'),
  },
  'part-two-reminder': {
    subject: 'Reminder: part two of the Chief Social Work Officer survey, {wave}',
    body: [
      'Dear {name},',
      'Thank you for submitting part one of the Chief Social Work Officer survey: {wave}, for {council}.',
      'If you have not finished part two yet, you can carry on with the code you were shown when you submitted part one. Enter it here:',
      '{link}',
      'The survey closes on {closes}.',
      'If you have already submitted part two, thank you, and please ignore this email. Part two is anonymous: the survey keeps no record of who has answered it, so this reminder goes to every council that has submitted part one.',
      'If you no longer have your code, part two cannot be found again: that is what keeps it anonymous.',
      signOff,
    ].join('\n\n'),
  },
};

const placeholderPattern = /\{([^{}\s]*)\}/g;
const known = new Set<string>(placeholders.map((p) => p.name));

/** Paragraphs: split at blank lines, each trimmed, line ends inside one kept as they are. */
const paragraphsOf = (body: string) =>
  body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');

export const subjectMaxLength = 200;
export const bodyMaxLength = 10_000;

/** What is wrong with a template an admin wrote, field by field: unknown placeholders, a missing link, a subject on two lines. */
export const templateProblems = (template: MailTemplate): { field: 'subject' | 'body'; message: string }[] => {
  const problems: { field: 'subject' | 'body'; message: string }[] = [];
  const unknownIn = (text: string) => [...new Set([...text.matchAll(placeholderPattern)].map((m) => m[0]).filter((p) => !known.has(p.slice(1, -1))))];
  const subject = template.subject.trim();
  if (subject === '') problems.push({ field: 'subject', message: 'Enter a subject' });
  else if (/[\r\n]/.test(template.subject)) problems.push({ field: 'subject', message: 'The subject must be one line' });
  else if ([...subject].length > subjectMaxLength) problems.push({ field: 'subject', message: `The subject must be ${subjectMaxLength} characters or fewer` });
  else if (unknownIn(subject).length > 0)
    problems.push({ field: 'subject', message: `The subject uses ${unknownIn(subject).join(', ')}, which is not a placeholder: use those listed` });
  else if (/\{link\}/.test(subject)) problems.push({ field: 'subject', message: 'The subject must not hold {link}: a link belongs in the body only' });
  const body = template.body;
  if (body.trim() === '') problems.push({ field: 'body', message: 'Enter the message' });
  else if ([...body].length > bodyMaxLength)
    problems.push({ field: 'body', message: `The message must be ${bodyMaxLength.toLocaleString('en-GB')} characters or fewer` });
  else if (unknownIn(body).length > 0)
    problems.push({ field: 'body', message: `The message uses ${unknownIn(body).join(', ')}, which is not a placeholder: use those listed` });
  else if (!paragraphsOf(body).includes('{link}'))
    problems.push({ field: 'body', message: 'Put {link} in a paragraph of its own: the message must carry the link' });
  return problems;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const fill = (text: string, values: CouncilMailValues) =>
  text.replace(placeholderPattern, (whole, name: string) => (known.has(name) ? (values[name as keyof CouncilMailValues] ?? '') : whole));

/** The message a template makes for these values: a paragraph using {closes} is left out when there is no closing date. */
export const writeCouncilMail = (template: MailTemplate, values: CouncilMailValues): CouncilMailText => {
  const paragraphs = paragraphsOf(template.body).filter((p) => values.closes !== undefined || !p.includes('{closes}'));
  const subject = fill(template.subject, values).replace(/\s+/g, ' ').trim();
  const body = paragraphs
    .map((p) =>
      p === '{link}'
        ? `<p><a href="${escapeHtml(values.link)}">${escapeHtml(values.link)}</a></p>`
        : `<p>${escapeHtml(fill(p, values)).replace(/\n/g, '<br>\n')}</p>`,
    )
    .join('\n');
  return {
    subject,
    text: `${paragraphs.map((p) => fill(p, values)).join('\n\n')}\n`,
    html: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${body}\n</body></html>\n`,
  };
};
