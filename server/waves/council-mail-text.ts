/**
 * What the platform writes to councils: the invitation and the two reminders, as subject, plain text and
 * HTML (the same paragraphs; the link a paragraph of its own, as a link). Values are put in as text: the
 * HTML escapes them, and none can add a header (the subject's come from the wave's name and the council's
 * code, which hold no line breaks).
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

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const written = (subject: string, paragraphs: readonly string[], link: string): CouncilMailText => {
  const body = paragraphs.map((p) => (p === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(p)}</p>`)).join('\n');
  return {
    subject,
    text: `${paragraphs.join('\n\n')}\n`,
    html: `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>\n${body}\n</body></html>\n`,
  };
};

const signOff = (v: CouncilMailValues) => [`If you have a question, write to ${v.support}.`, 'Social Work Scotland'];

export const invitationText = (v: CouncilMailValues): CouncilMailText =>
  written(
    `Invitation: Chief Social Work Officer survey, ${v.wave}`,
    [
      `Dear ${v.name},`,
      `Social Work Scotland invites you, as Chief Social Work Officer for ${v.council}, to answer the Chief Social Work Officer survey: ${v.wave}.`,
      'Open your personal link to start:',
      v.link,
      `The link is for you alone: please do not forward this email. You can save your answers and come back with the same link${v.closes ? ` until the survey closes on ${v.closes}` : ''}.`,
      'Part one asks about you and your council. Part two is anonymous: its answers are kept apart from part one and from your name, and nobody can tell which answers are yours.',
      ...signOff(v),
    ],
    v.link,
  );

export const partOneReminderText = (v: CouncilMailValues): CouncilMailText =>
  written(
    `Reminder: Chief Social Work Officer survey, ${v.wave}`,
    [
      `Dear ${v.name},`,
      `This is a reminder of the Chief Social Work Officer survey: ${v.wave}. Part one for ${v.council} has not been submitted yet${v.closes ? `, and the survey closes on ${v.closes}` : ''}.`,
      'Carry on with your personal link (the link in your invitation works too, and the answers you saved are kept):',
      v.link,
      'The link is for you alone: please do not forward this email.',
      ...signOff(v),
    ],
    v.link,
  );

export const partTwoReminderText = (v: CouncilMailValues): CouncilMailText =>
  written(
    `Reminder: part two of the Chief Social Work Officer survey, ${v.wave}`,
    [
      `Dear ${v.name},`,
      `Thank you for submitting part one of the Chief Social Work Officer survey: ${v.wave}, for ${v.council}.`,
      `If you have not finished part two yet, you can carry on with the code you were shown when you submitted part one${v.closes ? ` until the survey closes on ${v.closes}` : ''}. Enter it here:`,
      v.link,
      'If you have already submitted part two, thank you, and please ignore this email. Part two is anonymous: the survey keeps no record of who has answered it, so this reminder goes to every council that has submitted part one.',
      'If you no longer have your code, part two cannot be found again: that is what keeps it anonymous.',
      ...signOff(v),
    ],
    v.link,
  );
