import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with a plain "N passed, N failed, N skipped" line, which CI reads whatever the runner.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      // A file that failed to load, or a beforeAll hook that failed, leaves its tests skipped or
      // absent: count the failed file or suite itself, so the failure cannot hide as a skip.
      for (const suite of [module, ...module.children.allSuites()]) {
        const failedTests = [...suite.children.allTests()].filter((t) => t.result().state === 'failed').length;
        if (suite.state() === 'failed' && failedTests === 0) counts.failed++;
      }
    }
    counts.failed += unhandledErrors.length;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
