import type { Item, SurveyDefinition } from './definition-schema.js';
import { definitionKey, type DefinitionIssue } from './define-survey.js';
import { formatPath, type DefinitionProblem, type PathSegment } from './definition-problem.js';
import { kindOf } from './kinds/kind-registry.js';

/**
 * What a new version may not do to the earlier ones: the answers of every wave are read, compared and packaged
 * across waves by item id and code, so an id or a code keeps its meaning for good. A version may add questions,
 * options and rows, reword a question, and drop a question entirely; it may not give an id another kind or scale,
 * drop one of a kept question's codes (the remaining answers would mean something else) or give a code another label.
 */

interface PlacedItem {
  readonly item: Item;
  readonly path: readonly PathSegment[];
}

const placedItems = (definition: SurveyDefinition): Map<string, PlacedItem> =>
  new Map(
    definition.parts.flatMap((part, p) =>
      part.sections.flatMap((section, s) => section.items.map((item, i) => [item.id, { item, path: ['parts', p, 'sections', s, 'items', i] }] as const)),
    ),
  );

/** A change of case, spacing or quotation marks corrects a label; any other change gives it another meaning. */
const sameLabel = (a: string, b: string): boolean => {
  const plain = (label: string) => label.normalize('NFKC').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim().toLowerCase();
  return plain(a) === plain(b);
};

interface Version {
  readonly key: string;
  readonly items: ReadonlyMap<string, PlacedItem>;
}

const codeIssues = (now: PlacedItem, before: Item, earlier: readonly Version[], key: string): DefinitionIssue[] => {
  const issues: DefinitionIssue[] = [];
  const { item, path } = now;
  const lists = kindOf(item).codeLists?.(item) ?? [];
  for (const old of kindOf(before).codeLists?.(before) ?? []) {
    const list = lists.find((l) => l.field === old.field);
    const kept = new Set(list?.entries.map((e) => e.code));
    for (const entry of old.entries.filter((e) => !kept.has(e.code))) {
      issues.push({
        path: [...path, old.field],
        message:
          `${old.noun} ${entry.code} (“${entry.label}”) of ${item.id}, in ${key}, is missing: a question keeps its ${old.noun}s across versions, ` +
          `so that its answers mean the same in every wave; keep it, or give the changed question a new id`,
      });
    }
  }
  for (const list of lists) {
    list.entries.forEach((entry, e) => {
      // The latest earlier version with this code says what it means (an earlier one may have dropped it).
      for (const version of earlier) {
        const had = version.items.get(item.id)?.item;
        const old =
          had &&
          kindOf(had)
            .codeLists?.(had)
            .find((l) => l.field === list.field)
            ?.entries.find((o) => o.code === entry.code);
        if (!old) continue;
        if (!sameLabel(old.label, entry.label)) {
          issues.push({
            path: [...path, list.field, e, 'label'],
            message:
              `${list.noun} ${entry.code} of ${item.id} was “${old.label}” in ${version.key} and is now “${entry.label}”: ` +
              `a code keeps its meaning across versions; give the new answer a new code`,
          });
        }
        break;
      }
    });
  }
  return issues;
};

/** The problems as `readDefinitionText` locates them, the path as segments. */
export const crossVersionIssues = (candidate: SurveyDefinition, others: readonly SurveyDefinition[]): DefinitionIssue[] => {
  // Latest first; a later version than the candidate was checked against it when it was made.
  const earlier = others
    .filter((d) => d.id === candidate.id && d.version < candidate.version)
    .sort((a, b) => b.version - a.version)
    .map((d): Version => ({ key: definitionKey(d), items: placedItems(d) }));
  const issues: DefinitionIssue[] = [];
  for (const now of placedItems(candidate).values()) {
    const previous = earlier.find((v) => v.items.has(now.item.id));
    if (!previous) continue;
    const before = previous.items.get(now.item.id)!.item;
    const key = previous.key;
    const was = kindOf(before).meaning(before);
    const is = kindOf(now.item).meaning(now.item);
    if (was !== is) {
      issues.push({
        path: before.kind === now.item.kind ? now.path : [...now.path, 'kind'],
        message: `item ${now.item.id} was a ${was} in ${key} and is now a ${is}; an id keeps its meaning across versions: give the new question a new id`,
      });
      continue;
    }
    issues.push(...codeIssues(now, before, earlier, key));
  }
  return issues;
};

/** What `candidate` breaks of the earlier versions of its definition among `others` (any others are ignored). */
export const crossVersionProblems = (candidate: SurveyDefinition, others: readonly SurveyDefinition[]): DefinitionProblem[] =>
  crossVersionIssues(candidate, others).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
