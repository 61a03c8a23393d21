import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { prepareMicrodata, type MicrodataOptions, type MicrodataReport } from '../../analysis/index.js';
import { partTwoFile, releasedItems, researchDataPackage, type DataPackageDescriptor } from '../../analysis/codebook/data-package.js';
import { researchPackageReadme } from '../../analysis/codebook/package-readme.js';
import { checkedK } from '../../analysis/disclosure/disclosure-types.js';
import type { RandomSource } from '../../analysis/disclosure/shuffle.js';
import { contentHash } from '../../survey-definitions/content-hash.js';
import { definitionOfWave, type Wave } from '../../survey-definitions/index.js';
import { loadAnonymousAnswers, UnknownWave } from '../analysis/wave-loader.js';
import { layoutOfItems, encodeRecord } from '../csv/csv-layout.js';
import { csvText } from '../csv/csv-writer.js';
import type { Stores } from '../storage/open-stores.js';

/**
 * The researcher download of one wave: part two after disclosure control (`prepareMicrodata`) as
 * `part-two.csv` in the import format, its codebook `datapackage.json` (Frictionless Data Package)
 * and a `README.md`, zipped.
 *
 * It takes the anonymous store alone (`Pick<Stores, 'anonymous'>`): part one never reaches a
 * researcher as microdata, and there is no option that would make it.
 */

export const researchPackageFiles = ['README.md', 'datapackage.json', partTwoFile] as const;
export type ResearchPackageFile = (typeof researchPackageFiles)[number];

export interface ResearchPackageRequest {
  readonly waveId: string;
  /**
   * The wave as the wave store holds it (findStoredWave). This module sees the anonymous store alone, so
   * it cannot look a wave up itself; without it, only the fielded 2020 waves are known.
   */
  readonly wave?: Wave;
  /** Every released number and combination of quasi-identifiers is held by at least k rows. Default 3. */
  readonly k?: number;
  /**
   * Free-text items to release (they are left out by default). Not offered on the command line:
   * released text goes out as written and can name people, so a person must read it first.
   */
  readonly releaseText?: MicrodataOptions['releaseText'];
  /** Tests only: a seeded shuffle is reported as not for release. */
  readonly random?: RandomSource;
  /** When the package is made; default now. */
  readonly now?: Date;
}

export interface ResearchPackage {
  readonly waveId: string;
  readonly files: Readonly<Record<ResearchPackageFile, Uint8Array>>;
  readonly descriptor: DataPackageDescriptor;
  readonly report: MicrodataReport;
  readonly columns: number;
}

export class PackageRefused extends Error {
  override name = 'PackageRefused';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Builds the three files in memory (a wave is a few dozen rows; the disclosure control needs them all at once). */
export const buildResearchPackage = async (stores: Pick<Stores, 'anonymous'>, request: ResearchPackageRequest): Promise<ResearchPackage> => {
  let k: number;
  try {
    k = checkedK(request.k);
  } catch (error) {
    throw new PackageRefused((error as Error).message);
  }
  let loaded: Awaited<ReturnType<typeof loadAnonymousAnswers>>;
  try {
    loaded = await loadAnonymousAnswers(stores, request.waveId, request.wave);
  } catch (error) {
    if (error instanceof UnknownWave) throw new PackageRefused(error.message);
    throw error;
  }
  const { wave, answers } = loaded;
  const definition = definitionOfWave(wave);
  let microdata: ReturnType<typeof prepareMicrodata>;
  try {
    microdata = prepareMicrodata(definition, answers, {
      k,
      ...(request.releaseText !== undefined ? { releaseText: request.releaseText } : {}),
      ...(request.random ? { random: request.random } : {}),
    });
  } catch (error) {
    throw new PackageRefused((error as Error).message);
  }
  const { rows, report } = microdata;

  // The import format, restricted to the released items: their columns in definition order, cells
  // written by each kind (and defused for spreadsheets by the writer); rows in the order prepareMicrodata shuffled them.
  const layout = layoutOfItems(releasedItems(definition, report));
  const csv = csvText([[...layout.header], ...rows.map((row) => encodeRecord(layout, row))]);

  const descriptor = researchDataPackage({
    definition,
    wave,
    report,
    created: (request.now ?? new Date()).toISOString(),
    // The hash `published-versions.json` records for this version (a test keeps the two equal).
    contentHash: contentHash(definition),
  });
  const readme = researchPackageReadme({ definition, wave, descriptor });
  return {
    waveId: wave.id,
    files: { 'README.md': utf8(readme), 'datapackage.json': utf8(`${JSON.stringify(descriptor, null, 2)}\n`), [partTwoFile]: utf8(csv) },
    descriptor,
    report,
    columns: layout.header.length,
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
