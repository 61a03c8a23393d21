import type { Migration } from 'kysely';
import { partOneResponse } from './0001-part-one-response.js';
import { respondentJourney } from './0002-respondent-journey.js';

/** In order; names are permanent once released. */
export const identifiableMigrations: Record<string, Migration> = {
  '0001-part-one-response': partOneResponse,
  '0002-respondent-journey': respondentJourney,
};
