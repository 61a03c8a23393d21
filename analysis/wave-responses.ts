import type { Answers, PartId, SurveyDefinition } from '../survey-definitions/index.js';

/** Everything the analysis needs of one wave: its definition and the plain answers of each part. */
export interface WaveResponses {
  readonly wave: string;
  readonly definition: SurveyDefinition;
  readonly responses: Readonly<Record<PartId, readonly Answers[]>>;
}
