import { Hono, type Context } from 'hono';
import { publicRoute } from '../http/route-declarations.js';
import { chooseEncoding, findAsset } from '../pages/page-assets.js';

/** A year: what an address that can never change may be kept for. */
const immutable = 'public, max-age=31536000, immutable';

/**
 * `/assets/*`: a fixed list of files, so no request can reach anything else on disk. Pages link each by its
 * fingerprinted name, which is cached for a year and never asked for again until a new build changes the
 * name; the plain name (`/assets/survey.css`) is revalidated by its ETag. Each is sent compressed (brotli or
 * gzip, as the browser accepts) from forms made once: the stylesheets and scripts hold no secret and never
 * change, so their best compression is made once. Pages are compressed on every request, with care for the
 * secrets they hold (server/pages/page-compression.ts).
 */
export const assetRoutes = new Hono().get(
  '/:name',
  publicRoute(async (c: Context) => {
    const asset = findAsset(c.req.param('name') ?? '');
    if (!asset) return c.notFound();
    const etag = `"${asset.hash}"`;
    c.header('Vary', 'Accept-Encoding');
    c.header('ETag', etag);
    c.header('Cache-Control', asset.immutable ? immutable : 'public, no-cache');
    if (
      c.req
        .header('If-None-Match')
        ?.split(',')
        .some((tag) => tag.trim().replace(/^W\//, '') === etag)
    )
      return c.body(null, 304);
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
    c.header('Content-Type', asset.type);
    if (encoding !== 'identity') c.header('Content-Encoding', encoding);
    return c.body(new Uint8Array(await asset.body(encoding)));
  }),
);
