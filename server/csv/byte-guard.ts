import { Transform, type TransformCallback } from 'node:stream';

/** A refusal of the file as a whole, before any row is read. */
export class NotCsvError extends Error {
  override name = 'NotCsvError';
}

const signatures: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook or other zip file (.xlsx)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
  { bytes: [0xff, 0xfe], what: 'UTF-16 text' },
  { bytes: [0xfe, 0xff], what: 'UTF-16 text' },
];

const saveAs = 'save it from your spreadsheet as "CSV UTF-8 (comma delimited)"';

const countNewlines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Passes bytes through unchanged after checking they are UTF-8 text, so the CSV parser never turns
 * a Windows-1252 or binary file into silently wrong answers. Reports the line of the first bad byte.
 */
export const byteGuard = (onBytes?: (total: number) => void): Transform => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let lines = 1;
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (first) {
        first = false;
        const match = signatures.find((s) => s.bytes.every((b, i) => chunk[i] === b));
        if (match) return callback(new NotCsvError(`this is ${match.what}, not a UTF-8 CSV file: ${saveAs}`));
      }
      const nul = chunk.indexOf(0);
      if (nul !== -1) {
        const before = new TextDecoder().decode(chunk.subarray(0, nul));
        return callback(new NotCsvError(`line ${lines + countNewlines(before)} holds a NUL byte: this is a binary file, not a UTF-8 CSV file`));
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const loose = new TextDecoder().decode(chunk);
        const at = loose.indexOf('\uFFFD');
        const line = lines + countNewlines(loose.slice(0, at === -1 ? loose.length : at));
        return callback(new NotCsvError(`line ${line} is not valid UTF-8 (perhaps Windows-1252 or Latin-1): ${saveAs}`));
      }
      lines += countNewlines(text);
      total += chunk.length;
      onBytes?.(total);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      try {
        decoder.decode();
      } catch {
        return callback(new NotCsvError(`the file ends in the middle of a UTF-8 character (line ${lines}): ${saveAs}`));
      }
      callback();
    },
  });
};
