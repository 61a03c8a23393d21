/** One thing wrong with a definition, where it is (`parts[1].sections[0].items[3].options`) and, read from a file, its line. */
export interface DefinitionProblem {
  /** Empty for the definition as a whole. */
  readonly path: string;
  /** 1-based line of the file, when the definition was read from text. */
  readonly line?: number;
  readonly message: string;
}

export type PathSegment = string | number;

/** `['parts', 1, 'sections', 0, 'id']` as an analyst reads it in a file: `parts[1].sections[0].id`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? String(segment) : `${text}.${String(segment)}`;
  }, '');
