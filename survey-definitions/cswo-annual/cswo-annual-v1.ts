import { defineSurvey } from '../define-survey.js';
import { partOne } from './part-one.js';
import { partTwoV1 } from './part-two.js';

/** Survey 1, fielded January 2020. Published: never edit; publish a new version instead. */
export const cswoAnnualV1 = defineSurvey({
  id: 'cswo-annual',
  version: 1,
  title: 'Chief Social Work Officer Annual Survey',
  description:
    'Social Work Scotland asks every Chief Social Work Officer about the context of the role, its pressures and how it is supported, to represent and support CSWOs across Scotland.',
  parts: [partOne, partTwoV1],
});
