import {
  itemsOf,
  kindOf,
  partIds,
  partOf,
  type Answers,
  type Item,
  type ItemColumns,
  type ItemColumnsWriter,
  type PartId,
  type SurveyDefinition,
} from '../survey-definitions/index.js';
import type { WaveResponses } from './wave-responses.js';

/**
 * One part of a wave as columns (survey-definitions/kinds/answer-columns.ts): how many responded, and
 * the columns of each item a table can count, by item id. Free text and email addresses have none.
 */
export interface PartColumns {
  readonly size: number;
  readonly items: ReadonlyMap<string, ItemColumns>;
}

/** Everything the tables need of one wave, as columns: what buildTables reads. */
export interface WaveColumns {
  readonly wave: string;
  readonly definition: SurveyDefinition;
  readonly parts: Readonly<Record<PartId, PartColumns>>;
}

/** Takes a part's answers one response at a time, so a loader can stream rows into columns without holding them. */
export interface PartColumnsWriter {
  add(answers: Answers): void;
  finish(): PartColumns;
}

const writersOf = (items: readonly Item[], expected?: number): [string, ItemColumnsWriter][] =>
  items.flatMap((item): [string, ItemColumnsWriter][] => {
    const writer = kindOf(item).answerColumns?.(item, expected);
    return writer ? [[item.id, writer]] : [];
  });

/**
 * Columns for one part of a definition, written as its responses arrive; an item a response lacks is
 * blank there. `expected`: how many responses will be added, when known.
 */
export const partColumnsWriter = (definition: SurveyDefinition, part: PartId, expected?: number): PartColumnsWriter => {
  const writers = writersOf(itemsOf(partOf(definition, part)), expected);
  let size = 0;
  return {
    add(answers) {
      size++;
      for (const [id, writer] of writers) writer.add(answers[id]);
    },
    finish: () => ({ size, items: new Map(writers.map(([id, writer]) => [id, writer.finish(size)])) }),
  };
};

export const partColumnsOf = (definition: SurveyDefinition, part: PartId, responses: Iterable<Answers>): PartColumns => {
  const writer = partColumnsWriter(definition, part, Array.isArray(responses) ? responses.length : undefined);
  for (const answers of responses) writer.add(answers);
  return writer.finish();
};

/** A wave's plain answers as columns. */
export const waveColumnsOf = (wave: WaveResponses): WaveColumns => ({
  wave: wave.wave,
  definition: wave.definition,
  parts: Object.fromEntries(partIds.map((part) => [part, partColumnsOf(wave.definition, part, wave.responses[part])])) as Record<PartId, PartColumns>,
});

/**
 * An item's columns in a part. A table may name an item of the other part (a layout's mistake), which
 * that part's responses never answer: its columns are then blank, as its answers were to the tables
 * that read objects.
 */
export const itemColumnsIn = (part: PartColumns, item: Item): ItemColumns => {
  const columns = part.items.get(item.id);
  if (columns) return columns;
  const writer = kindOf(item).answerColumns?.(item, part.size);
  if (!writer) throw new Error(`item ${item.id} is a ${item.kind} item, which no table counts: it has no answer columns`);
  return writer.finish(part.size);
};
