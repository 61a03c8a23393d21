/** Pure analysis: definitions and plain answers in; tables, comparisons and Vega-Lite specs out. No IO. */
export { buildTables } from './build-tables.js';
export { chartFor, noChartSentence } from './charts/chart-registry.js';
export { suppressedFootnote, suppressedMark, type ChartOptions, type ChartSpec } from './charts/chart-data.js';
export { notAsked, significance } from './compare-waves.js';
export { tableCatalogue, type TableSpec } from './table-catalogue.js';
export { planTables, tableKindOf, type TablePlan } from './default-tables.js';
export {
  cswo2020Layout,
  InvalidReportLayout,
  layoutSections,
  layoutTables,
  parseReportLayout,
  reportLayoutSchema,
  type ReportLayout,
} from './report/report-layout.js';
export { tablesAsText } from './table-text.js';
export { tablesAsTidy, tidyHeader, type TidyRecord } from './table-tidy.js';
export type * from './table-types.js';
export { tableKinds } from './table-types.js';
export type { WaveResponses } from './wave-responses.js';
export { partColumnsOf, partColumnsWriter, waveColumnsOf, type PartColumns, type PartColumnsWriter, type WaveColumns } from './wave-columns.js';
export { fisherExact } from './statistics/fisher-exact.js';
export { permutationTest } from './statistics/permutation-test.js';
export { wilsonInterval } from './statistics/wilson-interval.js';
export { protectTable, protectTables, type ProtectTableOptions, type ProtectTablesOptions } from './disclosure/table-suppression.js';
export { isSensitive, suppressGroup, type LinkedCounts } from './disclosure/group-suppression.js';
export { linkedGroups, type LinkedGroup } from './disclosure/linked-groups.js';
export { defaultQuasiIdentifiers, prepareMicrodata, type Microdata, type MicrodataOptions, type MicrodataReport } from './disclosure/microdata.js';
export type { NumberCoding } from './disclosure/top-coding.js';
export { partTwoTableSchema, researchDataPackage, type DataPackageDescriptor, type TableSchema, type TableSchemaField } from './codebook/data-package.js';
export { researchPackageReadme } from './codebook/package-readme.js';
export {
  codedSuffix,
  missingCodes,
  unionRecordWriter,
  unionRecords,
  waveColumn,
  waveUnion,
  WavesNotCombinable,
  type WaveRelease,
  type WaveUnion,
} from './codebook/wave-union.js';
export { pythonReader, pythonReaderFile, rReader, rReaderFile } from './codebook/reading-scripts.js';
export type * from './disclosure/disclosure-types.js';
export type { ChartTable } from './charts/chart-data.js';
export { outlineTables, reportOutline, type OutlinedSection, type PlacedTable, type ReportSection } from './report/report-outline.js';
export { changeSummary, type ChangeFinding, type ChangeSummary } from './report/change-summary.js';
export {
  displayCell,
  displayTable,
  type DisplayCell,
  type DisplayChange,
  type DisplayColumn,
  type DisplayRow,
  type DisplayTable,
} from './report/table-display.js';
export { tableRecordHeader, tableRecords, type TableRecord } from './report/table-records.js';
