// The research feature's public module: the researchers' package, which the command line writes too. Its
// routes are mounted by app/ from research-routes.ts.
export { PackageRefused, writeResearchPackage } from './research-package.js';
