import { neutralise } from './formula-guard.js';

/**
 * The one CSV writer: every CSV the platform hands out (exports, table downloads, the research package,
 * invitation links, `tables --format csv`) is written here, and no other server module writes CSV. RFC 4180 as
 * spreadsheets, pandas, R and Python's csv module read it:
 *
 * - CRLF after every record, the last one too;
 * - a field is quoted when it holds a comma, a quote, a CR or a LF (a lone one too: a bare line feed in
 *   a comment split the row for every other reader), or starts or ends with white space (which some
 *   readers trim); a quote inside is doubled;
 * - an optional byte order mark, which Excel needs to read UTF-8;
 * - every cell defused for spreadsheets (`neutralise`: a leading `'` before `=`, `+`, `-`, `@`, tab or
 *   CR), except a plain number, which a spreadsheet reads as a number and which must stay one for R and
 *   pandas (a difference of -0.05 in a table download).
 *
 * It writes byte for byte what csv-stringify wrote when it was configured for these rules
 * (test/server/csv-writer.test.ts compares the two); written by hand because an export writes millions
 * of cells, and csv-stringify's cost per cell (options looked up, three patterns tried, a cast
 * callback) was a fifth of the export's time.
 */

export interface CsvOptions {
  /** A UTF-8 byte order mark first: for files meant for Excel. */
  readonly bom?: boolean;
}

const plainNumber = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** What a text cell becomes in any CSV of the platform, before quoting. */
export const spreadsheetSafe = (cell: string): string => (plainNumber.test(cell) ? cell : neutralise(cell));

/** A cell: text, or a number (written as JavaScript writes it, never defused). */
export type CsvCell = string | number;

const needsQuotes = /[",\r\n]|^\s|\s$/;

/** The slow path, for a cell the scan in `fieldOf` could not pass as it is. */
const quoted = (text: string): string => (needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * Whether `text` goes out exactly as it is: no character that needs quotes or a guard at its start, none
 * that needs quotes inside, and no white space at its end. Only ASCII is judged here (anything above
 * takes the slow path, since `\s` includes some of it); most cells of an export are codes and small
 * numbers, which pass in a few comparisons without a regular expression.
 */
const passesAsItIs = (text: string): boolean => {
  const first = text.charCodeAt(0);
  // Space and below (white space, control characters), anything past ASCII, and " ' + , - = @.
  if (first <= 0x20 || first > 0x7e || first === 0x22 || first === 0x27 || first === 0x2b || first === 0x2c || first === 0x2d) return false;
  if (first === 0x3d || first === 0x40) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x2c || c > 0x7e) {
      // Inside a cell a space is harmless; at its end it is white space a reader may trim.
      if (c === 0x20 && i < text.length - 1) continue;
      return false;
    }
  }
  return true;
};

/** One cell as it stands in the file. */
const fieldOf = (cell: CsvCell, column: number): string => {
  if (typeof cell === 'string') {
    if (cell === '' || passesAsItIs(cell)) return cell;
    return quoted(spreadsheetSafe(cell));
  }
  if (typeof cell === 'number') return quoted(String(cell));
  // An empty cell, as csv-stringify wrote a missing one (a record from data typed loosely at run time).
  if (cell === undefined || cell === null) return '';
  throw new TypeError(`CSV column ${column + 1}: expected text or a number, got ${typeof cell}`);
};

/** One record as it stands in the file, with its CRLF. */
export const csvRecord = (record: readonly CsvCell[]): string => {
  const fields = new Array<string>(record.length);
  for (let i = 0; i < record.length; i++) fields[i] = fieldOf(record[i]!, i);
  return `${fields.join(',')}\r\n`;
};

/**
 * Records one after another (no byte order mark): a stretch of a file written a slice at a time. Joined,
 * not concatenated: `+=` leaves a tree of small pieces that stays alive, and is copied by every
 * young-generation collection, until the text is written.
 */
export const csvRecords = (records: Iterable<readonly CsvCell[]>): string => {
  const lines: string[] = [];
  for (const record of records) lines.push(csvRecord(record));
  return lines.join('');
};

const BOM = '\ufeff';

/** A whole CSV file (the header is the first record). */
export const csvText = (records: readonly (readonly CsvCell[])[], csv: CsvOptions = {}): string => `${csv.bom ? BOM : ''}${csvRecords(records)}`;
