/** HTML ids of form fields: one per CSV column, so an error's path leads straight to its field. */
export const fieldId = (path: string): string => `f-${path.replaceAll('.', '--')}`;

/** What a question component receives: its item, the current cell values, and messages by path. */
export interface QuestionProps<Item> {
  readonly item: Item;
  readonly cells: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
}

/** aria-describedby for a control: its hint and its error message, when present. */
export const describedBy = (id: string, hint: boolean, error: boolean): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/**
 * What follows a required question's label. Pages say "every question is optional unless it says
 * otherwise", so a question that must be answered on the form says so in its label.
 */
export const requiredMark = (item: { readonly required?: 'always' | 'on-form' | 'never' }): string =>
  item.required === 'always' || item.required === 'on-form' ? ' (required)' : '';
