import type { Item, SurveyDefinition } from './definition-schema.js';
import { canonicalJson } from './content-hash.js';
import { definitionKey } from './define-survey.js';

export interface FieldChange {
  /** e.g. `label`, `options[code=other]`, `options[code=pq1].label`, `section` */
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

interface PlacedItem {
  readonly item: Item;
  readonly part: string;
  readonly section: string;
}

export interface ItemSummary {
  readonly id: string;
  readonly kind: string;
  readonly part: string;
  readonly section: string;
}

export interface DefinitionDiff {
  readonly from: string;
  readonly to: string;
  readonly added: readonly ItemSummary[];
  readonly removed: readonly ItemSummary[];
  readonly changed: readonly { readonly id: string; readonly changes: readonly FieldChange[] }[];
}

const placed = (definition: SurveyDefinition): Map<string, PlacedItem> =>
  new Map(
    definition.parts.flatMap((part) =>
      part.sections.flatMap((section) => section.items.map((item) => [item.id, { item, part: part.id, section: section.id }] as const)),
    ),
  );

const keyOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.code === 'string') return `code=${record.code}`;
  if (typeof record.id === 'string') return `id=${record.id}`;
  return undefined;
};

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Lists of options and rows are compared by their codes, so one new option is one change, not many. */
const diffValues = (field: string, a: unknown, b: unknown, out: FieldChange[]): void => {
  if (same(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((v) => keyOf(v) !== undefined)) {
    const before = new Map(a.map((v) => [keyOf(v)!, v]));
    const after = new Map(b.map((v) => [keyOf(v)!, v]));
    for (const [key, value] of before) {
      if (!after.has(key)) out.push({ field: `${field}[${key}]`, from: value, to: undefined });
      else diffValues(`${field}[${key}]`, value, after.get(key), out);
    }
    for (const [key, value] of after) if (!before.has(key)) out.push({ field: `${field}[${key}]`, from: undefined, to: value });
    const common = (list: unknown[], other: Map<string, unknown>) => list.map(keyOf).filter((k) => other.has(k!));
    if (!same(common(a, after), common(b, before))) out.push({ field: `${field} order`, from: a.map(keyOf), to: b.map(keyOf) });
    return;
  }
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      diffValues(field ? `${field}.${key}` : key, a[key], b[key], out);
    }
    return;
  }
  out.push({ field, from: a, to: b });
};

const summary = ({ item, part, section }: PlacedItem): ItemSummary => ({ id: item.id, kind: item.kind, part, section });

/** Items added, removed and changed between two definitions, matched by item id. */
export const diffDefinitions = (from: SurveyDefinition, to: SurveyDefinition): DefinitionDiff => {
  const before = placed(from);
  const after = placed(to);
  const changed: { id: string; changes: FieldChange[] }[] = [];
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) continue;
    const changes: FieldChange[] = [];
    if (old.part !== now.part) changes.push({ field: 'part', from: old.part, to: now.part });
    if (old.section !== now.section) changes.push({ field: 'section', from: old.section, to: now.section });
    diffValues('', old.item, now.item, changes);
    if (changes.length > 0) changed.push({ id, changes });
  }
  return {
    from: definitionKey(from),
    to: definitionKey(to),
    added: [...after.values()].filter((p) => !before.has(p.item.id)).map(summary),
    removed: [...before.values()].filter((p) => !after.has(p.item.id)).map(summary),
    changed,
  };
};

const partNames: Readonly<Record<string, string>> = { identifiable: 'part one', anonymous: 'part two' };

/** Field paths of an item in an analyst's words; a field not named here reads as written (`maxLength`). */
const fieldNames: Readonly<Record<string, string>> = {
  label: 'question',
  help: 'help text',
  required: 'required',
  identifying: 'identifying',
  errors: 'error messages',
  'errors.required': 'error message for no answer',
  'errors.invalid': 'error message for an answer it does not take',
  'errors.conflict': 'error message for an answer at odds with another',
  when: 'follow-up condition',
  'when.item': 'follow-up to question',
  'when.option': 'follow-up to option',
  atMost: 'limit (no more than the answer to)',
  scale: 'rating scale',
  'scale.min': 'lowest rating',
  'scale.max': 'highest rating',
  'scale.minLabel': 'label of the lowest rating',
  'scale.maxLabel': 'label of the highest rating',
  bounds: 'bounds',
  'bounds.min': 'smallest answer',
  'bounds.max': 'largest answer',
  'bounds.integer': 'whole numbers only',
  'bounds.unit': 'unit',
  maxLength: 'longest answer (characters)',
  multiline: 'several lines',
  expectedTotal: 'expected total',
  exclusive: '“None of these” (stands alone)',
};

const fieldWords = (field: string): string => fieldNames[field] ?? field;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const valueWords = (value: unknown, field: string): string => {
  // Text that quotes something itself (“None of these”) is set in single quotes, so the two can be told apart.
  if (typeof value === 'string') return /[“”]/.test(value) ? `‘${value}’` : `“${value}”`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((v) => valueWords(v, field)).join(', ');
  if (isRecord(value)) {
    return Object.entries(value)
      .map(([key, v]) => `${fieldWords(`${field}.${key}`)} ${valueWords(v, `${field}.${key}`)}`)
      .join('; ');
  }
  return String(value);
};

const changeWords = (field: string, from: unknown, to: unknown): string => {
  if (from === undefined) return `${fieldWords(field)} set to ${valueWords(to, field)}`;
  if (to === undefined) return `${fieldWords(field)} removed (was ${valueWords(from, field)})`;
  return `${fieldWords(field)} changed from ${valueWords(from, field)} to ${valueWords(to, field)}`;
};

/** `options` -> `option`: what one entry of a list of an item is called. */
const entryNoun = (list: string): string => (list.endsWith('s') ? list.slice(0, -1) : list);

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const labelOf = (entry: unknown): string => {
  const label = (entry as { label?: unknown } | undefined)?.label;
  return typeof label === 'string' ? ` (“${label}”)` : '';
};

const describeChange = (id: string, { field, from, to }: FieldChange): string[] => {
  if (field === 'part') return [`Moved question ${id} from ${partNames[String(from)] ?? from} to ${partNames[String(to)] ?? to}`];
  if (field === 'section') return [`Moved question ${id} from section ${String(from)} to section ${String(to)}`];
  if (field === 'label') return [`Question ${id} reworded from ${valueWords(from, field)} to ${valueWords(to, field)}`];
  const order = /^(\w+) order$/.exec(field);
  if (order) return [`Reordered the ${order[1]} of ${id}`];
  const entry = /^(\w+)\[(?:code|id)=([^\]]+)\](?:\.(.+))?$/.exec(field);
  if (entry) {
    const [, list, code, rest] = entry;
    const noun = entryNoun(list!);
    if (rest === undefined && from === undefined) return [`Added ${noun} ${code}${labelOf(to)} to ${id}`];
    if (rest === undefined && to === undefined) return [`Removed ${noun} ${code}${labelOf(from)} from ${id}`];
    if (rest === 'label') return [`${capitalised(noun)} ${code} of ${id} relabelled from ${valueWords(from, rest)} to ${valueWords(to, rest)}`];
    return [`${capitalised(noun)} ${code} of ${id}: ${changeWords(rest ?? '', from, to)}`];
  }
  // A group of fields added or removed whole (error messages, a follow-up condition) reads best field by field.
  const whole = from === undefined ? to : to === undefined ? from : undefined;
  if (isRecord(whole)) {
    return Object.keys(whole).map(
      (key) => `Question ${id}: ${changeWords(`${field}.${key}`, isRecord(from) ? from[key] : undefined, isRecord(to) ? to[key] : undefined)}`,
    );
  }
  return [`Question ${id}: ${changeWords(field, from, to)}`];
};

/** The diff in words for an analyst, one line per change: questions added, then removed, then changed. */
export const describeDiff = (diff: DefinitionDiff): string[] => {
  const place = (item: ItemSummary) => `section ${item.section} of ${partNames[item.part] ?? `part ${item.part}`}`;
  return [
    ...diff.added.map((item) => `Added question ${item.id} (${item.kind}) to ${place(item)}`),
    ...diff.removed.map((item) => `Removed question ${item.id} (${item.kind}) from ${place(item)}`),
    ...diff.changed.flatMap(({ id, changes }) => changes.flatMap((change) => describeChange(id, change))),
  ];
};
