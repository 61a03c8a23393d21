import type { Transform } from 'node:stream';
import { stringify, type Options } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { neutralise } from './formula-guard.js';

/**
 * The one CSV writer: every CSV the platform hands out (exports, table downloads, the research package,
 * invitation links, `tables --format csv`) is written here, and no other module configures a CSV
 * library. RFC 4180 as spreadsheets, pandas, R and Python's csv module read it:
 *
 * - CRLF between records;
 * - a field is quoted when it holds a comma, a quote, a CR or a LF (a lone one too: csv-stringify
 *   quotes only the record delimiter itself, and a bare line feed in a comment split the row for every
 *   other reader), or starts or ends with white space (which some readers trim);
 * - an optional byte order mark, which Excel needs to read UTF-8;
 * - every cell defused for spreadsheets (`neutralise`: a leading `'` before `=`, `+`, `-`, `@`, tab or
 *   CR), except a plain number, which a spreadsheet reads as a number and which must stay one for R and
 *   pandas (a difference of -0.05 in a table download).
 */

export interface CsvOptions {
  /** A UTF-8 byte order mark first: for files meant for Excel. */
  readonly bom?: boolean;
}

const plainNumber = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** What a cell becomes in any CSV of the platform, before quoting. */
export const spreadsheetSafe = (cell: string): string => (plainNumber.test(cell) ? cell : neutralise(cell));

const options = ({ bom = false }: CsvOptions): Options => ({
  bom,
  record_delimiter: 'windows',
  quoted_match: [/[\r\n]/, /^\s/, /\s$/],
  cast: { string: spreadsheetSafe },
});

/** A cell: text, or a number (written as JavaScript writes it, never defused). */
export type CsvCell = string | number;

/** A whole CSV file (the header is the first record). */
export const csvText = (records: readonly (readonly CsvCell[])[], csv: CsvOptions = {}): string => stringifySync(records as CsvCell[][], options(csv));

/** The same, as a stream of records in and text out, for files too large to hold. */
export const csvStream = (csv: CsvOptions = {}): Transform => stringify(options(csv));
