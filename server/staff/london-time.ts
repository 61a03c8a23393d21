/** Times on staff pages: as people in Scotland read them (GMT or BST said), with the exact instant beside. */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});
const date = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** `12 Jan 2026, 09:00:00 GMT` and `2026-01-12T09:00:00.000Z` (for `<time datetime>`). */
export const londonTime = (ms: number) => ({ text: dateTime.format(ms), iso: new Date(ms).toISOString() });

/** `12 January 2026`. */
export const londonDate = (ms: number) => ({ text: date.format(ms), iso: new Date(ms).toISOString() });
