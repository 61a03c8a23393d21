import { itemsOf, partOf } from './define-survey.js';
import type { PartId, SurveyDefinition } from './definition-schema.js';
import { kindOf } from './kinds/kind-registry.js';
import type { Answers } from './validate-answers.js';

/**
 * How a store keeps one response to one part of a definition: a JSON array holding each item's answer in
 * the order of the part's items, a grid's answer as an array in the order of its rows (`answerKeys`), null
 * where nothing was answered, and the nulls at the end left off. Kept as an object keyed by item id and row
 * id, a response of the 2020-06 wave took about 1,180 bytes, most of them the ids; kept by position, about
 * 330, and `JSON.parse` reads it in a third of the time (issue 16: bytes stored). The ids come back from
 * the wave's definition, which never changes once a wave has it.
 *
 * A response kept as an object (every response stored before this form) reads as it is, so a store may
 * hold both forms, even within a wave. An answer of null is no answer (`isUnanswered`), so null can mark
 * a gap; the codec keeps every other value as it was given, an empty grid (`{}`) included.
 */
export interface StoredAnswers {
  /** The part's item ids, in stored order: an item's index here is its place in a stored array. */
  readonly itemIds: readonly string[];
  /** The response as stored. Throws on an item or grid row the definition does not have (answers are checked first). */
  encode(answers: Answers): string;
  /** A stored response (either form) as answers. */
  decode(text: string): Answers;
  /**
   * A stored response as it is kept: by position, its values (an array no longer than the part's items,
   * checked), or, kept as an object, its answers. For a reader that works on the positions (the export).
   */
  parse(text: string): readonly unknown[] | Answers;
  /**
   * One item's stored value as its answer: the element at `index` of a stored array, or the value kept
   * under the item's id in a response stored as an object (which is already an answer).
   */
  decodeItem(index: number, value: unknown): unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A decoded response or grid: an object with no prototype. Each response answers its own subset of the
 * items, so objects built key by key on `{}` took a new shape for almost every row, and making them
 * cost more than parsing the JSON. Without a prototype an object keeps its keys in a table from the
 * start: the research package of 200,000 rows took 16 s instead of 20.6 (issue 16). It reads, spreads,
 * serialises and compares as a plain object does; only `Object.prototype`'s methods (`hasOwnProperty`,
 * `toString`) are missing, and nothing calls them on answers.
 */
const keyedObject = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

/** Made once per definition and part: a wave's readers and writers ask for it per request. */
const made = new WeakMap<SurveyDefinition, Map<PartId, StoredAnswers>>();

export const storedAnswers = (definition: SurveyDefinition, partId: PartId): StoredAnswers => {
  let ofDefinition = made.get(definition);
  if (!ofDefinition) made.set(definition, (ofDefinition = new Map()));
  let codec = ofDefinition.get(partId);
  if (!codec) ofDefinition.set(partId, (codec = codecOf(definition, partId)));
  return codec;
};

const codecOf = (definition: SurveyDefinition, partId: PartId): StoredAnswers => {
  const items = itemsOf(partOf(definition, partId));
  const itemIds = items.map((item) => item.id);
  const indexOfItem = new Map(itemIds.map((id, i) => [id, i]));
  // Per item: its answer's keys when the answer is keyed by row, else undefined.
  const keysOf = items.map((item) => kindOf(item).answerKeys?.(item));
  const indexOfKey = keysOf.map((keys) => keys && new Map(keys.map((key, i) => [key, i])));
  const where = `${definition.id}@${definition.version} ${partId}`;

  const keyedToArray = (itemId: string, keys: ReadonlyMap<string, number>, answer: unknown): unknown[] => {
    if (!isPlainObject(answer)) throw new Error(`${where}: the answer to ${itemId} must be an object keyed by row, got ${JSON.stringify(answer)}`);
    const out: unknown[] = [];
    for (const [key, value] of Object.entries(answer)) {
      const at = keys.get(key);
      if (at === undefined) throw new Error(`${where}: ${itemId} has no row "${key}"`);
      if (value !== undefined && value !== null) out[at] = value;
    }
    return out;
  };

  const arrayToKeyed = (itemId: string, keys: readonly string[], stored: readonly unknown[]): Record<string, unknown> => {
    // A longer array would put answers under no row: refused, as the export refuses it.
    if (stored.length > keys.length) throw new Error(`${where}: a stored answer to ${itemId} has ${stored.length} rows, the item ${keys.length}`);
    const answer = keyedObject();
    for (let i = 0; i < stored.length; i++) {
      const value = stored[i];
      if (value !== null && value !== undefined) answer[keys[i]!] = value;
    }
    return answer;
  };

  const decodeItem = (index: number, value: unknown): unknown => {
    const keys = keysOf[index];
    return keys && Array.isArray(value) ? arrayToKeyed(itemIds[index]!, keys, value) : value;
  };

  const parse = (text: string): readonly unknown[] | Answers => {
    const stored = JSON.parse(text) as unknown;
    if (!Array.isArray(stored)) return stored as Answers;
    if (stored.length > itemIds.length) throw new Error(`${where}: a stored response has ${stored.length} answers, the part ${itemIds.length} items`);
    return stored as unknown[];
  };

  return {
    itemIds,
    encode: (answers) => {
      const stored: unknown[] = [];
      for (const [itemId, answer] of Object.entries(answers)) {
        if (answer === undefined || answer === null) continue;
        const at = indexOfItem.get(itemId);
        if (at === undefined) throw new Error(`${where} has no item "${itemId}"`);
        const keys = indexOfKey[at];
        stored[at] = keys ? keyedToArray(itemId, keys, answer) : answer;
      }
      // JSON.stringify writes the holes of a sparse array as null.
      return JSON.stringify(stored);
    },
    decode: (text) => {
      const stored = parse(text);
      if (!Array.isArray(stored)) return stored as Answers;
      const answers = keyedObject();
      for (let i = 0; i < stored.length; i++) {
        const value = stored[i] as unknown;
        if (value !== null) answers[itemIds[i]!] = decodeItem(i, value);
      }
      return answers;
    },
    parse,
    decodeItem,
  };
};
