import { definitionOfWave, findBundledWave, partOf, type Item, type PartId, type Section } from '../../survey-definitions/index.js';
import { ratingOptions } from '../../survey-definitions/kinds/rating-options.js';

/** Helpers of the respondent tests: a browser's cookie jar, form answers, and reading pages. */

export const definitionOfWave2 = definitionOfWave(findBundledWave('2020-06')!);
export const sectionsOf = (part: PartId): readonly Section[] => partOf(definitionOfWave2, part).sections;

/** The 32 council codes of the local_authority item. */
export const councilCodes: readonly string[] = (() => {
  const item = sectionsOf('identifiable')
    .flatMap((s) => s.items)
    .find((i) => i.id === 'local_authority');
  if (!item || !('options' in item)) throw new Error('no local_authority item');
  return item.options.map((o) => o.code);
})();

/** Seeded PRNG (mulberry32): the same seed, the same trial. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return { next, int, pick, shuffle };
};
export type Random = ReturnType<typeof seededRandom>;

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** RFC 6265 path-match. */
const pathMatches = (requestPath: string, cookiePath: string) =>
  requestPath === cookiePath || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

/** One browser's cookies for one site: honours Path and Max-Age, as a browser would. */
export class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  /** Parses Set-Cookie header values; returns the parsed cookies, for checking their attributes. */
  store(setCookies: readonly string[], requestPath: string): Cookie[] {
    const stored: Cookie[] = [];
    for (const header of setCookies) {
      const [pair, ...parts] = header.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attributes = new Map(
        parts.map((p) => {
          const i = p.indexOf('=');
          return i === -1 ? ([p.toLowerCase(), ''] as const) : ([p.slice(0, i).toLowerCase(), p.slice(i + 1)] as const);
        }),
      );
      const defaultPath = requestPath.lastIndexOf('/') > 0 ? requestPath.slice(0, requestPath.lastIndexOf('/')) : '/';
      const path = attributes.get('path')?.startsWith('/') ? attributes.get('path')! : defaultPath;
      const cookie = { name, value, path, attributes };
      const maxAge = attributes.get('max-age');
      if (maxAge !== undefined && Number(maxAge) <= 0) this.cookies.delete(`${name};${path}`);
      else this.cookies.set(`${name};${path}`, cookie);
      stored.push(cookie);
    }
    return stored;
  }

  /** The Cookie header a browser would send for this path (longer paths first), or undefined. */
  header(requestPath: string): string | undefined {
    const path = requestPath.split('?')[0]!;
    const sent = [...this.cookies.values()].filter((c) => pathMatches(path, c.path)).sort((a, b) => b.path.length - a.path.length);
    return sent.length === 0 ? undefined : sent.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  value(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  /** Puts (or replaces) a cookie by hand: a forged or tampered cookie, or one taken from another browser. */
  set(name: string, value: string, path: string) {
    this.cookies.set(`${name};${path}`, { name, value, path, attributes: new Map() });
  }

  delete(name: string) {
    for (const [k, c] of this.cookies) if (c.name === name) this.cookies.delete(k);
  }

  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

const words = [
  'pressure',
  'budget',
  'workforce',
  'partnership',
  'supervision',
  'governance',
  'recovery',
  'leadership',
  'learning',
  'demand',
  'capacity',
  'winter',
];

/** Form cells (field name -> value) of valid random answers to these items, as a browser would post them. */
export const randomCells = (items: readonly Item[], random: Random): Record<string, string> => {
  const cells: Record<string, string> = {};
  const number = (bounds: { min?: number; max?: number; integer: boolean }) => {
    const min = bounds.min ?? 0;
    const max = bounds.max ?? min + 40;
    return String(bounds.integer ? min + random.int(max - min + 1) : Math.round((min + random.next() * (max - min)) * 10) / 10);
  };
  for (const item of items) {
    switch (item.kind) {
      case 'single':
        cells[item.id] = random.pick(item.options).code;
        break;
      case 'multi':
        for (const o of item.options) if (random.next() < 0.4) cells[`${item.id}.${o.code}`] = '1';
        break;
      case 'rating':
        cells[item.id] = random.pick(ratingOptions(item.scale)).code;
        break;
      case 'number':
        cells[item.id] = number(item.bounds);
        break;
      case 'text':
        cells[item.id] = Array.from({ length: 3 + random.int(5) }, () => random.pick(words))
          .join(' ')
          .slice(0, item.maxLength);
        break;
      case 'email':
        cells[item.id] = `officer${random.int(1000)}@example.gov.uk`;
        break;
      case 'matrix-choice':
        for (const r of item.rows) if (random.next() < 0.8) cells[`${item.id}.${r.id}`] = random.pick(item.columns).code;
        break;
      case 'matrix-rating':
        for (const r of item.rows) if (random.next() < 0.8) cells[`${item.id}.${r.id}`] = random.pick(ratingOptions(item.scale)).code;
        break;
      case 'matrix-number':
        for (const r of item.rows) if (random.next() < 0.5) cells[`${item.id}.${r.id}`] = number(item.bounds);
        break;
    }
  }
  return cells;
};

/** Items a page of this part shows (part one's local_authority is the server's, not a field). */
export const pageItems = (section: Section): readonly Item[] => section.items.filter((i) => i.id !== 'local_authority');

/** The header's "Leave the survey" form, which respondent pages carry before their own. */
const leaveFormPattern = /<form class="site-header__leave"[\s\S]*?<\/form>/;

/** The CSRF token of the page's own form (not the header's "Leave the survey"). */
export const csrfOf = (html: string): string => {
  const match = /name="_csrf" value="([^"]+)"/.exec(html.replace(leaveFormPattern, ''));
  if (!match) throw new Error('no _csrf field in the page');
  return match[1]!;
};

/** The "Leave the survey" form in the page's header: where it posts and its token, or undefined. */
export const leaveFormOf = (html: string): { action: string; csrf: string } | undefined => {
  const form = leaveFormPattern.exec(html)?.[0];
  const action = form && /action="([^"]+)"/.exec(form)?.[1];
  const csrf = form && /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  return action && csrf ? { action, csrf } : undefined;
};

/** A page's words as a reader sees them: no tags, no comments, whitespace run together. */
export const pageText = (html: string): string =>
  html
    .replace(/<!--[^]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export const titleOf = (html: string): string => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';

export const idsOf = (html: string): Set<string> => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));

/** The targets of the error summary's links (without '#'). */
export const errorSummaryTargets = (html: string): string[] => {
  const summary = /<div class="ds_error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0];
  return summary ? [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!) : [];
};

/** A stack frame as V8 prints it ("    at fn (file:1:2)"), or a file position. */
export const stackTrace = /\n\s+at |\bat .*:\d+:\d+|\.ts:\d+|\.js:\d+|node_modules|SqliteError|TypeError|ReferenceError/;

export const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

const unescapeHtml = (s: string) =>
  s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The cells a browser would post from this page's form as rendered (filled fields, checked boxes). */
export const formCellsOf = (html: string): Record<string, string> => {
  const cells: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const attr = (name: string) => new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(tag!);
    const name = attr('name')?.[1];
    if (!name || name === '_csrf') continue;
    const type = attr('type')?.[1] ?? 'text';
    const value = unescapeHtml(attr('value')?.[1] ?? '');
    if (type === 'radio' || type === 'checkbox') {
      if (attr('checked')) cells[name] = value;
    } else if (value !== '') cells[name] = value;
  }
  for (const [, name, text] of html.matchAll(/<textarea\b[^>]*\sname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    if (text !== '') cells[name!] = unescapeHtml(text!);
  }
  return cells;
};
