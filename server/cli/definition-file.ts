import { definitionSchema, defineSurvey, type SurveyDefinition } from '../../survey-definitions/index.js';

export type DefinitionFileResult = { readonly ok: true; readonly definition: SurveyDefinition } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Reads a definition file an analyst wrote (JSON, as `definitions show` prints it) into a checked, frozen
 * definition, or the problems, each naming the file and where in it. The one place `definitions publish`
 * reads a file: a reader with YAML and line numbers replaces this function.
 */
export const readDefinitionFile = (text: string, fileName: string): DefinitionFileResult => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${fileName}: not JSON: ${(error as Error).message}`] };
  }
  const parsed = definitionSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${fileName}: ${i.path.join('.') || '(the whole file)'}: ${i.message}`) };
  return { ok: true, definition: defineSurvey(json) };
};
