import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { zipSync } from 'fflate';
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
  // defused for spreadsheets by the writer.
  const records = union.waves.flatMap((release) => unionRecords(union, release, releases.find((r) => r.wave.id === release.wave.id)!.microdata));
  const csv = csvText([[...union.header], ...records]);

  const descriptor = researchDataPackage({ waves: releases, created: (request.now ?? new Date()).toISOString() });
  const readme = researchPackageReadme({ waves: releases, descriptor });
  return {
    waveIds: union.waves.map((w) => w.wave.id),
    files: {
      'README.md': utf8(readme),
      'datapackage.json': utf8(`${JSON.stringify(descriptor, null, 2)}\n`),
      [partTwoFile]: utf8(csv),
      [pythonReaderFile]: utf8(pythonReader),
      [rReaderFile]: utf8(rReader(descriptor)),
    },
    descriptor,
    reports: union.waves.map((w) => w.report),
    rows: records.length,
    columns: union.header.length,
  };
};

/** The zip of a package: the three files at its root, deflated (fflate, pure JavaScript). */
export const zipResearchPackage = (pkg: ResearchPackage, now = new Date()): Uint8Array =>
  zipSync(Object.fromEntries(researchPackageFiles.map((name) => [name, pkg.files[name]])), { level: 9, mtime: now });

/**
 * Builds the package and writes its zip to `path` through a temporary file beside it and a rename,
 * so a failure never leaves half a file; readable only by its owner, as the microdata it holds.
 */
export const writeResearchPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest, path: string): Promise<ResearchPackage> => {
  const pkg = await buildResearchPackage(stores, request);
  const zip = zipResearchPackage(pkg, request.now);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await writeFile(temporary, zip, { flag: 'wx', mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return pkg;
};
