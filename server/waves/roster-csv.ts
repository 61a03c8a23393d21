import type { Readable } from 'node:stream';
import {
  definitionKey,
  definitionOfWave,
  isOfKind,
  itemsOf,
  partOf,
  readAnswers,
  type Item,
  type ItemKind,
  type SurveyDefinition,
  type Wave,
} from '../../survey-definitions/index.js';
import { emailExpected } from '../../survey-definitions/kinds/email/email-kind.js';
import type { RosterEntry } from '../storage/roster-store.js';
import { problemList, quoteCell as quote, readCsvRows, UnreadableCsv, type CsvRow } from '../csv/csv-rows.js';

/** The roster file was refused as a whole. Each problem names the row, the column and what was expected. */
export class RosterRejected extends Error {
  override name = 'RosterRejected';
  constructor(
    readonly problems: readonly string[],
    readonly more = 0,
  ) {
    const total = problems.length + more;
    super([`nothing was imported: ${total} problem${total === 1 ? '' : 's'}`, ...problems].concat(more > 0 ? [`... and ${more} more`] : []).join('\n'));
  }
}

export const rosterColumns = ['local_authority', 'name', 'email'] as const;
type RosterColumn = (typeof rosterColumns)[number];

// Tabs and line breaks would break the one-line-per-council output of `invite` and `status`.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

const itemOf = <K extends ItemKind>(definition: SurveyDefinition, id: string, kind: K): Extract<Item, { kind: K }> => {
  const item = itemsOf(partOf(definition, 'identifiable')).find((i) => i.id === id);
  // Every published definition has these items; a new version without them is a programming error.
  if (!item || !isOfKind(item, kind)) throw new Error(`${definitionKey(definition)} has no ${kind} item "${id}" in part one`);
  return item;
};

/** The council codes of a definition, from its part-one `local_authority` item, with their labels. */
export const councilOptions = (definition: SurveyDefinition): readonly { code: string; label: string }[] => {
  return itemOf(definition, 'local_authority', 'single').options;
};

/** The wave's councils' names by code, as its definition gives them ("Fife" for `fife`). */
export const councilLabels = (wave: Wave): ReadonlyMap<string, string> => new Map(councilOptions(definitionOfWave(wave)).map((o) => [o.code, o.label]));

const ignoredWords = new Set(['city', 'of', 'islands', 'council', 'the']);
const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
const core = (text: string): string =>
  normalise(text)
    .split('_')
    .filter((w) => w !== '' && !ignoredWords.has(w))
    .join('_');

/**
 * The council code a spreadsheet's text most likely means: its label in any case ("Fife", "GLASGOW CITY"),
 * the code written with spaces or hyphens, or the name without "City", "Council" or "Islands" ("Edinburgh").
 * Undefined unless exactly one council matches.
 */
export const suggestCouncil = (text: string, options: readonly { code: string; label: string }[]): string | undefined => {
  const namesOf = (o: { code: string; label: string }) => {
    const aside = /\((.*)\)/.exec(o.label)?.[1];
    return [o.code, o.label, o.label.replace(/\s*\(.*\)\s*/g, ''), ...(aside ? [aside] : [])];
  };
  const unique = (matches: readonly { code: string }[]) => (matches.length === 1 ? matches[0]!.code : undefined);
  const wanted = normalise(text);
  if (wanted === '') return undefined;
  const exact = options.filter((o) => namesOf(o).some((n) => normalise(n) === wanted));
  if (exact.length > 0) return unique(exact);
  const loose = core(text);
  return loose === '' ? undefined : unique(options.filter((o) => namesOf(o).some((n) => core(n) === loose)));
};

const checkHeader = (header: readonly string[]): string[] => {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const expected = rosterColumns.join(', ');
  header.forEach((column, i) => {
    if (column === '') problems.push(`header: column ${i + 1} has no name; the columns are ${expected}`);
    else if (seen.has(column)) problems.push(`header: column "${column}" appears twice (columns ${seen.get(column)! + 1} and ${i + 1})`);
    else if (!(rosterColumns as readonly string[]).includes(column)) {
      const near = rosterColumns.find((c) => c === normalise(column) || (c === 'local_authority' && /^(council|la|authority)$/.test(normalise(column))));
      problems.push(
        near
          ? `header: unknown column ${quote(column)}; did you mean "${near}"?`
          : `header: unknown column ${quote(column)}: a roster has exactly the columns ${expected}`,
      );
    }
    seen.set(column, i);
  });
  for (const column of rosterColumns) {
    if (!seen.has(column)) problems.push(`header: missing column "${column}"; a roster has exactly the columns ${expected}`);
  }
  return problems;
};

/**
 * Reads a roster CSV (`local_authority,name,email`, any column order) and checks every row against the
 * wave's definition: a known council code, once only; a name; an email address as the form's `email`
 * item accepts it. Returns every entry, or throws RosterRejected listing every problem.
 */
export const readRosterCsv = async (input: Readable, definition: SurveyDefinition): Promise<RosterEntry[]> => {
  const councils = councilOptions(definition);
  const codes = new Set(councils.map((c) => c.code));
  const councilHint = `a council code such as ${councils[0]?.code ?? 'aberdeen_city'}`;
  const nameItem = itemOf(definition, 'name', 'text');
  const emailItem = itemOf(definition, 'email', 'email');

  const problems = problemList();
  const problem = (text: string) => problems.add(text);

  const entries: RosterEntry[] = [];
  const councilRows = new Map<string, number>();

  const checkRow = ({ number: rowNumber, cell }: CsvRow) => {
    const raw = (column: RosterColumn) => cell(column) ?? '';
    const refuse = (column: RosterColumn, expected: string, extra = '') => {
      const cell = raw(column);
      const got = cell.trim() === '' ? 'but it is empty' : `got ${quote(cell)}`;
      problem(`row ${rowNumber}, column ${column}: expected ${expected}, ${got}${extra}`);
    };
    let ok = true;
    for (const column of rosterColumns) {
      if (controlCharacter.test(raw(column).trim())) {
        refuse(column, 'one line of text without tabs or control characters');
        ok = false;
      }
    }
    if (!ok) return;

    const council = raw('local_authority').trim();
    if (!codes.has(council)) {
      const suggestion = suggestCouncil(council, councils);
      refuse('local_authority', councilHint, suggestion ? `; did you mean "${suggestion}"?` : '');
      ok = false;
    } else {
      const earlier = councilRows.get(council);
      if (earlier !== undefined) {
        problem(`row ${rowNumber}, column local_authority: "${council}" is already listed in row ${earlier}; a roster lists each council once`);
        ok = false;
      } else councilRows.set(council, rowNumber);
    }

    // The name and email are part one's own questions, read from their cells and checked as the import
    // and the forms read and check them.
    const name = raw('name').trim();
    const read = readAnswers([nameItem, emailItem], (column) => (column === nameItem.id ? name : raw(column as RosterColumn)));
    const issuesOf = (item: Item) => read.issues.filter((issue) => issue.path === item.id);
    if (name === '') {
      refuse('name', "the officer's name");
      ok = false;
    } else if (issuesOf(nameItem).length > 0) {
      issuesOf(nameItem).forEach((issue) => problem(`row ${rowNumber}, column name: expected ${issue.expected}, got ${quote(name)}`));
      ok = false;
    }

    const email = read.answers[emailItem.id];
    if (typeof email !== 'string') {
      const issues = issuesOf(emailItem);
      if (issues.length > 0) issues.forEach((issue) => refuse('email', issue.expected));
      else refuse('email', emailExpected);
      ok = false;
    }

    if (ok && typeof email === 'string') entries.push({ localAuthority: council, name, email });
  };

  let header: readonly string[] | undefined;
  try {
    header = await readCsvRows(input, { problems, checkHeader, onRow: checkRow });
  } catch (error) {
    if (error instanceof UnreadableCsv) throw new RosterRejected([error.message]);
    throw error;
  }
  if (!header) throw new RosterRejected([`the file is empty: expected a header row ${rosterColumns.join(',')}`]);
  if (problems.size > 0) throw new RosterRejected(problems.listed, problems.more);
  if (entries.length === 0) throw new RosterRejected(['the file has a header but no councils: nothing to import']);
  return entries;
};
