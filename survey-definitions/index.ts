/** The survey instrument as typed, frozen, versioned data, and the one validation function. */
export {
  allItems,
  checkDefinition,
  defineSurvey,
  definitionKey,
  findItem,
  itemsOf,
  partOf,
  type CheckedDefinition,
  type DefinitionIssue,
} from './define-survey.js';
export { formatPath, type DefinitionProblem, type PathSegment } from './definition-problem.js';
export { readDefinitionText, type DefinitionTextResult, type ReadOptions } from './definition-text.js';
export { definitionJsonSchema } from './definition-json-schema.js';
export { crossVersionIssues, crossVersionProblems } from './version-rules.js';
export { describeDiff, diffDefinitions, type DefinitionDiff, type FieldChange, type ItemSummary } from './definition-diff.js';
export {
  definitionSchema,
  packageColumns,
  partIds,
  reservedSectionIds,
  type Item,
  type Part,
  type PartId,
  type Section,
  type SurveyDefinition,
} from './definition-schema.js';
export {
  bundledDefinitions,
  definitionKeys,
  findDefinition,
  isBundledDefinition,
  knownDefinitions,
  parseDefinitionRef,
  registerPublishedDefinitions,
  type DefinitionRef,
} from './definition-registry.js';
export { bundledWaves, definitionOfWave, findBundledWave, type Wave } from './wave-registry.js';
export { isOfKind, itemKinds, kindOf, type ItemKind } from './kinds/kind-registry.js';
export type { AnswerIssue, Checked, CodeList, NumberVariable, ShareRow } from './kinds/question-kind.js';
export { sentence, type CodebookField } from './kinds/codebook-fields.js';
export {
  AnswerColumnError,
  codeCounts,
  columnOf,
  noCode,
  type AnswerColumn,
  type CodeColumn,
  type FlagsColumn,
  type ItemColumns,
  type ItemColumnsWriter,
  type NumberColumn,
} from './kinds/answer-columns.js';
export { storedAnswers, type StoredAnswers } from './stored-answers.js';
export { csvLayout, decodeRecord, encodeRecord, layoutOfItems, readAnswers, storedRecordEncoder, type CsvLayout } from './answer-cells.js';
export type { ErrorMessages } from './item-base.js';
export {
  describeIssue,
  isUnanswered,
  validateAnswers,
  type Answers,
  type ValidationContext,
  type ValidationIssue,
  type Validated,
} from './validate-answers.js';
