/**
 * Generates the bundled SYNTHETIC microdata for waves 2020-01 (Survey 1) and 2020-06 (Survey 2):
 *
 *   npx tsx bundled-data/generate.ts
 *
 * writes bundled-data/<wave>/identifiable.csv and anonymous.csv (the CLI's import format) and
 * docs/reproduction.md. The output is the same on every run.
 *
 * These are NOT survey responses. They are made-up rows built so that every figure the 2020 report
 * publishes comes out of them (`published-figures.ts` lists those figures).
 *
 * Three steps, one module each:
 * 1. `answer-spec.ts` says, item by item, how many respondents gave each answer and how many left it blank,
 *    each line citing the report figure it reproduces;
 * 2. `data-builder.ts` deals those answers out to respondent rows deterministically (a seeded PRNG);
 * 3. `figure-check.ts`, before anything is written: the CSV text is parsed back; every spec line is recounted
 *    from the rows; every published figure is recounted and compared with the report (expectedMatch); every
 *    checkable statement is recounted; free text is checked for council and person names. Any difference
 *    throws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerSpec } from './answer-spec.js';
import { buildPart, csvOf, layoutOf } from './data-builder.js';
import { checkPart, checkWaves } from './figure-check.js';
import { publishedFigures, type Part, type Wave } from './published-figures.js';
import { bundledDir, docPath, renderReproductionDoc, type Row, type WaveData } from './reproduction-doc.js';

export interface Generated {
  readonly csv: Readonly<Record<Wave, Readonly<Record<Part, string>>>>;
  readonly data: WaveData;
  readonly doc: string;
}

/** Builds, writes nothing, and checks everything; returns the CSV texts, their parsed rows and the doc. */
export const generate = (): Generated => {
  const csv: Record<string, Record<string, string>> = { '2020-01': {}, '2020-06': {} };
  const data: Record<string, Record<string, Row[]>> = { '2020-01': {}, '2020-06': {} };
  for (const ps of answerSpec) {
    const { header } = layoutOf(ps.wave, ps.part);
    const rows = buildPart(ps);
    const text = csvOf(header, rows);
    csv[ps.wave]![ps.part] = text;
    data[ps.wave]![ps.part] = checkPart(ps, rows, text);
  }
  const waveData = data as unknown as WaveData;
  const statements = checkWaves(waveData);
  return {
    csv: csv as unknown as Generated['csv'],
    data: waveData,
    doc: renderReproductionDoc(waveData, statements),
  };
};

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];

if (isMain) {
  const { csv, doc } = generate();
  for (const wave of ['2020-01', '2020-06'] as const) {
    mkdirSync(join(bundledDir, wave), { recursive: true });
    for (const part of ['identifiable', 'anonymous'] as const) {
      const file = join(bundledDir, wave, `${part}.csv`);
      writeFileSync(file, csv[wave][part]);
      console.log(`wrote ${file}`);
    }
  }
  writeFileSync(docPath, doc);
  console.log(`wrote ${docPath}`);
  console.log(`self-check passed: ${publishedFigures.length} published figures reproduced as documented`);
}
