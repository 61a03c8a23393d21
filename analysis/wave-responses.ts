import type { Answers, PartId, SurveyDefinition } from '../survey-definitions/index.js';

/** One wave's definition and the plain answers of each part, an object per response; the tables read them laid out as columns (wave-columns.ts). */
export interface WaveResponses {
  readonly wave: string;
  readonly definition: SurveyDefinition;
  readonly responses: Readonly<Record<PartId, readonly Answers[]>>;
}
