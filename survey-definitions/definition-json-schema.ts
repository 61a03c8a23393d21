import { z } from 'zod';
import { definitionSchema } from './definition-schema.js';

/**
 * The authoring format as a JSON Schema, for an analyst's editor (completion, a wavy line under an unknown field).
 * Generated from the zod schema, so it can never say otherwise about a field; the rules across the definition (an
 * id used twice, a follow-up naming a later question) are not expressible in it and come from `readDefinitionText`.
 * Written for the input, so fields with a default (`required`, `identifying`) are optional, as in a file.
 */
export const definitionJsonSchema = (): Record<string, unknown> => {
  const generated = z.toJSONSchema(definitionSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown> & {
    properties: Record<string, unknown>;
  };
  const { $schema, properties, ...rest } = generated;
  return {
    $schema,
    // A name, not an address: the file is committed with the code, and an editor is pointed at it by path.
    $id: 'urn:cswo-survey:survey-definition',
    title: 'CSWO survey definition',
    description:
      'One version of a survey questionnaire: two parts (identifiable and anonymous), their sections and questions. ' +
      'Check a file with `npm run cli -- definitions check FILE`, which also checks the rules between questions.',
    ...rest,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema of this file, for editors; ignored when the definition is read.' },
      ...properties,
    },
  };
};
