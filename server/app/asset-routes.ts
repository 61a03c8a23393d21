import { readFile } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import { publicRoute } from '../http/route-declarations.js';
import { assetFiles } from '../pages/render-page.js';

const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** `/assets/*`: a fixed list of files, so no request can reach anything else on disk. */
export const assetRoutes = new Hono().get(
  '/:name',
  publicRoute(async (c: Context) => {
    const name = (c.req.param('name') ?? '') as keyof typeof assetFiles;
    if (!Object.hasOwn(assetFiles, name)) return c.notFound();
    try {
      const body = await readFile(assetFiles[name]);
      c.header('Content-Type', types[name.split('.').pop()!] ?? 'application/octet-stream');
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(body);
    } catch {
      return c.notFound();
    }
  }),
);
