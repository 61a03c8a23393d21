import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { SurveyDefinition } from '../../survey-definitions/index.js';
import type { CheckedDefinitionFile } from '../definitions/index.js';
import { CliError, resolvePath, writeLine, type CliIo } from './cli-io.js';
import { dataOption, withStores } from './store-options.js';

/** A bundled version or one published in the data directory's store (opening the stores registers those). */
const lookUp = async (text: string): Promise<SurveyDefinition> => {
  const { definitionKeys, findDefinition, parseDefinitionRef } = await import('../../survey-definitions/index.js');
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

/** What `definitions show` names as the file's JSON Schema: `definitions schema` writes it, saved beside the definition. */
export const schemaFileName = 'survey-definition.schema.json';

/** A file that fails a check ends the command with every problem, one per line, as `FILE:LINE: path: message`. */
const refusedOrDefinition = async (file: string, checked: CheckedDefinitionFile): Promise<SurveyDefinition> => {
  if (checked.ok) return checked.definition;
  const { problemLine } = await import('../definitions/index.js');
  const count = `${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}`;
  throw new CliError(`${file} cannot be published: ${count}\n${checked.problems.map((p) => problemLine(file, p)).join('\n')}`);
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
      const { knownDefinitions } = await import('../../survey-definitions/index.js');
      const { definitionSummary } = await import('../../survey-definitions/definition-summary.js');
      const { listWaves } = await import('../storage/wave-store.js');
      const waves = await withStores(io, options.data, (stores) => listWaves(stores.identifiable));
      const summaries = knownDefinitions().map((d) => definitionSummary(d, waves));
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
      const definition = await withStores(io, options.data, () => lookUp(ref));
      // `$schema` names the format's JSON Schema (`definitions schema`), so an editor checks and completes the
      // file as it is edited; it is not part of the definition, and reading the file leaves it out.
      writeLine(io.stdout, JSON.stringify({ $schema: schemaFileName, ...definition }, null, 2));
    });
  command
    .command('schema')
    .description(`Print the JSON Schema of the definition format (save it as ${schemaFileName} beside the definition you edit)`)
    .action(async () => {
      const { definitionJsonSchema } = await import('../../survey-definitions/index.js');
      writeLine(io.stdout, JSON.stringify(definitionJsonSchema(), null, 2));
    });
  command
    .command('check')
    .description('Check a definition file (JSON or YAML) as publishing would, and say what changed against the latest version; stores nothing')
    .argument('<file>', 'the definition, as `definitions show` prints it, edited')
    .addOption(dataOption())
    .action(async (file: string, options: { data: string }) => {
      const { definitionKey } = await import('../../survey-definitions/index.js');
      const { checkDefinitionFile } = await import('../definitions/index.js');
      const checked = await withStores(io, options.data, (stores) => checkDefinitionFile(stores.identifiable, readFile(io, file), file));
      const definition = await refusedOrDefinition(file, checked);
      const ref = definitionKey(definition);
      if (checked.ok && checked.alreadyThere) return writeLine(io.stdout, `${file}: ${ref} is already there with this content: nothing to publish`);
      writeLine(io.stdout, `${file}: ${ref} passes every check; publish it with: definitions publish ${file}`);
      if (checked.ok && checked.latest) {
        writeLine(io.stdout, `What changed against ${definitionKey(checked.latest)}:`);
        for (const change of checked.changes.length > 0 ? checked.changes : ['nothing but the version number']) writeLine(io.stdout, `  ${change}`);
      }
    });
  command
    .command('diff')
    .description('List the items added, removed and changed between two definition versions')
    .argument('<from>', 'ID@VERSION')
    .argument('<to>', 'ID@VERSION')
    .addOption(dataOption())
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, options: { data: string; json?: boolean }) => {
      const { describeDiff, diffDefinitions } = await import('../../survey-definitions/index.js');
      const diff = await withStores(io, options.data, async () => diffDefinitions(await lookUp(from), await lookUp(to)));
      if (options.json) return writeLine(io.stdout, JSON.stringify(diff, null, 2));
      writeLine(io.stdout, `${diff.from} -> ${diff.to}`);
      for (const line of describeDiff(diff)) writeLine(io.stdout, `  ${line}`);
    });
  command
    .command('publish')
    .description(
      'Publish a definition version from a JSON or YAML file (e.g. `definitions show` output given a new version number) into the data directory, ' +
        'so that waves can field it; a published version never changes',
    )
    .argument('<file>', 'the definition, as JSON or YAML')
    .addOption(dataOption())
    .action(async (file: string, options: { data: string }) => {
      const { checkDefinitionFile } = await import('../definitions/index.js');
      const { publishDefinition } = await import('../storage/definition-store.js');
      const text = readFile(io, file);
      const result = await withStores(io, options.data, async (stores) => {
        const definition = await refusedOrDefinition(file, await checkDefinitionFile(stores.identifiable, text, file));
        return publishDefinition(stores.identifiable, definition, { actor: null, now: Date.now(), via });
      });
      if (result.outcome === 'refused') throw new CliError(result.message);
      if (result.outcome === 'unchanged') {
        const where = result.bundled ? 'bundled with the platform' : 'already published';
        writeLine(io.stdout, `${result.ref} is ${where} with this content (${result.hash}): nothing to do`);
      } else writeLine(io.stdout, `published ${result.ref} (${result.hash}): waves can now field it`);
    });
  return command;
};
