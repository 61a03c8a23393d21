import { resolve } from 'node:path';

/** A path as one shell word. */
const shellWord = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/**
 * The start-up lines shown while no staff account exists: the one-time setup link (an hour, one use), and
 * the command that makes the first admin instead, with `--data` only when the data directory is not the
 * default `./data` of where the command is typed.
 */
export const firstAdminHint = (dataDir: string, setupLink: string, cwd = process.env.INIT_CWD ?? process.cwd()): string => {
  const data = resolve(dataDir) === resolve(cwd, 'data') ? '' : ` --data ${shellWord(resolve(dataDir))}`;
  return [
    `no staff accounts yet: open ${setupLink} within the hour to create the first administrator (the link works once)`,
    `or create one with  npm run cli -- user add${data} --role admin --email you@example.org`,
  ].join('\n');
};
