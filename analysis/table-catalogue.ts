import { cswo2020Layout, layoutTables, type TableSpec } from './report/report-layout.js';

export type { TableSpec } from './report/report-layout.js';

/**
 * Every table of the 2020 report, in the report's order: the tables of its layout
 * (report/cswo-2020-layout.json). Table ids are a public contract (instrument.md); titles follow the report.
 */
export const tableCatalogue: readonly TableSpec[] = Object.freeze(layoutTables(cswo2020Layout).map((spec) => Object.freeze(spec)));
