import type { Readable } from 'node:stream';
import {
  csvLayout,
  decodeRecord,
  definitionKey,
  definitionOfWave,
  knownDefinitions,
  validateAnswers,
  type AnswerIssue,
  type Answers,
  type CsvLayout,
  type PartId,
  type SurveyDefinition,
} from '../../survey-definitions/index.js';
import type { Stores } from '../storage/open-stores.js';
import { findStoredWave, knownWavesText } from '../storage/wave-store.js';
import { restore } from './formula-guard.js';
import { problemList, quoteCell, readCsvRows, UnreadableCsv, type CsvRow } from './csv-rows.js';
import { importTarget } from './import-targets.js';

export interface ImportRequest {
  readonly waveId: string;
  readonly part: PartId;
  /** The file's bytes. */
  readonly input: Readable;
  /** Replace the wave's existing answers for this part, in the same transaction. */
  readonly replace?: boolean;
  readonly onProgress?: (progress: { bytes: number; rows: number }) => void;
}

export interface ImportSummary {
  readonly waveId: string;
  readonly part: PartId;
  readonly definition: string;
  readonly imported: number;
  readonly replaced: number;
}

/** The file was refused and nothing was stored. Each problem names the row, the column and what was expected. */
export class ImportRejected extends Error {
  override name = 'ImportRejected';
  constructor(
    readonly problems: readonly string[],
    readonly more = 0,
  ) {
    super(
      [`nothing was imported: ${problems.length + more} problem${problems.length + more === 1 ? '' : 's'}`, ...problems]
        .concat(more > 0 ? [`... and ${more} more`] : [])
        .join('\n'),
    );
  }
}

const batchSize = 500;

/** The council a part-one row names, when it names a valid one. */
const councilOf = (answers: Record<string, unknown>, issues: readonly AnswerIssue[]): string | undefined =>
  typeof answers.local_authority === 'string' && !issues.some((i) => i.path === 'local_authority') ? answers.local_authority : undefined;

const otherPart = (part: PartId): PartId => (part === 'identifiable' ? 'anonymous' : 'identifiable');

/** Explains a header column the definition does not have, with the likeliest cause. */
const unknownColumn = (column: string, definition: SurveyDefinition, part: PartId, layout: CsvLayout): string => {
  const near = layout.header.find((h) => h.toLowerCase() === column.toLowerCase().replace(/[\s-]+/g, '_'));
  if (near) return `header: unknown column ${JSON.stringify(column)}; did you mean "${near}"?`;
  if (csvLayout(definition, otherPart(part)).header.includes(column)) {
    return `header: column "${column}" belongs to the ${otherPart(part)} part, not the ${part} part (check --part)`;
  }
  const elsewhere = knownDefinitions().find((d) => d !== definition && csvLayout(d, part).header.includes(column));
  if (elsewhere) {
    return `header: column "${column}" is not in ${definitionKey(definition)}, the definition of this wave (it is in ${definitionKey(elsewhere)})`;
  }
  return `header: unknown column ${JSON.stringify(column)}: expected item ids of the ${part} part of ${definitionKey(definition)}`;
};

const checkHeader = (header: string[], definition: SurveyDefinition, part: PartId, layout: CsvLayout): string[] => {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  header.forEach((column, i) => {
    if (column === '') problems.push(`header: column ${i + 1} has no name`);
    else if (seen.has(column)) problems.push(`header: column "${column}" appears twice (columns ${seen.get(column)! + 1} and ${i + 1})`);
    else if (!layout.header.includes(column)) problems.push(unknownColumn(column, definition, part, layout));
    seen.set(column, i);
  });
  for (const { item, columns } of layout.items) {
    if (item.required === 'always' && !columns.some((c) => seen.has(c))) {
      problems.push(`header: missing column "${item.id}", which every row must fill in`);
    }
  }
  return problems;
};

/**
 * Reads a CSV file of one part of one wave, checks every row with the wave's definition and
 * stores all of it or none of it. The file is streamed: a large file is never held in memory.
 */
export const importCsv = async (stores: Stores, request: ImportRequest): Promise<ImportSummary> => {
  const { waveId, part } = request;
  const wave = await findStoredWave(stores.identifiable, waveId);
  if (!wave) throw new ImportRejected([`unknown wave "${waveId}": ${await knownWavesText(stores.identifiable)}`]);
  const definition = definitionOfWave(wave);
  const layout = csvLayout(definition, part);
  const target = importTarget(stores, part, definition);
  const problems = problemList();

  const summary = await target
    .run(async (tx) => {
      const replaced = request.replace ? await tx.deleteWave(waveId) : 0;
      const existing = await tx.existingCouncils(waveId);
      const councilRows = new Map<string, number>();
      let imported = 0;
      let bytes = 0;
      let batch: Answers[] = [];

      const flush = async () => {
        if (problems.size === 0 && batch.length > 0) await tx.insert(waveId, batch);
        imported += batch.length;
        batch = [];
      };

      const checkRow = async ({ number, cell }: CsvRow) => {
        const describe = (issue: AnswerIssue) => {
          const raw = cell(issue.path);
          const got = raw === undefined || raw === '' ? 'but it is empty' : `got ${quoteCell(raw)}`;
          return `row ${number}, column ${issue.path}: expected ${issue.expected}, ${got}`;
        };
        const decoded = decodeRecord(layout, cell, { unguard: restore });
        decoded.issues.forEach((issue) => problems.add(describe(issue)));
        const checked = validateAnswers(definition, part, decoded.answers, 'import');
        if (!checked.ok) checked.issues.forEach((issue) => problems.add(describe(issue)));
        const council = councilOf(checked.ok ? checked.value : decoded.answers, checked.ok ? [] : checked.issues);
        if (council !== undefined) {
          const earlier = councilRows.get(council);
          if (earlier !== undefined) {
            problems.add(`row ${number}, column local_authority: "${council}" already answered in row ${earlier}; a council answers part one once per wave`);
          } else if (existing.has(council)) {
            problems.add(
              `row ${number}, column local_authority: wave ${waveId} already holds part one for "${council}" (use --replace to replace the wave's part one)`,
            );
          }
          if (earlier === undefined) councilRows.set(council, number);
        }
        if (!checked.ok || decoded.issues.length > 0 || problems.size > 0) return;
        batch.push(checked.value);
        if (batch.length >= batchSize) await flush();
        request.onProgress?.({ bytes, rows: imported + batch.length });
      };

      let header: readonly string[] | undefined;
      try {
        header = await readCsvRows(request.input, {
          problems,
          checkHeader: (h) => checkHeader([...h], definition, part, layout),
          onRow: checkRow,
          onBytes: (total) => (bytes = total),
        });
      } catch (error) {
        if (error instanceof UnreadableCsv) throw new ImportRejected([error.message]);
        throw error;
      }
      await flush();
      if (!header) throw new ImportRejected(['the file is empty: expected a header row of item ids, such as local_authority']);
      if (problems.size === 0 && imported === 0) {
        throw new ImportRejected(['the file has a header but no responses: nothing to import']);
      }
      if (problems.size > 0) throw new ImportRejected(problems.listed, problems.more);
      return { waveId, part, definition: definitionKey(definition), imported, replaced };
    })
    .catch(async (error: unknown) => {
      // A large refused import may have spilled rows to the write-ahead log before rolling back:
      // scrub that too, keeping the refusal as the error.
      await target.afterWrite().catch(() => {});
      throw error;
    });
  await target.afterWrite();
  return summary;
};
