/**
 * The public address invitation links start with (PUBLIC_URL, `invite --base-url`): http or https, no
 * query, fragment or credentials, without a trailing slash. Undefined when the text is not one.
 */
export const publicUrlOf = (text: string): string | undefined => {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
};

export const publicUrlExpected = 'an http or https address such as https://survey.example.org';
