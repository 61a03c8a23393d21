import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { SurveyDefinition } from './definition-schema.js';
import { checkDefinition } from './define-survey.js';
import { crossVersionIssues } from './version-rules.js';
import { formatPath, type DefinitionProblem, type PathSegment } from './definition-problem.js';

export type DefinitionTextResult =
  { readonly ok: true; readonly definition: SurveyDefinition } | { readonly ok: false; readonly problems: readonly DefinitionProblem[] };

type TextFormat = 'JSON' | 'YAML';

/** By the file's extension; otherwise a file that opens with `{` is JSON (YAML reads JSON too, so a guess costs little). */
const formatOf = (text: string, fileName: string): TextFormat => {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'json') return 'JSON';
  if (extension === 'yaml' || extension === 'yml') return 'YAML';
  return text.trimStart().startsWith('{') ? 'JSON' : 'YAML';
};

/** The parser's words where an analyst would not know them. */
const syntaxWords: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'a field is written twice in the same place: keep one',
  MULTIPLE_DOCS: 'the file holds more than one document (a line "---" starts another): a file holds one definition',
  TAG_RESOLVE_FAILED: 'text must be in double quotes',
};

const syntaxProblem = (error: YAMLError, format: TextFormat, lines: LineCounter): DefinitionProblem => ({
  path: '',
  line: lines.linePos(error.pos[0]).line,
  message: `not valid ${format}: ${syntaxWords[error.code] ?? error.message}`,
});

/**
 * The line of the node a path names: a field's key (where `options:` is written, not its first option), a list's
 * entry; for a field that is missing, the nearest thing that is there (the item that lacks it).
 */
const lineOf = (document: Document, path: readonly PathSegment[], lines: LineCounter): number | undefined => {
  for (let length = path.length; length >= 0; length--) {
    const parent = length === 0 ? undefined : document.getIn(path.slice(0, length - 1), true);
    const last = path[length - 1];
    let node: unknown = length === 0 ? document.contents : undefined;
    if (isMap(parent)) node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key;
    else if (isSeq(parent) && typeof last === 'number') node = parent.items[last];
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
};

/** `$schema` names the JSON Schema for an editor; it is no part of the definition, so it is neither checked nor hashed. */
const withoutSchemaKey = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('$schema' in value)) return value;
  const { $schema: _ignored, ...definition } = value as Record<string, unknown>;
  return definition;
};

export interface ReadOptions {
  /**
   * The other versions of definitions (any id: those of another are ignored), to check the text against the
   * earlier versions of its own (`crossVersionProblems`), with lines. Without them, the rules across versions
   * are not checked.
   */
  readonly others?: readonly SurveyDefinition[];
}

/**
 * A definition written by hand, as JSON or YAML, checked exactly as publishing checks it. Every problem is
 * reported at once, each with its path and the line of the file it is on.
 */
export const readDefinitionText = (text: string, fileName: string, options: ReadOptions = {}): DefinitionTextResult => {
  const format = formatOf(text, fileName);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, schema: format === 'JSON' ? 'json' : 'core' });
  if (document.errors.length > 0) return { ok: false, problems: document.errors.map((e) => syntaxProblem(e, format, lines)) };
  const checked = checkDefinition(withoutSchemaKey(document.toJS()));
  const issues = checked.ok ? crossVersionIssues(checked.definition, options.others ?? []) : checked.issues;
  if (checked.ok && issues.length === 0) return { ok: true, definition: checked.definition };
  const problems = issues.map((issue): DefinitionProblem => {
    const line = lineOf(document, issue.path, lines);
    return { path: formatPath(issue.path), ...(line === undefined ? {} : { line }), message: issue.message };
  });
  // In the order of the file, as an analyst works through it (the sort is stable: one line's problems keep theirs).
  return { ok: false, problems: problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)) };
};
