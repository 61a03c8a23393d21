import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files served under /assets: the design system's stylesheet, ours, and the browser bundles. */
export const assetFiles = {
  'design-system.css': join(root, 'node_modules', '@scottish-government', 'design-system', 'dist', 'css', 'design-system.min.css'),
  'survey.css': join(root, 'web', 'survey.css'),
  'enhance.js': join(root, 'dist', 'web', 'enhance.js'),
  /** The dashboards' live charts (vega-embed): large, so only the pages with charts load it. */
  'dashboard-charts.js': join(root, 'dist', 'web', 'dashboard-charts.js'),
} as const;

export type AssetName = keyof typeof assetFiles;

const types: Readonly<Record<string, string>> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** An asset as it is served: its bytes, its fingerprint, and its compressed forms (made once, on first request). */
interface LoadedAsset {
  readonly name: AssetName;
  readonly type: string;
  readonly body: Buffer;
  /** The first 16 hex digits of the SHA-256 of its bytes: in its address, so a new build is a new address. */
  readonly hash: string;
  readonly encoded: Map<'br' | 'gzip', Promise<Buffer>>;
}

const loaded = new Map<AssetName, LoadedAsset | null>();

/**
 * Reads an asset once per process: the files do not change while the server runs (a new build is a new
 * server). A bundle that `npm install` has not built is absent: the pages work without it.
 */
const load = (name: AssetName): LoadedAsset | undefined => {
  if (!loaded.has(name)) {
    const path = assetFiles[name];
    if (!existsSync(path)) return undefined; // Not cached: a build may still come (tests build before they start).
    const body = readFileSync(path);
    loaded.set(name, {
      name,
      type: types[name.split('.').pop()!] ?? 'application/octet-stream',
      body,
      hash: createHash('sha256').update(body).digest('hex').slice(0, 16),
      encoded: new Map(),
    });
  }
  return loaded.get(name) ?? undefined;
};

/** Whether a bundle was built, so a page links it only then. */
export const assetBuilt = (name: AssetName): boolean => load(name) !== undefined;

/** The address a page links an asset at: `/assets/survey.0123456789abcdef.css`, cached for a year. */
export const assetUrl = (name: AssetName): string => {
  const asset = load(name);
  if (!asset) return `/assets/${name}`;
  const dot = name.lastIndexOf('.');
  return `/assets/${name.slice(0, dot)}.${asset.hash}${name.slice(dot)}`;
};

export interface ServedAsset {
  readonly type: string;
  readonly hash: string;
  /** Asked for by its fingerprinted name: it can never change at this address. */
  readonly immutable: boolean;
  readonly body: (encoding: 'br' | 'gzip' | 'identity') => Promise<Buffer>;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * The asset a request names: by its fingerprinted name (`survey.<hash>.css`, immutable) or its plain name
 * (`survey.css`, revalidated each time). Only the listed files can be reached; a fingerprint of another
 * build is not found, so a page never gets a stylesheet or script that does not match it.
 */
export const findAsset = (requested: string): ServedAsset | undefined => {
  const fingerprinted = /^(.+)\.([0-9a-f]{16})(\.[a-z]+)$/.exec(requested);
  const name = (fingerprinted ? `${fingerprinted[1]}${fingerprinted[3]}` : requested) as AssetName;
  if (!Object.hasOwn(assetFiles, name)) return undefined;
  const asset = load(name);
  if (!asset || (fingerprinted && fingerprinted[2] !== asset.hash)) return undefined;
  return {
    type: asset.type,
    hash: asset.hash,
    immutable: fingerprinted !== null,
    body: (encoding) => {
      if (encoding === 'identity') return Promise.resolve(asset.body);
      // Compressed once, at the best ratio (the files are static), off the event loop.
      let made = asset.encoded.get(encoding);
      if (!made) {
        made =
          encoding === 'br'
            ? brotli(asset.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length } })
            : gzipped(asset.body, { level: 9 });
        asset.encoded.set(encoding, made);
      }
      return made;
    },
  };
};

/**
 * The encoding to send, from the request's Accept-Encoding: of brotli and gzip, the one the client weighs
 * higher (`q`), brotli on a tie; else the bytes as they are. A coding the client refuses (`q=0`, a
 * malformed weight, or unnamed when `*` is absent) is never chosen.
 */
export const chooseEncoding = (acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' => {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (!coding) continue;
    const q = params.map((p) => /^\s*q=(.*?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    // A weight that is not a number between 0 and 1 is read as a refusal, never as a wish.
    const weight = q === undefined ? 1 : /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(q) ? Number(q) : 0;
    accepted.set(coding.trim(), weight);
  }
  const weight = (coding: string) => accepted.get(coding) ?? accepted.get('*') ?? 0;
  const [br, gzip] = [weight('br'), weight('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
};
