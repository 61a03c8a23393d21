import { errorSummaryTargets, titleOf } from '../server/respondent-helpers.js';

/** Whether a refusal says what was wrong: an error summary, or a page (or JSON) with a title and a reason. */
export const explainsRefusal = (status: number, contentType: string, text: string): boolean => {
  if (contentType.includes('json')) {
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error;
      return typeof error === 'string' && error.trim().length > 0;
    } catch {
      return false;
    }
  }
  if (status === 400 || status === 422) {
    // A form refused: the error summary names each field. Otherwise a titled page with a reason.
    if (errorSummaryTargets(text).length > 0) return true;
  }
  const title = titleOf(text).split(' – ')[0]!.trim();
  const reason = /<p\b[^>]*>\s*[^<\s][^<]{10,}/.test(text);
  return title.length > 0 && reason;
};
