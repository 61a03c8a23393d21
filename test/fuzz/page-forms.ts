/**
 * The forms of a rendered page, read the way a browser would: where each posts, and for each field the
 * values the page offers (a text box's current value, each radio, checkbox and option). The form-aware
 * fuzz fills these with a mix of offered and hostile values, so requests get past the CSRF check and
 * the form's shape to the rules behind them.
 */

export interface PageField {
  readonly name: string;
  readonly type: string;
  /** Values the page offers; the first is what it would send as rendered. */
  readonly offered: readonly string[];
}

export interface PageForm {
  readonly method: 'GET' | 'POST';
  readonly action: string;
  readonly multipart: boolean;
  readonly fields: readonly PageField[];
}

const unescapeHtml = (s: string) =>
  s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s>/])`).exec(tag);
  return match ? unescapeHtml(match[1] ?? '') : undefined;
};

export const formsOf = (html: string, pagePath: string): PageForm[] =>
  [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attrs, inner]) => {
    const tag = `<form ${attrs}>`;
    const fields = new Map<string, { type: string; offered: string[] }>();
    const offer = (name: string, type: string, value: string) => {
      const field = fields.get(name) ?? { type, offered: [] };
      if (!field.offered.includes(value)) field.offered.push(value);
      fields.set(name, field);
    };
    for (const [input] of inner!.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(input, 'name');
      if (name) offer(name, attribute(input, 'type') ?? 'text', attribute(input, 'value') ?? '');
    }
    for (const [, selectAttrs, options] of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(`<select ${selectAttrs}>`, 'name');
      if (name) for (const [option] of options!.matchAll(/<option\b[^>]*>/g)) offer(name, 'select', attribute(option, 'value') ?? '');
    }
    for (const [, areaAttrs, text] of inner!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attribute(`<textarea ${areaAttrs}>`, 'name');
      if (name) offer(name, 'textarea', unescapeHtml(text!));
    }
    return {
      method: (attribute(tag, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      action: attribute(tag, 'action') || pagePath,
      multipart: attribute(tag, 'enctype') === 'multipart/form-data',
      fields: [...fields].map(([name, f]) => ({ name, type: f.type, offered: f.offered })),
    };
  });
