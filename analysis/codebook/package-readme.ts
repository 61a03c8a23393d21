import { diffDefinitions } from '../../survey-definitions/definition-diff.js';
import { disclosureStatements, licenceNote, partTwoFile, partTwoResource, plural, sourceNote, type DataPackageDescriptor } from './data-package.js';
import { pythonReaderFile, rReaderFile } from './reading-scripts.js';
import { codedSuffix, missingValueLabels, waveUnion, type WaveRelease } from './wave-union.js';

export interface ReadmeInput {
  readonly waves: readonly WaveRelease[];
  readonly descriptor: DataPackageDescriptor;
}

/**
 * What is known of how a fielded wave came about, from the 2020 report (Social Work Scotland, Chief Social
 * Work Officer Annual Survey 2020, published March 2021). A wave not listed is described by its name,
 * when it was fielded and its version alone.
 */
const waveDesign: Readonly<Record<string, string>> = {
  '2020-01':
    'In January 2020 Social Work Scotland ran the CSWO Annual Survey for the first time, to understand the context CSWOs work in and the realities of the role; the 2020 report counts 27 CSWOs who responded.',
  '2020-06':
    'After the outbreak of COVID-19 the CSWO Committee agreed to re-issue the survey in June 2020, as part of a wider effort to understand the impact of COVID-19 on the social work workforce; it added a question on COVID-19 (covid_reflections), and the 2020 report counts 21 CSWOs who responded to both parts.',
};

const quote = (text: string) => `\`${text}\``;
const missingText = (value: string) => (value === '' ? 'an empty cell' : quote(value));

/** The README.md of a researcher download: the waves, the columns and missing values, the disclosure control, and how to read it. */
export const researchPackageReadme = ({ waves: releases, descriptor }: ReadmeInput): string => {
  const { waves, byVersion } = waveUnion(releases);
  const fields = descriptor.resources[0].schema.fields;
  const rows = waves.reduce((sum, w) => sum + w.report.rows, 0);
  const k = Math.max(...waves.map((w) => w.report.k));
  const bullet = (line: string) => `- ${line}`;
  const changes = byVersion.slice(1).flatMap((w, i) => {
    const before = byVersion[i]!;
    if (before.definition.version === w.definition.version) return [];
    const diff = diffDefinitions(before.definition, w.definition);
    const added = diff.added.filter((a) => a.part === 'anonymous').map((a) => `${a.id} (${a.kind})`);
    const removed = diff.removed.filter((a) => a.part === 'anonymous').map((a) => a.id);
    // What a reader of the data needs: wording, codes and bounds; not the form's error messages or rules.
    const meaningful = (field: string) => /^\.?(label|help|options|rows|columns|scale|bounds)\b/.test(field);
    const changed = diff.changed
      .filter((c) => c.changes.some((change) => meaningful(change.field)))
      .filter((c) => fields.some((f) => f.name === c.id || f.name.startsWith(`${c.id}.`)))
      .map((c) => c.id);
    const parts = [
      ...(added.length > 0 ? [`adds ${added.join(', ')}`] : []),
      ...(removed.length > 0 ? [`drops ${removed.join(', ')}`] : []),
      ...(changed.length > 0 ? [`changes the wording or codes of ${changed.join(', ')} (see each field's \`waves\` in datapackage.json)`] : []),
    ];
    return [
      `${w.definition.id}@${w.definition.version} (${w.wave.id}) against @${before.definition.version}: ${parts.length > 0 ? parts.join('; ') : 'no change to part two'}.`,
    ];
  });
  return [
    `# ${descriptor.title}`,
    '',
    `Answers to part two (anonymous) of Social Work Scotland's ${waves[0]!.definition.title}, ${waves.length === 1 ? 'one wave' : `${waves.length} waves`}, after disclosure control.`,
    'Part one (the council and the officer) is never part of a researcher download: nothing here identifies a respondent or links a row',
    'to part one, or a row of one wave to a row of another.',
    '',
    '## The waves',
    '',
    ...waves.map((w) =>
      bullet(
        `${quote(w.wave.id)}: ${w.wave.name}, fielded ${w.wave.fielded}, questionnaire ${w.definition.id} version ${w.definition.version}; ` +
          `${plural(w.report.rows, 'row')}.${waveDesign[w.wave.id] ? ` ${waveDesign[w.wave.id]}` : ''}`,
      ),
    ),
    '',
    "Each wave invited every council's CSWO and is a cross-section of those who answered: part two is anonymous, so the rows of two waves",
    'cannot be linked (the same officer may have answered both, and nothing says which rows). Compare waves as two samples, with their small',
    'numbers in mind, not as a panel. Each version of the questionnaire keeps the item ids of the one before: a column means the same question',
    'in every wave that asked it, and a column some wave did not ask holds `.n` there.',
    ...(changes.length > 0 ? ['', ...changes.map(bullet)] : []),
    '',
    '## Files',
    '',
    bullet(`\`${partTwoFile}\`: ${plural(rows, 'row')} and ${fields.length} columns, \`wave\` first; UTF-8, comma-separated, one header row, CRLF line ends.`),
    bullet('`datapackage.json`: the codebook, a Frictionless Data Package (Table Schema): for each column its type, the question and'),
    '  row or option it holds, the allowed codes with their labels (`constraints.enum`, `categories`, and in words in `description`),',
    '  which waves asked it and with which labels (`waves`), and what the disclosure control did to it.',
    bullet(`\`${pythonReaderFile}\`: reads the CSV with the codebook's types and labels in Python (standard library only).`),
    bullet(`\`${rReaderFile}\`: the same in R (base R only).`),
    bullet('`README.md`: this file.'),
    '',
    '## How the columns work',
    '',
    bullet('`wave`: the wave of the response.'),
    bullet('One column per question; a single-choice question holds an option code (`yes`, `10_20`), a rating a whole number, a number a number.'),
    bullet('A multiple-choice question `q` has one column `q.<option>` per option: `1` chosen, `0` not chosen; all empty: not answered.'),
    bullet('A grid question `q` has one column `q.<row>` per row.'),
    bullet(
      `A number that was top- or bottom-coded in some wave is followed by \`<column>${codedSuffix}\`: \`exact\`, \`top\` (the value shown means "this value or more") ` +
        'or `bottom` ("this value or less"). The codes are each wave\'s own (`coding` in the field of datapackage.json).',
    ),
    '',
    'No empty cell means two things. The missing values, declared in `missingValues` of datapackage.json:',
    '',
    ...missingValueLabels.map((m) => bullet(`${missingText(m.value)}: ${m.label}.`)),
    '',
    'Nothing else means missing: a code such as `none` is an answer.',
    '',
    '## Disclosure control',
    '',
    'Applied to each wave on its own, with the wave counting as a quasi-identifier, so everything below holds within each wave and for the',
    "file as a whole. The same answers always give the same cells: a wave's rows here are the rows of its own package.",
    '',
    ...waves.flatMap((w) => [`### ${w.wave.id}`, '', ...disclosureStatements(w.report).map(bullet), '']),
    bullet('Rows carry no id and are in a fresh random order within each wave: they cannot be lined up with any other file.'),
    '',
    'The rows answer every question that a published table answers, so they can show counts that the published tables suppress.',
    `Any result you publish must suppress counts below ${k} (and within ${k} of their total) as the published tables do.`,
    '',
    '## Reading it in Python',
    '',
    '```python',
    'import read_cswo',
    'data = read_cswo.read()          # the folder of read_cswo.py; labels for codes, None for missing values',
    'data.rows[0]["wave"], data.missing[0]',
    '',
    '# or with pandas, keeping the three missing values apart from answers:',
    'import pandas',
    `part_two = pandas.read_csv("${partTwoFile}", dtype=str, keep_default_na=False, na_values=["", ".n", ".s"])`,
    '```',
    '',
    '## Reading it in R',
    '',
    '```r',
    'source("read_cswo.R", encoding = "UTF-8")',
    'part_two <- read_cswo()         # factors with labels, ordered ratings, NA for missing values',
    '',
    '# or with the Frictionless package:',
    'package <- frictionless::read_package("datapackage.json")',
    `part_two <- frictionless::read_resource(package, "${partTwoResource}")`,
    '```',
    '',
    '`frictionless validate datapackage.json` (Python) checks every cell against the codebook.',
    '',
    'In a spreadsheet, import the file as UTF-8 text. A free-text cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,',
    "`@`, a tab or a carriage return) has an added leading `'`.",
    '',
    '## Conditions of use and citation',
    '',
    licenceNote,
    '',
    ...waves.map((w) => `Cite as: ${sourceNote(w.definition, w.wave)}.`),
    ...(descriptor.created ? ['', `Made ${descriptor.created}.`] : []),
    '',
  ].join('\n');
};
