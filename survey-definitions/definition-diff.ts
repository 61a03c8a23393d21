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
