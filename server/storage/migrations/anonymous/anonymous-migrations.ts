import type { Migration } from 'kysely';
import { partTwoResponse } from './0001-part-two-response.js';
import { partTwoDrafts } from './0002-part-two-drafts.js';
import { dataVersion } from './0003-data-version.js';
import { partTwoPass } from './0004-part-two-pass.js';

/** In order; names are permanent once released. */
export const anonymousMigrations: Record<string, Migration> = {
  '0001-part-two-response': partTwoResponse,
  '0002-part-two-drafts': partTwoDrafts,
  '0003-data-version': dataVersion,
  '0004-part-two-pass': partTwoPass,
};
