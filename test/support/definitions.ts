import { readFileSync } from 'node:fs';
import { defineSurvey, findDefinition, type SurveyDefinition } from '../../survey-definitions/index.js';

const bundled = (version: number): SurveyDefinition => {
  const definition = findDefinition({ id: 'cswo-annual', version });
  if (!definition) throw new Error(`cswo-annual@${version} is not bundled`);
  return definition;
};

/** The bundled versions the 2020 waves fielded. */
export const cswoAnnualV1 = bundled(1);
export const cswoAnnualV2 = bundled(2);

/** A ready-made version in survey-definitions/examples, read from its file as an analyst would publish it. */
export const exampleDefinition = (fileName: string): SurveyDefinition =>
  defineSurvey(JSON.parse(readFileSync(new URL(`../../survey-definitions/examples/${fileName}`, import.meta.url), 'utf8')));

/** cswo-annual@3 (version 2 with rules between answers and written messages), from its example file. */
export const cswoAnnualV3 = exampleDefinition('cswo-annual@3.json');
