import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { byteGuard, NotCsvError } from './byte-guard.js';

/** Problems found in a file, listed up to a limit and counted beyond it. */
export interface ProblemList {
  add(text: string): void;
  readonly size: number;
  readonly listed: readonly string[];
  readonly more: number;
}

export const problemList = (max = 1000): ProblemList => {
  const listed: string[] = [];
  let more = 0;
  return {
    add: (text) => (listed.length < max ? listed.push(text) : more++),
    get size() {
      return listed.length + more;
    },
    listed,
    get more() {
      return more;
    },
  };
};

/** The file cannot be read as CSV at all (not UTF-8, binary, unbalanced quotes). */
export class UnreadableCsv extends Error {
  override name = 'UnreadableCsv';
}

export interface CsvRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  readonly number: number;
  /** The cell under a header column, or undefined when the header has no such column. */
  cell(column: string): string | undefined;
}

export const quoteCell = (cell: string): string =>
  cell.length > 60 ? `${JSON.stringify(`${cell.slice(0, 57)}...`)} (${[...cell].length} characters)` : JSON.stringify(cell);

/**
 * Streams a UTF-8 CSV file row by row after its header, never holding the file in memory. Blank rows
 * are skipped wherever they are; a header with problems stops row checks (they would only repeat
 * it); a row with the wrong number of cells is a problem of its own. Returns the header, if any.
 */
export const readCsvRows = async (
  input: Readable,
  handlers: {
    readonly problems: ProblemList;
    checkHeader(header: readonly string[]): readonly string[];
    onRow(row: CsvRow): void | Promise<void>;
    onBytes?(total: number): void;
  },
): Promise<readonly string[] | undefined> => {
  let header: string[] | undefined;
  let headerBroken = false;
  let index = new Map<string, number>();
  let number = 0;
  const consume = async (records: AsyncIterable<string[]>) => {
    for await (const record of records) {
      number++;
      if (record.every((c) => c.trim() === '')) continue;
      if (!header) {
        header = record.map((c) => c.trim());
        index = new Map(header.map((c, i) => [c, i]));
        const headerProblems = handlers.checkHeader(header);
        headerProblems.forEach((p) => handlers.problems.add(p));
        headerBroken = headerProblems.length > 0;
        continue;
      }
      if (headerBroken) continue;
      if (record.length !== header.length) {
        handlers.problems.add(`row ${number}: has ${record.length} cells but the header has ${header.length} columns`);
        continue;
      }
      await handlers.onRow({
        number,
        cell: (column) => {
          const i = index.get(column);
          return i === undefined ? undefined : record[i];
        },
      });
    }
  };
  try {
    await pipeline(input, byteGuard(handlers.onBytes), parse({ bom: true, relax_column_count: true }), consume);
  } catch (error) {
    if (error instanceof NotCsvError) throw new UnreadableCsv(error.message);
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? `line ${error.lines}: ` : '';
      throw new UnreadableCsv(`${line}the file is not valid CSV: ${error.message.replace(/^Invalid \w+:\s*/, '')}`);
    }
    throw error;
  }
  return header;
};
