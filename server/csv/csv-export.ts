import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  csvLayout,
  definitionOfWave,
  encodeRecord,
  storedAnswers,
  storedRecordEncoder,
  type Answers,
  type CsvLayout,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import { inBatches, withShuffledPartTwo } from '../storage/part-two-export-read.js';
import type { Stores } from '../storage/open-stores.js';
import { countPartOne, streamPartOne } from '../storage/part-one-store.js';
import { findStoredWave, knownWavesText } from '../storage/wave-store.js';
import { csvRecords, csvText } from './csv-writer.js';

export interface ExportRequest {
  readonly waveId: string;
  readonly part: PartId;
  /** Excel reads UTF-8 reliably only with a byte order mark; R and Python do not need one. */
  readonly bom?: boolean;
  readonly onProgress?: (progress: { rows: number; total: number }) => void;
}

export class ExportRefused extends Error {
  override name = 'ExportRefused';
}

/** A part's rows a batch at a time, and how one becomes a record of cells aligned with its layout's header. */
interface PartSource<Row> {
  readonly total: number;
  readonly batches: AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>;
  readonly record: (row: Row) => string[];
}

type ReadPart = <T>(
  stores: Stores,
  waveId: string,
  definition: SurveyDefinition,
  layout: CsvLayout,
  work: <Row>(source: PartSource<Row>) => Promise<T>,
) => Promise<T>;

const sources: Record<PartId, ReadPart> = {
  identifiable: async (stores, waveId, _definition, layout, work) =>
    work<Answers>({
      total: await countPartOne(stores.identifiable, waveId),
      batches: inBatches(streamPartOne(stores.identifiable, waveId), 500),
      record: (answers) => encodeRecord(layout, answers),
    }),
  // Part two leaves in a fresh random order and without its keys, so an export cannot be lined up
  // with another export, or with anything else, by position or id. It is read from a private copy, so
  // an export that takes its time (a slow disk, a paused pipe) never keeps the server from scrubbing.
  // Each row is written from its stored form, never made into answers (storedRecordEncoder).
  anonymous: (stores, waveId, definition, layout, work) => {
    const record = storedRecordEncoder(layout, storedAnswers(definition, 'anonymous'));
    return withShuffledPartTwo(stores, waveId, ({ total, batches }) => work<string>({ total, batches, record }));
  },
};

/**
 * Writes one part of one wave in the import format, streamed a batch of rows at a time: each batch
 * becomes one piece of text, so the output takes a few hundred writes rather than one per row. Returns
 * the number of rows.
 */
export const exportCsv = async (stores: Stores, request: ExportRequest, output: Writable, { end = true }: { end?: boolean } = {}): Promise<number> => {
  const wave = await findStoredWave(stores.identifiable, request.waveId);
  if (!wave) throw new ExportRefused(`unknown wave "${request.waveId}": ${await knownWavesText(stores.identifiable)}`);
  const definition = definitionOfWave(wave);
  const layout = csvLayout(definition, request.part);
  return sources[request.part](stores, wave.id, definition, layout, async ({ total, batches, record }) => {
    let rows = 0;
    async function* text() {
      yield csvText([layout.header], { bom: request.bom ?? false });
      for await (const batch of batches) {
        yield csvRecords(
          (function* () {
            for (const row of batch) yield record(row);
          })(),
        );
        rows += batch.length;
        request.onProgress?.({ rows, total });
      }
    }
    // One piece read ahead of the output, not sixteen: text waiting to be written is at most two batches.
    await pipeline(Readable.from(text(), { highWaterMark: 1 }), output, { end });
    return rows;
  });
};

/** Writes to a temporary file beside `path` and renames it, so a failed export never leaves half a file. */
export const exportCsvToFile = async (stores: Stores, request: ExportRequest, path: string): Promise<number> => {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const output = createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
  try {
    // Open the file before reading the store: a folder that does not exist fails here, with a listener
    // waiting for it, rather than as an 'error' nobody hears while a slower store (PostgreSQL) answers.
    await once(output, 'ready');
    const rows = await exportCsv(stores, request, output);
    await rename(temporary, path);
    return rows;
  } catch (error) {
    // The file is opened asynchronously: when the export is refused before writing, the open may
    // still be under way. Close the stream first, so the temporary file is not created (and its
    // descriptor left open) after it was removed.
    if (!output.closed) {
      const closed = once(output, 'close').catch(() => undefined);
      output.destroy();
      await closed;
    }
    await rm(temporary, { force: true });
    throw error;
  }
};
