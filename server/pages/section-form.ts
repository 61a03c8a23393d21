import {
  decodeRecord,
  itemsOf,
  kindOf,
  layoutOfItems,
  partOf,
  validateAnswers,
  type Answers,
  type Item,
  type PartId,
  type Section,
  type SurveyDefinition,
  type ValidationIssue,
} from '../../survey-definitions/index.js';
import { fieldId } from '../../survey-definitions/kinds/form-fields.js';
import { formMessage } from './form-messages.js';
import type { FieldProblem } from './field-problems.js';

/** What a part's pages are built from: its sections, and answers the server fixes (the council). */
export interface PartForm {
  readonly definition: SurveyDefinition;
  readonly part: PartId;
  /** Answers set by the server, never by the form (part one's local_authority, from the invitation). */
  readonly fixed: Answers;
}

export const sectionsOf = (form: PartForm): readonly Section[] => partOf(form.definition, form.part).sections;

export const findSection = (form: PartForm, id: string): { section: Section; index: number } | undefined => {
  const index = sectionsOf(form).findIndex((s) => s.id === id);
  return index === -1 ? undefined : { section: sectionsOf(form)[index]!, index };
};

/** Items shown on a page: fixed ones are the server's, not the respondent's, to answer. */
export const shownItems = (form: PartForm, section: Section): readonly Item[] => section.items.filter((i) => !(i.id in form.fixed));

/** Stored answers as form cells, so a page shows what was saved. Text stays exactly as typed. */
export const cellsOf = (items: readonly Item[], answers: Answers): Record<string, string> => {
  const cells: Record<string, string> = {};
  for (const item of items) {
    const answer = answers[item.id];
    if (answer === undefined) continue;
    const kind = kindOf(item);
    const values = kind.toCells(item, answer);
    kind.columns(item).forEach((column, i) => {
      cells[column] = values[i] ?? '';
    });
  }
  return cells;
};

/** The HTML id of an item's first control (its first column): where a link to the question should lead. */
export const firstFieldId = (item: Item): string => fieldId(kindOf(item).columns(item)[0] ?? item.id);

/** The problems of a page of answers, each with the answer's path and the field its link leads to. */
export const answerProblems = (form: PartForm, issues: readonly ValidationIssue[]): (FieldProblem & { readonly path: string })[] => {
  const items = itemsOf(partOf(form.definition, form.part));
  return issues.map((issue) => {
    const item = items.find((i) => i.id === issue.item);
    const message = item ? formMessage(item, issue) : `${issue.path}: not a question of this page`;
    // An error of a whole question leads to the question's first control, and so does an error of one
    // column when the kind's columns have no controls of their own (a later box of a multiple choice).
    const field = item && (!kindOf(item).fieldPerColumn || issue.path === item.id) ? firstFieldId(item) : fieldId(issue.path);
    return { field, path: issue.path, message };
  });
};

/** Reads one page's posted fields, checks them with the one validation function, in the form context. */
export const readSection = (form: PartForm, section: Section, body: Readonly<Record<string, unknown>>) => {
  const items = shownItems(form, section);
  const layout = layoutOfItems(items);
  const cells: Record<string, string> = {};
  for (const column of layout.header) {
    const value = body[column];
    if (typeof value === 'string') cells[column] = value;
  }
  const decoded = decodeRecord(layout, (column) => cells[column]);
  const fixed = Object.fromEntries(section.items.filter((i) => i.id in form.fixed).map((i) => [i.id, form.fixed[i.id]]));
  const checked = validateAnswers(form.definition, form.part, { ...decoded.answers, ...fixed }, 'form', section.id);
  const issues: ValidationIssue[] = [
    ...decoded.issues.map((issue) => ({ ...issue, item: items.find((i) => issue.path === i.id || issue.path.startsWith(`${i.id}.`))?.id ?? issue.path })),
    ...(checked.ok ? [] : checked.issues),
  ];
  // A cell that cannot be read (a box posted with a value other than 1) is an error too, not an answer
  // silently left out.
  return { cells, answers: checked.ok && issues.length === 0 ? checked.value : undefined, issues };
};

/** The draft with this section's answers replaced, in definition order. */
export const mergeSection = (form: PartForm, section: Section, draft: Answers, sectionAnswers: Answers): Answers => {
  const inSection = new Set(section.items.map((i) => i.id));
  const merged: Record<string, unknown> = {};
  for (const item of itemsOf(partOf(form.definition, form.part))) {
    const value = inSection.has(item.id) ? sectionAnswers[item.id] : draft[item.id];
    if (value !== undefined) merged[item.id] = value;
  }
  return { ...merged, ...form.fixed };
};

/** The whole part checked as for submission; issues point to the page of each item. */
export const checkWhole = (form: PartForm, answers: Answers) => validateAnswers(form.definition, form.part, { ...answers, ...form.fixed }, 'form');

export const sectionOfItem = (form: PartForm, itemId: string): Section | undefined => sectionsOf(form).find((s) => s.items.some((i) => i.id === itemId));

/** Rows of a "check your answers" page. */
export const answerSummary = (form: PartForm, answers: Answers, changeHref: (section: Section, item: Item) => string) =>
  sectionsOf(form).map((section) => ({
    title: section.title,
    rows: shownItems(form, section).map((item) => ({
      id: item.id,
      label: item.label,
      lines: answers[item.id] === undefined ? [] : kindOf(item).display(item, answers[item.id]),
      change: changeHref(section, item),
    })),
  }));
