/** Small hand-made definitions for the survey-definitions tests. Plain input objects, not yet parsed. */

export type ItemInput = Record<string, unknown>;

export const option = (code: string, label = `Option ${code}`) => ({ code, label });
export const row = (id: string, label = `Row ${id}`) => ({ id, label });

export const textItem = (id: string, extra: ItemInput = {}): ItemInput => ({ id, kind: 'text', label: `Label of ${id}`, ...extra });

export const singleItem = (id: string, codes: readonly string[], extra: ItemInput = {}): ItemInput => ({
  id,
  kind: 'single',
  label: `Label of ${id}`,
  options: codes.map((c) => option(c)),
  ...extra,
});

export const multiItem = (id: string, codes: readonly string[], extra: ItemInput = {}): ItemInput => ({
  id,
  kind: 'multi',
  label: `Label of ${id}`,
  options: codes.map((c) => option(c)),
  ...extra,
});

export const matrixChoiceItem = (id: string, rows: readonly string[], columns: readonly string[], extra: ItemInput = {}): ItemInput => ({
  id,
  kind: 'matrix-choice',
  label: `Label of ${id}`,
  rows: rows.map((r) => row(r)),
  columns: columns.map((c) => option(c)),
  ...extra,
});

export interface SectionInput {
  id: string;
  title?: string;
  items: ItemInput[];
}

export const part = (id: string, sections: SectionInput[]) => ({
  id,
  title: `Part ${id}`,
  description: `The ${id} part.`,
  sections: sections.map((s) => ({ title: `Section ${s.id}`, ...s })),
});

/** A definition input with the two parts, each holding one section of the given items. */
export const definitionInput = (identifiable: ItemInput[], anonymous: ItemInput[] = [textItem('comment')], extra: Record<string, unknown> = {}) => ({
  id: 'mini',
  version: 1,
  title: 'Mini survey',
  description: 'A survey made for tests.',
  parts: [part('identifiable', [{ id: 'about_you', items: identifiable }]), part('anonymous', [{ id: 'experiences', items: anonymous }])],
  ...extra,
});

/** The error message of a call that must throw. */
export const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the call to throw, but it returned');
};
