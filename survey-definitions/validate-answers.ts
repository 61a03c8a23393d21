import type { Item, PartId, SurveyDefinition } from './definition-schema.js';
import { itemsOf, partOf } from './define-survey.js';
import { kindOf } from './kinds/kind-registry.js';
import type { AnswerIssue } from './kinds/question-kind.js';

/** Answers keyed by item id, in definition order; an unanswered item is absent. */
export type Answers = Readonly<Record<string, unknown>>;

/** An issue with the item it belongs to. */
export interface ValidationIssue extends AnswerIssue {
  readonly item: string;
}

export type Validated =
  { readonly ok: true; readonly value: Answers; readonly issues?: undefined } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Where the answers come from: a file (`import`: the CSV import, and code that checks answers it was
 * given) accepts blanks in items only a respondent must answer (`on-form`); the respondent's `form` does not.
 */
export type ValidationContext = 'import' | 'form';

export const isUnanswered = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  // Whitespace alone is not an answer: it must not satisfy a required name, nor be stored as text.
  (typeof value === 'string' && value.trim() === '') ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

const requiredIn = (required: 'always' | 'on-form' | 'never', context: ValidationContext): boolean =>
  required === 'always' || (required === 'on-form' && context === 'form');

/**
 * The one validation function: the CSV import and the forms both call it (after `decodeRecord` in
 * answer-cells.ts has read their cells), so the rules of an answer are written once, in the kind modules.
 * Every problem is reported, not only the first.
 */
export const validateAnswers = (
  definition: SurveyDefinition,
  partId: PartId,
  input: Readonly<Record<string, unknown>>,
  context: ValidationContext = 'import',
  /** Only these items (one page of a form); others in `input` are refused as unknown. */
  sectionId?: string,
): Validated => {
  const part = partOf(definition, partId);
  const section = sectionId === undefined ? undefined : part.sections.find((s) => s.id === sectionId);
  if (sectionId !== undefined && !section) throw new Error(`${definition.id}@${definition.version} has no section "${sectionId}" in its ${partId} part`);
  const items = section ? section.items : itemsOf(part);
  const known = new Set(items.map((i) => i.id));
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!known.has(key)) {
      issues.push({
        item: key,
        path: key,
        rule: 'unknown-item',
        expected: section
          ? `an item of section ${section.id} of ${definition.id}@${definition.version}`
          : `an item of the ${partId} part of ${definition.id}@${definition.version}`,
        got: key,
      });
    }
  }
  const answers: Record<string, unknown> = {};
  for (const item of items) {
    const missing = () => {
      if (requiredIn(item.required, context)) {
        issues.push({ item: item.id, path: item.id, rule: 'required', expected: 'an answer (this question is required)' });
      }
    };
    const value = input[item.id];
    if (isUnanswered(value)) {
      missing();
      continue;
    }
    const checked = kindOf(item).check(item, value);
    if (!checked.ok) issues.push(...checked.issues.map((issue) => ({ item: item.id, ...issue })));
    // A matrix whose rows are all blank checks to {}: not answered, so a required one is missing.
    else if (isUnanswered(checked.value)) missing();
    else answers[item.id] = checked.value;
  }
  issues.push(...relatedIssues(items, answers));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: answers };
};

/** Whether an answer chose `code`: one of a list (checkboxes) or the one code (radios). */
const chose = (answer: unknown, code: string): boolean => (Array.isArray(answer) ? answer.includes(code) : answer === code);

/**
 * The rules between answers, once each answer is read: a follow-up answered only with its option
 * chosen (`when`), and each kind's own (`relate`: chaired no more than attended). The definition
 * schema keeps both ends of a rule in one section, so a page of the form sees them together.
 */
const relatedIssues = (items: readonly Item[], answers: Readonly<Record<string, unknown>>): ValidationIssue[] => {
  const byId = new Map(items.map((i) => [i.id, i]));
  const issues: ValidationIssue[] = [];
  for (const item of items) {
    const answer = answers[item.id];
    if (answer === undefined) continue;
    if (item.when && !chose(answers[item.when.item], item.when.option)) {
      const parent = byId.get(item.when.item);
      const option = parent && 'options' in parent ? parent.options.find((o) => o.code === item.when!.option)?.label : undefined;
      issues.push({
        item: item.id,
        path: item.id,
        rule: 'only-with',
        expected: `no answer unless ${item.when.option} is chosen in ${item.when.item}`,
        got: answer,
        other: `“${option ?? item.when.option}”`,
      });
      continue;
    }
    const related = kindOf(item).relate?.(item, answer, { answerOf: (id) => answers[id], labelOf: (id) => byId.get(id)?.label ?? id }) ?? [];
    issues.push(...related.map((issue) => ({ item: item.id, ...issue })));
  }
  return issues;
};

/** `pressure.children: expected a rating 1-5, got "7"` */
export const describeIssue = (issue: AnswerIssue, got: unknown = issue.got): string =>
  `${issue.path}: expected ${issue.expected}, ${got === undefined ? 'but it is empty' : `got ${JSON.stringify(got)}`}`;
