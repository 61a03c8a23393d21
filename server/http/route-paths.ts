/**
 * Addresses built from the route patterns they are mounted at, so a page's link and the route it leads to
 * are one declaration: `pathTo('/staff/waves/:wave/roster', { wave: '2020-06' })`.
 */

/** The names of a pattern's `:name` segments, as a type: `'/a/:wave/b/:table'` gives `'wave' | 'table'`. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? WithoutPattern<Name> | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? WithoutPattern<Name>
    : never;

/** Hono's `:format{csv|svg}` names the parameter `format`. */
type WithoutPattern<Name extends string> = Name extends `${infer Bare}{${string}` ? Bare : Name;

export type PathParams<P extends string> = { readonly [Name in PathParamNames<P>]: string };

/** The pattern with each `:name` replaced by its value, encoded as one path segment. */
export const pathTo = <P extends string>(pattern: P, params: PathParams<P>): string =>
  pattern.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_, name: string) => {
    const value = (params as Readonly<Record<string, string>>)[name];
    // The type makes every name required; a missing one is a programming error, never a user's.
    if (value === undefined) throw new Error(`pathTo(${pattern}): no value for :${name}`);
    return encodeURIComponent(value);
  });
