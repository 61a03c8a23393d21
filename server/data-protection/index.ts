// The data-protection feature's public module. Its routes are mounted by app/ from data-protection-routes.ts;
// nothing else of the folder is used from outside it yet.
export { defaultPrivacyNotice } from './privacy-notice-text.js';
