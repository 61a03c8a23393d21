/**
 * Progressive enhancement for the survey pages. Everything works without it; with it:
 * - a matrix of numbers with an expected total (time_share) shows its running total as you type;
 * - an error message clears as soon as its field is changed (typed in, ticked);
 * - after a refused submit, focus moves to the error summary so it is read out first.
 */
/** A box's number as the server reads it: a trailing unit (`10%`) is allowed; anything else counts as nothing. */
const valueOf = (input: HTMLInputElement): number => {
  const unit = (input.dataset.unit ?? '').toLowerCase();
  let text = input.value.trim();
  if (unit && text.toLowerCase().endsWith(unit)) text = text.slice(0, -unit.length).trim();
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : 0;
};

const totalOf = (name: string): number =>
  [...document.querySelectorAll<HTMLInputElement>(`input[data-total-of="${name}"]`)].reduce((sum, input) => sum + valueOf(input), 0);

const updateTotal = (output: HTMLElement) => {
  const name = output.dataset.totalFor!;
  const expected = Number(output.dataset.expected);
  const unit = output.dataset.unit ?? '';
  const rounded = Math.round(totalOf(name) * 10) / 10;
  output.textContent =
    rounded === expected ? `Total so far: ${rounded}${unit}` : `Total so far: ${rounded}${unit} (roughly ${expected}${unit} is expected, but you can continue)`;
};

const clearError = (field: HTMLElement) => {
  const question = field.closest('.matrix-row, .ds_question');
  if (!question) return;
  question.classList.remove('ds_question--error');
  question.querySelectorAll(':scope > .ds_question__error-message, :scope > fieldset > .ds_question__error-message').forEach((m) => m.remove());
  field.classList.remove('ds_input--error');
};

const start = () => {
  document.querySelectorAll<HTMLElement>('[data-total-for]').forEach((output) => {
    updateTotal(output);
    document.querySelectorAll<HTMLInputElement>(`input[data-total-of="${output.dataset.totalFor}"]`).forEach((input) =>
      input.addEventListener('input', () => updateTotal(output)),
    );
  });
  // On input, not change: a text field's change fires on blur, so when the blur came from pressing
  // the submit button the message vanished under the pointer, the button moved up, and the click was lost.
  document.querySelectorAll<HTMLElement>('form input, form textarea').forEach((field) => {
    field.addEventListener('input', () => clearError(field));
  });
  document.getElementById('error-summary')?.focus();
};

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
