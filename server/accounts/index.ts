// The accounts feature's public module: the account changes the command line shares. Its routes are mounted
// by app/ from accounts-routes.ts.
export { disableAccount, enableAccount, insertAccount } from './account-changes.js';
