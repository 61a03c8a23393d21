import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Zip, zipSync } from 'fflate';
import type { MicrodataOptions, MicrodataReport } from '../../analysis/index.js';
import { partTwoFile, researchDataPackage, type DataPackageDescriptor } from '../../analysis/codebook/data-package.js';
import { researchPackageReadme } from '../../analysis/codebook/package-readme.js';
import { pythonReader, pythonReaderFile, rReader, rReaderFile } from '../../analysis/codebook/reading-scripts.js';
import { unionRecordWriter, waveUnion, WavesNotCombinable, type WaveRelease, type WaveUnion } from '../../analysis/codebook/wave-union.js';
import { checkedK } from '../../analysis/disclosure/disclosure-types.js';
import { MicrodataPlanMismatch, rankMicrodata, releaseMicrodata, startMicrodataPlan, type MicrodataPlan } from '../../analysis/disclosure/microdata.js';
import { shuffled, type RandomSource } from '../../analysis/disclosure/shuffle.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { definitionOfWave, findBundledWave, storedAnswers, type Answers, type StoredAnswers, type Wave } from '../../survey-definitions/index.js';
import { UnknownWave } from '../dashboards/index.js';
import { csvRecord, csvText } from '../csv/csv-writer.js';
import { streamPartTwo, streamPartTwoItems, streamPartTwoShuffled } from '../storage/anonymous-store.js';
import { dataVersionOf } from '../storage/data-version-store.js';
import type { Stores } from '../storage/open-stores.js';
import { ZipDeflateEntry } from '../storage/zip-deflate-entry.js';

/**
 * The researcher download of one wave or several: part two after disclosure control (wave by wave) as
 * one `part-two.csv` (a `wave` column, then the import format's columns over the union of the waves'
 * versions), its codebook `datapackage.json` (Frictionless Data Package), a `README.md` and scripts
 * that read it in Python and R, zipped.
 *
 * In two passes over each wave, so that memory stays flat however many rows it has: pass one streams
 * the items the plan reads of each row (in storage order: `streamPartTwoItems`, the quasi-identifiers
 * and the numbers) into the disclosure control's plan (`startMicrodataPlan`: value counts,
 * distinct combinations of the quasi-identifiers), which decides everything and gives the reports the
 * codebook and README are written from (when the rows of a combination are split between blanks and
 * none, one more pass gives those rows their place in the canonical order); pass two streams the rows
 * again, in a fresh random order (`order by random()` in the store, as the export), applies the plan
 * row by row (`releaseMicrodata`) and writes the CSV a slice of rows at a time into the zip as it is
 * deflated.
 *
 * Both passes must read the same rows. The wave's data version (data-version-store.ts, changed by
 * every write of its answers) is read before pass one and after pass two; if it changed, or a row of
 * pass two does not match the plan, the package is made again once, then refused. On SQLite the
 * command line and the staff page pass a private copy (withAnonymousSnapshot), where nothing changes;
 * on PostgreSQL each pass is one statement read through a cursor, so the check is what holds them
 * together.
 *
 * It takes the anonymous store alone (`Pick<Stores, 'anonymous'>`): part one never reaches a
 * researcher as microdata, and there is no option that would make it.
 */

export const researchPackageFiles = ['README.md', 'datapackage.json', partTwoFile, pythonReaderFile, rReaderFile] as const;
export type ResearchPackageFile = (typeof researchPackageFiles)[number];

export interface ResearchPackageRequest {
  /** One wave or several: one part-two.csv with a wave column, over the union of their versions' items. */
  readonly waveIds: readonly string[];
  /**
   * The waves as the wave store holds them (findStoredWave), by id. This module sees the anonymous store
   * alone, so it cannot look a wave up itself; without them, only the fielded 2020 waves are known.
   */
  readonly waves?: readonly Wave[];
  /** Every released number and combination of quasi-identifiers is held by at least k rows, in each wave. Default 3. */
  readonly k?: number;
  /**
   * Free-text items to release, per wave id (they are left out by default). Not offered on the command
   * line: released text goes out as written and can name people, so a person must read it first.
   */
  readonly releaseText?: Readonly<Record<string, MicrodataOptions['releaseText']>>;
  /**
   * Tests only: a seeded shuffle, reported as not for release. The rows of a wave are then held in memory
   * to be shuffled, not streamed in the store's random order.
   */
  readonly random?: RandomSource;
  /** When the package is made; default now. */
  readonly now?: Date;
}

/** What a package holds and what the disclosure control did, without its files. */
export interface ResearchPackageSummary {
  /** In the order of the rows (by id). */
  readonly waveIds: readonly string[];
  readonly descriptor: DataPackageDescriptor;
  /** What the disclosure control did, per wave, in the order of `waveIds`. */
  readonly reports: readonly MicrodataReport[];
  readonly rows: number;
  readonly columns: number;
  /** The size of part-two.csv. */
  readonly csvBytes: number;
}

/** Every file but part-two.csv, which is streamed into the zip and never held whole. */
type SmallFile = Exclude<ResearchPackageFile, typeof partTwoFile>;

/** A package written as it was made: its small files, and what it holds. */
export interface WrittenResearchPackage extends ResearchPackageSummary {
  readonly files: Readonly<Record<SmallFile, Uint8Array>>;
}

/** A package in memory, every file whole (tests, and a look at a small wave's files). */
export interface ResearchPackage extends ResearchPackageSummary {
  readonly files: Readonly<Record<ResearchPackageFile, Uint8Array>>;
}

export class PackageRefused extends Error {
  override name = 'PackageRefused';
}

/** A wave's answers changed between the two passes: the package is made again. */
class AnswersChanged extends Error {
  override name = 'AnswersChanged';
}

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

/**
 * Rows of part-two.csv handed to the deflater at a time (about 100 KB). Each row is its line of text as
 * soon as it is released, so a slice holds lines, not rows: a row's answers, cells and record die before
 * the next row is read, in V8's young generation. Holding 500 released rows and their records until
 * their slice was written kept them through collections of it, into the old one.
 */
const csvSlice = 500;

/** A package once pass one is done: each wave's plan, the file's layout, and the small files. */
interface PlannedPackage {
  readonly waves: readonly (WaveRelease & { readonly plan: MicrodataPlan; readonly dataVersion: string })[];
  readonly union: WaveUnion;
  readonly descriptor: DataPackageDescriptor;
  readonly files: Readonly<Record<SmallFile, Uint8Array>>;
}

/** The request checked before anything is read. */
const checkRequest = (request: ResearchPackageRequest): number => {
  let k: number;
  try {
    k = checkedK(request.k);
  } catch (error) {
    throw new PackageRefused((error as Error).message);
  }
  if (request.waveIds.length === 0) throw new PackageRefused('choose at least one wave');
  const repeated = request.waveIds.find((id, i) => request.waveIds.indexOf(id) !== i);
  if (repeated !== undefined) throw new PackageRefused(`wave ${repeated} is named more than once`);
  const unknownText = Object.keys(request.releaseText ?? {}).filter((id) => !request.waveIds.includes(id));
  if (unknownText.length > 0) throw new PackageRefused(`free text is released for ${unknownText.join(', ')}, which is not a wave of this package`);
  return k;
};

/** The wave as the request passes it from the wave store; without it, only a fielded 2020 wave is known. */
const waveNamed = (request: ResearchPackageRequest, waveId: string): Wave => {
  const wave = request.waves?.find((w) => w.id === waveId) ?? findBundledWave(waveId);
  if (!wave || wave.id !== waveId) throw new PackageRefused(new UnknownWave(waveId).message);
  return wave;
};

/** Pass one over every wave: each wave's plan, then the layout and the small files written from the plans' reports. */
const planPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest, k: number): Promise<PlannedPackage> => {
  const waves: PlannedPackage['waves'][number][] = [];
  for (const waveId of request.waveIds) {
    const wave = waveNamed(request, waveId);
    const definition = definitionOfWave(wave);
    const releaseText = request.releaseText?.[wave.id];
    const dataVersion = await dataVersionOf(stores.anonymous, wave.id);
    let planner: ReturnType<typeof startMicrodataPlan>;
    try {
      planner = startMicrodataPlan(definition, {
        k,
        ...(releaseText !== undefined ? { releaseText } : {}),
        ...(request.random ? { random: request.random } : {}),
      } satisfies MicrodataOptions);
    } catch (error) {
      throw new PackageRefused(`wave ${wave.id}: ${(error as Error).message}`);
    }
    const stored = storedAnswers(definition, 'anonymous');
    for await (const answers of streamPartTwoItems(stores.anonymous, wave.id, planner.reads, stored)) planner.add(answers);
    let plan = planner.plan();
    if (!plan.ranked) {
      // Some combination's rows are split between blanks and none: which of them follows their canonical
      // order, read in one more pass over those rows (a large wave seldom needs it).
      const ranking = rankMicrodata(plan);
      for await (const answers of streamPartTwo(stores.anonymous, wave.id, stored)) ranking.add(answers);
      plan = ranking.finish();
    }
    // The hash `published-versions.json` records for this version (a test keeps the two equal).
    waves.push({ wave, definition, report: plan.report, contentHash: contentHash(definition), plan, dataVersion });
  }
  let union: WaveUnion;
  try {
    union = waveUnion(waves);
  } catch (error) {
    if (error instanceof WavesNotCombinable) throw new PackageRefused(error.message);
    throw error;
  }
  const descriptor = researchDataPackage({ waves, created: (request.now ?? new Date()).toISOString() });
  const readme = researchPackageReadme({ waves, descriptor });
  return {
    waves,
    union,
    descriptor,
    files: {
      'README.md': utf8(readme),
      'datapackage.json': utf8(`${JSON.stringify(descriptor, null, 2)}\n`),
      [pythonReaderFile]: utf8(pythonReader),
      [rReaderFile]: utf8(rReader(descriptor)),
    } as Record<SmallFile, Uint8Array>,
  };
};

/** A wave's rows for pass two: a fresh random order from the store, or (tests) a seeded shuffle in memory. */
async function* rowsToRelease(
  stores: Pick<Stores, 'anonymous'>,
  waveId: string,
  stored: StoredAnswers,
  random: RandomSource | undefined,
): AsyncGenerator<Answers> {
  if (!random) {
    yield* streamPartTwoShuffled(stores.anonymous, waveId, stored);
    return;
  }
  const rows: Answers[] = [];
  for await (const answers of streamPartTwo(stores.anonymous, waveId, stored)) rows.push(answers);
  yield* shuffled(rows, random);
}

/**
 * Pass two: part-two.csv as UTF-8 chunks of `csvSlice` rows, each wave's rows in a fresh random order,
 * the waves in the union's order; cells defused for spreadsheets by the writer. Ends by checking that
 * no wave's answers changed since pass one.
 */
async function* partTwoCsv(stores: Pick<Stores, 'anonymous'>, planned: PlannedPackage, random: RandomSource | undefined): AsyncGenerator<Uint8Array> {
  yield utf8(csvText([[...planned.union.header]]));
  for (const release of planned.union.waves) {
    const { plan, definition } = planned.waves.find((w) => w.wave.id === release.wave.id)!;
    if (plan.report.withheld !== undefined) continue;
    const released = releaseMicrodata(plan);
    const recordOf = unionRecordWriter(planned.union, release);
    let lines: string[] = [];
    for await (const answers of rowsToRelease(stores, release.wave.id, storedAnswers(definition, 'anonymous'), random)) {
      const { row, suppressed } = released.apply(answers);
      lines.push(csvRecord(recordOf(row, suppressed)));
      if (lines.length === csvSlice) {
        yield utf8(lines.join(''));
        lines = [];
      }
    }
    if (lines.length > 0) yield utf8(lines.join(''));
    released.finish();
  }
  for (const { wave, dataVersion } of planned.waves) {
    if ((await dataVersionOf(stores.anonymous, wave.id)) !== dataVersion) throw new AnswersChanged(`the answers of wave ${wave.id} changed`);
  }
}

/**
 * Makes a package with `make` (both passes); if a wave's answers changed under it, once more; a second
 * change is refused (the answers are being written: try again later).
 */
const twice = async <T>(make: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await make();
    } catch (error) {
      if (!(error instanceof AnswersChanged || error instanceof MicrodataPlanMismatch)) throw error;
      if (attempt === 2) throw new PackageRefused('the answers changed while the package was being made, twice: try again when no answers are being written');
    }
  }
};

/** Files are handed to the deflater this many bytes at a time, so the zip is written as it is made. */
const zipChunk = 1 << 20;

/**
 * Zips a package as it is made (fflate's streaming Zip, the files at the zip's root, each deflated by
 * zlib beside the main thread: storage/zip-deflate-entry.ts): the small files whole, part-two.csv chunk
 * by chunk as pass two writes it, each chunk handed to the deflater as it comes and the deflated bytes
 * to `sink`. Returns the CSV's size.
 */
const streamZip = async (
  csv: AsyncIterable<Uint8Array>,
  files: Readonly<Record<SmallFile, Uint8Array>>,
  sink: (chunk: Uint8Array) => void,
  now: Date,
): Promise<number> => {
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else if (!failure) sink(chunk);
  });
  let csvBytes = 0;
  for (const name of researchPackageFiles) {
    const entry = new ZipDeflateEntry(name, now);
    zip.add(entry);
    try {
      if (name === partTwoFile) {
        for await (const chunk of csv) {
          await entry.push(chunk);
          csvBytes += chunk.byteLength;
          if (failure) throw failure;
        }
      } else {
        const data = files[name];
        for (let at = 0; at < data.byteLength; at += zipChunk) await entry.push(data.subarray(at, at + zipChunk));
      }
      await entry.end();
    } catch (error) {
      entry.terminate();
      throw error;
    }
  }
  zip.end();
  if (failure) throw failure;
  return csvBytes;
};

const summaryOf = (planned: PlannedPackage, csvBytes: number): ResearchPackageSummary => ({
  waveIds: planned.union.waves.map((w) => w.wave.id),
  descriptor: planned.descriptor,
  reports: planned.union.waves.map((w) => w.report),
  rows: planned.union.waves.reduce((sum, w) => sum + w.report.rows, 0),
  columns: planned.union.header.length,
  csvBytes,
});

/**
 * Builds every file in memory, part-two.csv whole: for tests and for looking at a small wave's files.
 * A download or a file goes through `researchPackageZip` or `writeResearchPackage`, which never hold
 * the CSV. Each wave goes through the disclosure control on its own, exactly as in its own package.
 */
export const buildResearchPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest): Promise<ResearchPackage> => {
  const k = checkRequest(request);
  return twice(async () => {
    const planned = await planPackage(stores, request, k);
    const chunks: Uint8Array[] = [];
    for await (const chunk of partTwoCsv(stores, planned, request.random)) chunks.push(chunk);
    const csv = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
    chunks.reduce((at, c) => (csv.set(c, at), at + c.byteLength), 0);
    return { ...summaryOf(planned, csv.byteLength), files: { ...planned.files, [partTwoFile]: csv } };
  });
};

/** The zip of a package in memory: the files at its root, deflated (fflate, pure JavaScript). */
export const zipResearchPackage = (pkg: ResearchPackage, now = new Date()): Uint8Array =>
  zipSync(Object.fromEntries(researchPackageFiles.map((name) => [name, pkg.files[name]])), { level: 6, mtime: now });

/**
 * The zip of a package for a download: made as the CSV is written, so only the deflated bytes are held
 * (about a tenth of the CSV), never the rows or the CSV itself. The same entries, level and time as
 * `zipResearchPackage`.
 */
export const researchPackageZip = async (
  stores: Pick<Stores, 'anonymous'>,
  request: ResearchPackageRequest,
): Promise<{ readonly pkg: WrittenResearchPackage; readonly zip: Uint8Array }> => {
  const k = checkRequest(request);
  return twice(async () => {
    const planned = await planPackage(stores, request, k);
    const chunks: Uint8Array[] = [];
    const csvBytes = await streamZip(partTwoCsv(stores, planned, request.random), planned.files, (chunk) => chunks.push(chunk), request.now ?? new Date());
    const zip = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
    chunks.reduce((at, c) => (zip.set(c, at), at + c.byteLength), 0);
    return { pkg: { ...summaryOf(planned, csvBytes), files: planned.files }, zip };
  });
};

/**
 * Builds the package and writes its zip to `path` as it is made, through a temporary file beside it
 * and a rename, so a failure never leaves half a file; readable only by its owner, as the microdata it
 * holds. Neither the rows nor the CSV are held in memory.
 */
export const writeResearchPackage = async (
  stores: Pick<Stores, 'anonymous'>,
  request: ResearchPackageRequest,
  path: string,
): Promise<WrittenResearchPackage> => {
  const k = checkRequest(request);
  return twice(async () => {
    const planned = await planPackage(stores, request, k);
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      let csvBytes: number;
      try {
        const write = (chunk: Uint8Array) => {
          for (let at = 0; at < chunk.byteLength;) at += writeSync(fd, chunk, at);
        };
        csvBytes = await streamZip(partTwoCsv(stores, planned, request.random), planned.files, write, request.now ?? new Date());
      } finally {
        closeSync(fd);
      }
      await rename(temporary, path);
      return { ...summaryOf(planned, csvBytes), files: planned.files };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  });
};
