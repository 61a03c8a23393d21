// The data-protection feature's public module: retention, which the command line and the server share. Its
// routes are mounted by app/ from data-protection-routes.ts.
export {
  applyRetention,
  changeRetention,
  planRetention,
  retentionAuditAction,
  retentionSetAuditAction,
  rewriteIdentifiable,
  runRetention,
  StoreRewriteBlocked,
  startDailyRetention,
  type RetentionErasure,
} from './retention.js';
export { erasePerson, findPerson, partTwoExplanation, personAuditActions, personCsv, personJson } from './subject-access.js';
