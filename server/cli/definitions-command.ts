import { Command } from 'commander';
import { definitionKey, findDefinition, parseDefinitionRef, publishedDefinitions, type SurveyDefinition } from '../../survey-definitions/index.js';
import { definitionSummary } from '../../survey-definitions/definition-summary.js';
import { diffDefinitions, type DefinitionDiff } from '../../survey-definitions/definition-diff.js';
import { CliError, writeLine, type CliIo } from './cli-io.js';

const lookUp = (text: string): SurveyDefinition => {
  const ref = parseDefinitionRef(text);
  if (!ref) throw new CliError(`"${text}" is not a definition reference: expected ID@VERSION, e.g. cswo-annual@2`, 2);
  const definition = findDefinition(ref);
  if (!definition) {
    const known = publishedDefinitions.map(definitionKey).join(', ');
    throw new CliError(`no published definition ${text}: the published ones are ${known}`);
  }
  return definition;
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
  const command = new Command('definitions').description('List, show and compare the published survey definitions');
  command
    .command('list')
    .description('List published definition versions with their waves and content hashes')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const summaries = publishedDefinitions.map(definitionSummary);
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
    .action((ref: string) => writeLine(io.stdout, JSON.stringify(lookUp(ref), null, 2)));
  command
    .command('diff')
    .description('List the items added, removed and changed between two definition versions')
    .argument('<from>', 'ID@VERSION')
    .argument('<to>', 'ID@VERSION')
    .option('--json', 'print JSON')
    .action((from: string, to: string, options: { json?: boolean }) => {
      const diff = diffDefinitions(lookUp(from), lookUp(to));
      if (options.json) writeLine(io.stdout, JSON.stringify(diff, null, 2));
      else formatDiff(diff).forEach((line) => writeLine(io.stdout, line));
    });
  return command;
};
