// The dashboards feature's public module: loading a wave's answers and tables, which the research downloads
// and the command line share. Its routes are mounted by app/ from dashboards-routes.ts.
export { loadAnonymousAnswers, loadWaveColumns, loadWaveResponses, UnknownWave } from './wave-loader.js';
export { loadWaveTables } from './wave-tables.js';
