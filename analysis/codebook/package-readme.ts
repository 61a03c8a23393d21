import { disclosureStatements, licenceNote, partTwoFile, partTwoResource, sourceNote, type DataPackageDescriptor } from './data-package.js';
import type { SurveyDefinition, Wave } from '../../survey-definitions/index.js';

export interface ReadmeInput {
  readonly definition: SurveyDefinition;
  readonly wave: Pick<Wave, 'id' | 'name' | 'fielded'>;
  readonly descriptor: DataPackageDescriptor;
}

/** The README.md of a researcher download: what the data is, the disclosure control applied, and how to read it in R and Python. */
export const researchPackageReadme = ({ definition, wave, descriptor }: ReadmeInput): string => {
  const report = descriptor.disclosureControl;
  const fields = descriptor.resources[0].schema.fields;
  const bullet = (line: string) => `- ${line}`;
  return [
    `# ${descriptor.title}`,
    '',
    `Answers to part two (anonymous) of Social Work Scotland's ${definition.title}, wave ${wave.id}: ${wave.name}, fielded ${wave.fielded};`,
    `questionnaire ${definition.id} version ${definition.version}. Part one (the council and the officer) is never part of a researcher download:`,
    'nothing here identifies a respondent or links a row to part one.',
    '',
    '## Files',
    '',
    bullet(`\`${partTwoFile}\`: ${report.rows} rows and ${fields.length} columns; UTF-8, comma-separated, one header row, CRLF line ends.`),
    bullet('`datapackage.json`: the codebook, a Frictionless Data Package (Table Schema): for each column its type, the question and'),
    '  row or option it holds, the allowed codes with their labels (`constraints.enum`, `categories`, and in words in `description`), and',
    '  what the disclosure control did to it.',
    bullet('`README.md`: this file.'),
    '',
    '## How the columns work',
    '',
    bullet('One column per question; a single-choice question holds an option code (`yes`, `10_20`), a rating a whole number, a number a number.'),
    bullet('A multiple-choice question `q` has one column `q.<option>` per option: `1` chosen, `0` not chosen; all blank: not answered.'),
    bullet('A grid question `q` has one column `q.<row>` per row.'),
    bullet('An empty cell means "not answered", or an answer blanked by the disclosure control below. Nothing else means missing:'),
    '  read with the empty string as the only missing value (a code such as `none` is an answer, not a missing value).',
    '',
    '## Disclosure control',
    '',
    ...disclosureStatements(report).map(bullet),
    bullet('A top-coded value means "this value or more", a bottom-coded value "this value or less" (see the column descriptions).'),
    bullet('Rows carry no id and are in a fresh random order: they cannot be lined up with any other file.'),
    '',
    'The rows answer every question that a published table answers, so they can show counts that the published tables suppress.',
    `Any result you publish must suppress counts below ${report.k} (and within ${report.k} of their total) as the published tables do.`,
    '',
    '## Reading it in R',
    '',
    '```r',
    `part_two <- readr::read_csv("${partTwoFile}", na = "")`,
    '',
    '# or with the types, codes and labels of the codebook:',
    'package <- frictionless::read_package("datapackage.json")',
    `part_two <- frictionless::read_resource(package, "${partTwoResource}")`,
    '```',
    '',
    '## Reading it in Python',
    '',
    '```python',
    'import pandas',
    `part_two = pandas.read_csv("${partTwoFile}", keep_default_na=False, na_values=[""])`,
    '',
    '# or with the types, codes and labels of the codebook (pip install frictionless):',
    'from frictionless import Package',
    'package = Package("datapackage.json")',
    `rows = package.get_resource("${partTwoResource}").read_rows()`,
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
    `Cite as: ${sourceNote(definition, wave)}.`,
    ...(descriptor.created ? ['', `Made ${descriptor.created}.`] : []),
    '',
  ].join('\n');
};
