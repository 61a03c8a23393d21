// Node module hooks: compile .svelte files for server rendering when they are imported, so `npm start`
// and `npm run cli` need no build step for pages. Vitest uses the Svelte Vite plugin instead.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'svelte/compiler';

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.svelte')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const source = await readFile(filename, 'utf8');
  const { js } = compile(source, { filename, generate: 'server', dev: false });
  return { format: 'module', source: js.code, shortCircuit: true };
}
