// The definitions feature's public module: checking a definition file as publishing does, which the command
// line shares. Its routes are mounted by app/ from definitions-routes.ts.
export { checkDefinitionFile, problemLine, type CheckedDefinitionFile } from './definition-check.js';
