import { buildTables, protectTables, type DisclosureMode, type ProtectedWaveTables } from '../../analysis/index.js';
import type { Wave } from '../../survey-definitions/index.js';
import type { Stores } from '../storage/open-stores.js';
import { loadWaveColumns } from './wave-loader.js';

export interface WaveTablesRequest {
  /** The wave, as the route resolved it. */
  readonly wave: Wave;
  /** Compare with this wave: differences and small-n tests. */
  readonly compare?: Wave;
  /** `analyst` shows every value and marks what a public table hides; `public` hides it. */
  readonly mode: DisclosureMode;
  readonly k?: number;
}

/**
 * A wave's tables after disclosure control, for the staff pages and downloads. Every table leaves the
 * server through protectTables, so the public view can never be the analyst view by omission.
 */
export const loadWaveTables = async (stores: Stores, request: WaveTablesRequest): Promise<ProtectedWaveTables> => {
  const wave = await loadWaveColumns(stores, request.wave);
  const compare = request.compare ? await loadWaveColumns(stores, request.compare) : undefined;
  return protectTables(buildTables(wave, compare), { mode: request.mode, ...(request.k === undefined ? {} : { k: request.k }) });
};
