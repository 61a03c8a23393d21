/**
 * Issue 16's goals, written beside the figures by the benchmark that measured them, so a section of
 * docs/benchmarks.md never claims a goal its own numbers do not meet.
 */

/** The `met` cell: computed from this run, never typed by hand. */
export const met = (ok: boolean): string => (ok ? 'yes' : 'no');

/** A ratio as the tables print it: `0.42×`. */
export const times = (ratio: number): string => `${ratio.toFixed(2)}×`;

/** A quick run (`--quick` or BENCH_QUICK=1): tiny sizes and seconds, to show the benchmark still runs; its goals mean nothing. */
export const quickNote = '(quick run: tiny sizes, so the goals below are not judged by these figures)';
