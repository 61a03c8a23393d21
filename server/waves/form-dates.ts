import { formatClosingDate } from '../storage/wave-store.js';
/**
 * A wave's dates: its closing date, and the last day it keeps what identifies people. Each is typed on
 * a form as day, month and year (the GOV.UK date input), given to the command line as YYYY-MM-DD
 * (`wave create --closes`, `--keep-until`), stored as YYYY-MM-DD, and shown as "30 June 2021".
 */

export const dateParts = ['day', 'month', 'year'] as const;
export type DatePart = (typeof dateParts)[number];

/** A date's boxes on a form: `closes-day`, `closes-month`, `closes-year` for the date `closes`. */
export const dateBoxId = (date: string, part: DatePart) => `${date}-${part}`;
export const dateBoxIds = (date: string) => dateParts.map((part) => dateBoxId(date, part));

export type ClosingDateReading =
  | { readonly ok: true; readonly date: string | undefined }
  /** `parts`: the fields to mark, the error summary linking to the first. */
  | { readonly ok: false; readonly message: string; readonly parts: readonly DatePart[] };

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `2021-06-30` when it names a day of the calendar; undefined otherwise (`2021-02-30`, `30/06/2021`). */
export const realIsoDate = (text: string): string | undefined => {
  const match = isoPattern.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && year >= 1000 ? text : undefined;
};

/** The UK's date at this moment (Europe/London), as YYYY-MM-DD: "today" for a closing date. */
export const todayInUk = (now: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now));

const listed = (parts: readonly string[]) => (parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

/** A date's three boxes, read from a form's values by `dateBoxId`. */
export const readDateBoxes = (values: Readonly<Record<string, string | undefined>>, date: string, what: string): ClosingDateReading =>
  readDateParts(Object.fromEntries(dateParts.map((p) => [p, values[dateBoxId(date, p)] ?? ''])) as Record<DatePart, string>, what);

/**
 * Three boxes, read as the GOV.UK date input pattern says: all blank is no date (it is optional); a
 * missing part, letters, a two-digit year or a day the month does not have each get their own message,
 * naming the boxes to correct. `what` begins the messages ("The closing date").
 */
export const readDateParts = (sent: Readonly<Record<DatePart, string>>, what: string): ClosingDateReading => {
  const text = Object.fromEntries(dateParts.map((p) => [p, sent[p].trim()])) as Record<DatePart, string>;
  const missing = dateParts.filter((p) => text[p] === '');
  if (missing.length === 3) return { ok: true, date: undefined };
  if (missing.length > 0) return { ok: false, message: `${what} must include a ${listed(missing)}`, parts: missing };
  const notNumbers = dateParts.filter((p) => !/^\d+$/.test(text[p]));
  if (notNumbers.length > 0) return { ok: false, message: `${what} must be a real date, typed in numbers`, parts: notNumbers };
  if (text.year.length !== 4) return { ok: false, message: 'The year must include 4 numbers', parts: ['year'] };
  const [day, month, year] = [Number(text.day), Number(text.month), Number(text.year)];
  if (month < 1 || month > 12) return { ok: false, message: `${what} must be a real date: the month is a number from 1 to 12`, parts: ['month'] };
  if (day < 1 || day > daysIn(year, month))
    return { ok: false, message: `${what} must be a real date: that month has ${daysIn(year, month)} days`, parts: ['day'] };
  return { ok: true, date: `${text.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
};

/** How each date of a new wave is named at the start of its messages, on the form and on the command line. */
export const waveDateNames = { closes: 'The closing date', until: 'The day to keep it until' } as const;
export type WaveDate = keyof typeof waveDateNames;

/** Why a date may not be in the past, or undefined when it is today or later (UK time). */
export const pastDateProblem = (iso: string, now: number, what: string): string | undefined =>
  iso < todayInUk(now) ? `${what} must be today or in the future (today is ${formatClosingDate(todayInUk(now))})` : undefined;
