import { afterEach, describe, expect, it } from 'vitest';
import { buildTables, waveColumnsOf } from '../../analysis/index.js';
import { seedBundledData } from '../../server/csv/bundled-data.js';
import { loadWaveColumns, loadWaveResponses } from '../../server/dashboards/wave-loader.js';
import { useTempDirs } from '../support/temp-dir.js';
import { storeOpener, WAVE_2 } from './helpers.js';

const tempDir = useTempDirs();
const opener = storeOpener();
afterEach(opener.closeAll);

describe('the wave loader', () => {
  it('streams each stored row into the columns the tables read: the same columns, and tables, as from the rows held whole', async () => {
    const stores = await opener.openIn(tempDir());
    await seedBundledData(stores);
    const streamed = await loadWaveColumns(stores, WAVE_2);
    const whole = await loadWaveResponses(stores, WAVE_2);
    expect(streamed.parts.anonymous.size).toBe(whole.responses.anonymous.length);
    expect(streamed.parts.anonymous.size).toBeGreaterThan(0);
    expect(streamed).toStrictEqual(waveColumnsOf(whole));
    expect(buildTables(streamed, await loadWaveColumns(stores, '2020-01'))).toStrictEqual(buildTables(whole, await loadWaveResponses(stores, '2020-01')));
    await expect(loadWaveColumns(stores, '2021-07')).rejects.toThrow('unknown wave "2021-07": the waves are 2020-01, 2020-06');
  });
});
