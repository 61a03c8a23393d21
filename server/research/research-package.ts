import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { prepareMicrodata, type Microdata, type MicrodataOptions, type MicrodataReport } from '../../analysis/index.js';
import { partTwoFile, researchDataPackage, type DataPackageDescriptor } from '../../analysis/codebook/data-package.js';
import { researchPackageReadme } from '../../analysis/codebook/package-readme.js';
import { pythonReader, pythonReaderFile, rReader, rReaderFile } from '../../analysis/codebook/reading-scripts.js';
import { unionRecords, waveUnion, WavesNotCombinable, type WaveRelease, type WaveUnion } from '../../analysis/codebook/wave-union.js';
import { checkedK } from '../../analysis/disclosure/disclosure-types.js';
import type { RandomSource } from '../../analysis/disclosure/shuffle.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { definitionOfWave, type Wave } from '../../survey-definitions/index.js';
import { loadAnonymousAnswers, UnknownWave } from '../dashboards/index.js';
import { csvText } from '../csv/csv-writer.js';
import type { Stores } from '../storage/open-stores.js';

/**
 * The researcher download of one wave or several: part two after disclosure control (`prepareMicrodata`,
 * wave by wave) as one `part-two.csv` (a `wave` column, then the import format's columns over the union
 * of the waves' versions), its codebook `datapackage.json` (Frictionless Data Package), a `README.md`
 * and scripts that read it in Python and R, zipped.
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
  /** Tests only: a seeded shuffle is reported as not for release. */
  readonly random?: RandomSource;
  /** When the package is made; default now. */
  readonly now?: Date;
}

export interface ResearchPackage {
  /** In the order of the rows (by id). */
  readonly waveIds: readonly string[];
  readonly files: Readonly<Record<ResearchPackageFile, Uint8Array>>;
  readonly descriptor: DataPackageDescriptor;
  /** What the disclosure control did, per wave, in the order of `waveIds`. */
  readonly reports: readonly MicrodataReport[];
  readonly rows: number;
  readonly columns: number;
}

export class PackageRefused extends Error {
  override name = 'PackageRefused';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Rows of part-two.csv turned into text at a time. */
const csvSlice = 5000;

/** Text appended as UTF-8 chunks, joined once at the end. */
class ChunkedBytes {
  readonly #chunks: Uint8Array[] = [];
  #length = 0;
  push(text: string): void {
    const chunk = utf8(text);
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks.splice(0)) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}

/**
 * Builds the files in memory (a wave is a few dozen rows; the disclosure control needs them all at once).
 * Each wave goes through the disclosure control on its own, exactly as in its own package.
 */
export const buildResearchPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest): Promise<ResearchPackage> => {
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

  const releases: (WaveRelease & { microdata: Microdata })[] = [];
  for (const waveId of request.waveIds) {
    let loaded: Awaited<ReturnType<typeof loadAnonymousAnswers>>;
    try {
      loaded = await loadAnonymousAnswers(
        stores,
        waveId,
        request.waves?.find((w) => w.id === waveId),
      );
    } catch (error) {
      if (error instanceof UnknownWave) throw new PackageRefused(error.message);
      throw error;
    }
    const { wave, answers } = loaded;
    const definition = definitionOfWave(wave);
    const releaseText = request.releaseText?.[wave.id];
    let microdata: Microdata;
    try {
      microdata = prepareMicrodata(definition, answers, {
        k,
        ...(releaseText !== undefined ? { releaseText } : {}),
        ...(request.random ? { random: request.random } : {}),
      });
    } catch (error) {
      throw new PackageRefused(`wave ${wave.id}: ${(error as Error).message}`);
    }
    // The hash `published-versions.json` records for this version (a test keeps the two equal).
    releases.push({ wave, definition, report: microdata.report, contentHash: contentHash(definition), microdata });
  }

  let union: WaveUnion;
  try {
    union = waveUnion(releases);
  } catch (error) {
    if (error instanceof WavesNotCombinable) throw new PackageRefused(error.message);
    throw error;
  }
  // Each wave's rows in the order prepareMicrodata shuffled them, the waves in the union's order; cells
  // defused for spreadsheets by the writer. Written a slice of rows at a time, so the cells of every row
  // and the whole file as text are never held beside the microdata and the file's bytes.
  const csv = new ChunkedBytes();
  csv.push(csvText([[...union.header]]));
  let rows = 0;
  for (const release of union.waves) {
    const { microdata } = releases.find((r) => r.wave.id === release.wave.id)!;
    for (let start = 0; start < microdata.rows.length; start += csvSlice) {
      const end = start + csvSlice;
      csv.push(csvText(unionRecords(union, release, { rows: microdata.rows.slice(start, end), suppressed: microdata.suppressed.slice(start, end) })));
    }
    rows += microdata.rows.length;
  }

  const descriptor = researchDataPackage({ waves: releases, created: (request.now ?? new Date()).toISOString() });
  const readme = researchPackageReadme({ waves: releases, descriptor });
  return {
    waveIds: union.waves.map((w) => w.wave.id),
    files: {
      'README.md': utf8(readme),
      'datapackage.json': utf8(`${JSON.stringify(descriptor, null, 2)}\n`),
      [partTwoFile]: csv.bytes(),
      [pythonReaderFile]: utf8(pythonReader),
      [rReaderFile]: utf8(rReader(descriptor)),
    },
    descriptor,
    reports: union.waves.map((w) => w.report),
    rows,
    columns: union.header.length,
  };
};

/** The zip of a package: the three files at its root, deflated (fflate, pure JavaScript). */
export const zipResearchPackage = (pkg: ResearchPackage, now = new Date()): Uint8Array =>
  zipSync(Object.fromEntries(researchPackageFiles.map((name) => [name, pkg.files[name]])), { level: 9, mtime: now });

/** Files are handed to the deflater this many bytes at a time, so the zip is written as it is made. */
const zipChunk = 1 << 20;

/**
 * Writes the zip of a package to an open file as it is deflated (fflate's streaming Zip), so the whole
 * zip is never held in memory beside the files. The same entries, level and time as `zipResearchPackage`.
 */
const writeZipTo = (fd: number, pkg: ResearchPackage, now = new Date()): void => {
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else if (!failure) for (let at = 0; at < chunk.byteLength;) at += writeSync(fd, chunk, at);
  });
  for (const name of researchPackageFiles) {
    const entry = new ZipDeflate(name, { level: 9 });
    entry.mtime = now;
    zip.add(entry);
    const data = pkg.files[name];
    if (data.byteLength === 0) entry.push(data, true);
    for (let at = 0; at < data.byteLength; at += zipChunk) entry.push(data.subarray(at, at + zipChunk), at + zipChunk >= data.byteLength);
  }
  zip.end();
  if (failure) throw failure;
};

/**
 * Builds the package and writes its zip to `path` through a temporary file beside it and a rename,
 * so a failure never leaves half a file; readable only by its owner, as the microdata it holds.
 */
export const writeResearchPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest, path: string): Promise<ResearchPackage> => {
  const pkg = await buildResearchPackage(stores, request);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeZipTo(fd, pkg, request.now);
    } finally {
      closeSync(fd);
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return pkg;
};
