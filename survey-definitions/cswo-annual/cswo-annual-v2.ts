import { defineSurvey } from '../define-survey.js';
import { partOne } from './part-one.js';
import { partTwoV2 } from './part-two.js';

/** Survey 2, re-issued June 2020 during COVID-19. Published: never edit; publish a new version instead. */
export const cswoAnnualV2 = defineSurvey({
  id: 'cswo-annual',
  version: 2,
  title: 'Chief Social Work Officer Annual Survey',
  description:
    'Social Work Scotland asks every Chief Social Work Officer about the context of the role, its pressures and how it is supported, to represent and support CSWOs across Scotland. Re-issued in June 2020 to understand the impact of COVID-19.',
  parts: [partOne, partTwoV2],
});
