/**
 * The privacy notice (UK GDPR Article 13) as text an administrator edits: paragraphs separated by blank
 * lines, a line starting "## " a heading, lines starting "- " a list, and {support} the SUPPORT_EMAIL
 * address. The platform's default covers each point of Article 13; what only the operator can say is marked
 * "[Operator: …]", shown as it is until it is filled in.
 */

export type NoticeBlock =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] };

export const noticeMaxLength = 20_000;

/** The gaps still marked for the operator, as they are written. */
export const operatorGaps = (text: string): string[] => [...text.matchAll(/\[Operator:[^\]]*\]/g)].map((m) => m[0]);

/** The notice's blocks, with {support} filled in. */
export const noticeBlocks = (text: string, support: string): NoticeBlock[] =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block): NoticeBlock => {
      const filled = block.replaceAll('{support}', support);
      const lines = filled.split('\n').map((l) => l.trim());
      if (lines.length === 1 && lines[0]!.startsWith('## ')) return { kind: 'heading', text: lines[0]!.slice(3).trim() };
      if (lines.every((l) => l.startsWith('- '))) return { kind: 'list', items: lines.map((l) => l.slice(2).trim()) };
      return { kind: 'paragraph', text: lines.join(' ') };
    });

export const defaultPrivacyNotice = `## Who we are

Social Work Scotland is the data controller for the Chief Social Work Officer survey. [Operator: Social Work Scotland's postal address and its registration number with the Information Commissioner's Office.] You can contact our data protection lead at [Operator: the contact of your data protection officer or lead].

## What we collect and why

Part one of the survey asks about you as your council's Chief Social Work Officer and about your council. Its answers are kept with your council's name. We also hold your name and work email address on the survey's roster, to send you your invitation and reminders.

Part two is anonymous. Its answers are kept in a separate database that holds no name, council, email address, link, network address or time. Nobody, including us, can tell which part two is yours.

We use the answers to publish a report on the role of Chief Social Work Officers in Scotland, with figures for all councils together. Small groups are never shown on their own.

## Our lawful basis

[Operator: the lawful basis under UK GDPR Article 6 for each purpose, for example legitimate interests (Article 6(1)(f)) or a task in the public interest (Article 6(1)(e)), and why it applies.]

## Who sees your information

- Social Work Scotland's administrators see part one by council, and who has been invited and reminded.
- Analysts see tables of all councils' answers.
- Researchers may receive part two's answers after disclosure control, with no names or councils, and comments only once they have been checked.
- Invitations and reminders are sent through [Operator: your email provider], which handles your name and email address for that purpose.

[Operator: anyone else you share information with, and any transfer outside the UK.]

## How long we keep it

[Operator: how long each wave's information is kept.] When that time ends, names, email addresses, invitations and rosters are erased; the answers the published tables need are kept under the council's name only.

## Your rights

You have the right to be told how your information is used, to see the information we hold about you, to have it corrected, and to ask for it to be erased. To use these rights, write to {support}.

Part two cannot be found for a person: that is what keeps it anonymous. So we cannot show you your part two, or erase it.

If you are unhappy with how we handle your information, you can complain to the Information Commissioner's Office (ico.org.uk, 0303 123 1113).
`;
