/**
 * What each kind says about its CSV columns in a researcher codebook (`codebookFields` of a kind). The
 * codebook (analysis/codebook/data-package.ts) adds the question and its help before `about`, merges the
 * waves and says what the disclosure control did to each column, as `disclosure` allows.
 */
export interface CodebookField {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number';
  readonly title: string;
  /** What the column holds, after the question and its help: the option or row, the scale, the unit. */
  readonly about: readonly string[];
  readonly categories?: readonly { readonly value: string | number; readonly label: string }[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** The categories are in a meaningful order (a rating scale). */
  readonly ordered?: boolean;
  /**
   * Which disclosure control can touch the column: a category (the item may be a quasi-identifier, its
   * rarest combinations withheld), a number (top- or bottom-coded, rare values withheld), or free text
   * (released as written or not at all).
   */
  readonly disclosure: 'category' | 'number' | 'text';
}

/** A label or help as a sentence: a full stop added unless it ends with one already. */
export const sentence = (text: string) => (/[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

interface RatingScale {
  readonly min: number;
  readonly max: number;
  readonly minLabel: string;
  readonly maxLabel: string;
}

/** The points of a rating scale as codes, the ends labelled with the scale's words. */
const ratingCategories = (scale: RatingScale) =>
  Array.from({ length: scale.max - scale.min + 1 }, (_, i) => {
    const point = scale.min + i;
    return { value: point, label: point === scale.min ? scale.minLabel : point === scale.max ? scale.maxLabel : String(point) };
  });

/** A column of whole-number ratings (a rating question, or a row of a rating grid). */
export const ratingField = (name: string, title: string, about: readonly string[], scale: RatingScale): CodebookField => ({
  name,
  type: 'integer',
  title,
  about: [...about, `Rating from ${scale.min} (${scale.minLabel}) to ${scale.max} (${scale.maxLabel}).`],
  categories: ratingCategories(scale),
  minimum: scale.min,
  maximum: scale.max,
  ordered: true,
  disclosure: 'category',
});

/** A column of numbers within the item's bounds (a number question, or a row of a number grid). */
export const numberField = (
  name: string,
  title: string,
  about: readonly string[],
  bounds: { readonly min?: number | undefined; readonly max?: number | undefined; readonly integer: boolean; readonly unit?: string | undefined },
): CodebookField => ({
  name,
  type: bounds.integer ? 'integer' : 'number',
  title,
  about: [...about, ...(bounds.unit ? [`Unit: ${bounds.unit}.`] : [])],
  ...(bounds.min !== undefined ? { minimum: bounds.min } : {}),
  ...(bounds.max !== undefined ? { maximum: bounds.max } : {}),
  disclosure: 'number',
});

/** A column of free text, with what the CSV writer's formula guard did to it. */
export const textField = (name: string, title: string): CodebookField => ({
  name,
  type: 'string',
  title,
  about: [
    "Free text as the respondent wrote it; it may name people or places. A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, unless it is a plain number) has an added leading apostrophe (').",
  ],
  disclosure: 'text',
});
