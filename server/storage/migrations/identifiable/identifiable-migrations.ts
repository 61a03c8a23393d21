import type { Migration } from 'kysely';
import { partOneResponse } from './0001-part-one-response.js';

/** In order; names are permanent once released. */
export const identifiableMigrations: Record<string, Migration> = {
  '0001-part-one-response': partOneResponse,
};
