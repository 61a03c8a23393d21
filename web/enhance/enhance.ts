/**
 * Progressive enhancement for the survey pages. Everything works without it; with it:
 * - a matrix of numbers with an expected total (time_share) shows its running total as you type;
 * - an error message clears as soon as its field is changed (typed in, ticked);
 * - after a refused submit, focus moves to the error summary so it is read out first;
 * - "None of these" unticks the other boxes of its question, and they untick it;
 * - a follow-up question is shown only while the option it follows is chosen; hidden, its fields are
 *   disabled, so they are not sent and the server does not refuse an answer the respondent cannot see;
 * - a read-only field marked `data-copy` (an invitation link) gets a "Copy link" button, when the
 *   Clipboard API is there, which says "Copied" in a live region; without it the field is still there
 *   to select and copy by hand.
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

/** The boxes and radios of one question: those of a matrix row or of the whole question. */
const choicesBeside = (input: HTMLInputElement) => [
  ...(input.closest('.matrix-row, .ds_question')?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]') ?? []),
];

const exclusiveChoices = () => {
  document.querySelectorAll<HTMLInputElement>('input[type="checkbox"]').forEach((box) => {
    box.addEventListener('change', () => {
      if (!box.checked) return;
      for (const other of choicesBeside(box)) {
        if (other !== box && (box.dataset.exclusive !== undefined || other.dataset.exclusive !== undefined)) other.checked = false;
      }
    });
  });
};

/** The inputs that choose an option of an item: `pq_awards.other` (a box) or `role` = `deputy` (a radio). */
const optionInputs = (item: string, option: string) =>
  [...document.querySelectorAll<HTMLInputElement>(`input[data-option="${option}"]`)].filter((i) => i.name === item || i.name === `${item}.${option}`);

const followUps = () => {
  document.querySelectorAll<HTMLElement>('[data-reveal-item]').forEach((reveal) => {
    const inputs = optionInputs(reveal.dataset.revealItem!, reveal.dataset.revealOption!);
    if (inputs.length === 0) return;
    const fields = [...reveal.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea, select')];
    // A follow-up that holds an answer or an error stays in view until its option is next changed.
    const keep = reveal.querySelector('.ds_question--error') !== null || fields.some((f) => f.value.trim() !== '');
    reveal.id ||= `reveal-${reveal.dataset.revealItem}`;
    const update = (initial: boolean) => {
      const shown = inputs.some((i) => i.checked) || (initial && keep);
      reveal.hidden = !shown;
      for (const field of fields) field.disabled = !shown;
      for (const input of inputs) input.setAttribute('aria-expanded', String(shown));
    };
    for (const input of inputs) input.setAttribute('aria-controls', reveal.id);
    // A radio's change fires only on the one chosen: listen on the whole question.
    const question = inputs[0]!.closest('.ds_question') ?? document;
    question.addEventListener('change', () => update(false));
    update(true);
  });
};

const addCopyButton = (field: HTMLInputElement) => {
  const row = document.createElement('div');
  row.className = 'staff-copy';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ds_button ds_button--secondary ds_button--small';
  button.append('Copy link');
  const which = document.createElement('span');
  which.className = 'visually-hidden';
  which.textContent = ` of ${field.dataset.copy ?? ''}`;
  button.append(which);
  // A live region present from the start, so the change of its text is announced.
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  status.className = 'staff-copy__status';
  button.addEventListener('click', async () => {
    document.querySelectorAll('.staff-copy__status').forEach((s) => (s.textContent = ''));
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Copied';
    } catch {
      field.focus();
      field.select();
      status.textContent = 'Not copied: the link is selected, copy it with Ctrl+C';
    }
  });
  row.append(button, status);
  field.after(row);
};

const start = () => {
  exclusiveChoices();
  followUps();
  // A click selects the whole link, so a drag cannot take part of it.
  document.querySelectorAll<HTMLInputElement>('input[data-copy]').forEach((field) => {
    field.addEventListener('focus', () => field.select());
    if (window.isSecureContext && typeof navigator.clipboard?.writeText === 'function') addCopyButton(field);
  });
  document.querySelectorAll<HTMLElement>('[data-total-for]').forEach((output) => {
    updateTotal(output);
    document
      .querySelectorAll<HTMLInputElement>(`input[data-total-of="${output.dataset.totalFor}"]`)
      .forEach((input) => input.addEventListener('input', () => updateTotal(output)));
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
