import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { definitionKeys, findDefinition, knownDefinitions, parseDefinitionRef, type SurveyDefinition } from '../../survey-definitions/index.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { diffDefinitions, type DefinitionDiff } from '../../survey-definitions/definition-diff.js';
import { publishDefinition } from '../storage/definition-store.js';
import { listWaves } from '../storage/wave-store.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { readDefinitionFile } from './definition-file.js';
import { dataOption, withStores } from './store-options.js';

/** A bundled version or one published in the data directory's store (opening the stores registers those). */
const lookUp = (text: string): SurveyDefinition => {
  const ref = parseDefinitionRef(text);
  if (!ref) throw new CliError(`"${text}" is not a definition reference: expected ID@VERSION, e.g. cswo-annual@2`, 2);
  const definition = findDefinition(ref);
  if (!definition) throw new CliError(`no published definition ${text}: the published ones are ${definitionKeys().join(', ')}`);
  return definition;
};

/** The audit log's `via` for a version published here (its actor is null). */
const via = 'command line';

const readFile = (io: CliIo, file: string): string => {
  const path = resolvePath(io, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read the definition file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
};

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export const formatDiff = (diff: DefinitionDiff): string[] => {
  const lines = [`${diff.from} -> ${diff.to}`];
  lines.push(`added (${diff.added.length})`, ...diff.added.map((i) => `  + ${i.id} (${i.kind}, ${i.part} part, section ${i.section})`));
  lines.push(`removed (${diff.removed.length})`, ...diff.removed.map((i) => `  - ${i.id} (${i.kind}, ${i.part} part, section ${i.section})`));
  lines.push(`changed (${diff.changed.length})`);
  for (const item of diff.changed) {
    lines.push(`  ~ ${item.id}`);
    for (const c of item.changes) {
      const detail = c.from === undefined ? `added ${show(c.to)}` : c.to === undefined ? `removed ${show(c.from)}` : `${show(c.from)} -> ${show(c.to)}`;
      lines.push(`      ${c.field}: ${detail}`);
    }
  }
  return lines;
};

export const definitionsCommand = (io: CliIo) => {
  const command = new Command('definitions').description(
    'List, show, compare and publish survey definitions: those bundled with the platform and those published in the data directory',
  );
  command
    .command('list')
    .description('List definition versions, bundled and published, with their waves and content hashes')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (options: { data: string; json?: boolean }) => {
      const waves = await withStores(io, options.data, (stores) => listWaves(stores.identifiable));
      const summaries = knownDefinitions().map((d) => ({
        ...definitionSummary(d),
        waves: waves.filter((w) => w.definition.id === d.id && w.definition.version === d.version).map((w) => w.id),
      }));
      if (options.json) return writeLine(io.stdout, JSON.stringify(summaries, null, 2));
      for (const s of summaries) {
        const items = Object.entries(s.items)
          .map(([part, n]) => `${n} ${part}`)
          .join(', ');
        writeLine(io.stdout, `${s.ref}\t${s.title}\twaves: ${s.waves.join(', ') || 'none'}\titems: ${items}\t${s.hash}`);
      }
    });
  command
    .command('show')
    .description('Print one definition as JSON')
    .argument('<ref>', 'ID@VERSION, e.g. cswo-annual@2')
    .addOption(dataOption())
    .action(async (ref: string, options: { data: string }) => {
      const definition = await withStores(io, options.data, async () => lookUp(ref));
      writeLine(io.stdout, JSON.stringify(definition, null, 2));
    });
  command
    .command('diff')
    .description('List the items added, removed and changed between two definition versions')
    .argument('<from>', 'ID@VERSION')
    .argument('<to>', 'ID@VERSION')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, options: { data: string; json?: boolean }) => {
      const diff = await withStores(io, options.data, async () => diffDefinitions(lookUp(from), lookUp(to)));
      if (options.json) writeLine(io.stdout, JSON.stringify(diff, null, 2));
      else formatDiff(diff).forEach((line) => writeLine(io.stdout, line));
    });
  command
    .command('publish')
    .description(
      'Publish a definition version from a JSON file (e.g. `definitions show` output given a new version number) into the data directory, ' +
        'so that waves can field it; a published version never changes',
    )
    .argument('<file>', 'the definition as JSON')
    .addOption(dataOption())
    .action(async (file: string, options: { data: string }) => {
      const read = readDefinitionFile(readFile(io, file), file);
      if (!read.ok) throw new CliError(`${file} is not a survey definition that can be published:\n${read.problems.map((p) => `  ${p}`).join('\n')}`);
      const result = await withStores(io, options.data, (stores) =>
        publishDefinition(stores.identifiable, read.definition, { actor: null, now: Date.now(), via }),
      );
      if (result.outcome === 'refused') throw new CliError(result.message);
      if (result.outcome === 'unchanged') {
        const where = result.bundled ? 'bundled with the platform' : 'already published';
        writeLine(io.stdout, `${result.ref} is ${where} with this content (${result.hash}): nothing to do`);
      } else writeLine(io.stdout, `published ${result.ref} (${result.hash}): waves can now field it`);
    });
  return command;
};
