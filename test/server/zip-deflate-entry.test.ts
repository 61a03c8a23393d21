import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Zip, unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipDeflateEntry } from '../../server/storage/zip-deflate-entry.js';
import { useTempDirs } from '../support/temp-dir.js';

/** Issue 16: zip members (research packages, backups) deflated by zlib off the main thread. */

const tempDir = useTempDirs();

describe('ZipDeflateEntry', () => {
  // Chunks under the member's backlog go on while the deflater works; a chunk over it waits for the deflater.
  it.each([
    ['chunks the deflater takes while the caller goes on', 100_000],
    ['a chunk larger than the backlog', 3_000_000],
  ])('makes members that fflate and Python read back byte for byte, with the right sizes and CRCs: %s', async (_, chunkSize) => {
    const dir = tempDir();
    // A file of many chunks, larger than zlib's buffers, and an empty one.
    const big = new TextEncoder().encode(Array.from({ length: 60_000 }, (_, i) => `${i},row ${i % 97},"a ""quoted"" cell"\r\n`).join(''));
    const files: Record<string, Uint8Array> = { 'part-two.csv': big, 'empty.txt': new Uint8Array(0), 'README.md': new TextEncoder().encode('# readme\n') };
    const chunks: Uint8Array[] = [];
    let finished = false;
    const zip = new Zip((error, chunk, final) => {
      if (error) throw error;
      chunks.push(chunk);
      finished = final;
    });
    for (const [name, data] of Object.entries(files)) {
      const entry = new ZipDeflateEntry(name, new Date(Date.UTC(2026, 11, 7, 12)));
      zip.add(entry);
      for (let at = 0; at < data.byteLength; at += chunkSize) await entry.push(data.subarray(at, at + chunkSize));
      await entry.end();
    }
    zip.end();
    expect(finished).toBe(true);
    const bytes = Buffer.concat(chunks);
    const unzipped = unzipSync(bytes);
    expect(Object.keys(unzipped)).toEqual(Object.keys(files));
    for (const [name, data] of Object.entries(files)) expect(Buffer.from(unzipped[name]!).equals(Buffer.from(data)), name).toBe(true);
    // Deflated, not stored.
    expect(bytes.byteLength).toBeLessThan(big.byteLength / 4);

    const file = join(dir, 'made.zip');
    writeFileSync(file, bytes);
    const python = execFileSync(
      'python3',
      [
        '-c',
        'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps([z.testzip(), [[i.filename, i.file_size, i.compress_type] for i in z.infolist()]]))',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(python)).toEqual([null, Object.entries(files).map(([name, data]) => [name, data.byteLength, 8])]);
    expect(strFromU8(unzipSync(readFileSync(file))['README.md']!)).toBe('# readme\n');
  });
});
