import { itemsOf, kindOf, partOf, type Item, type SurveyDefinition, type Wave } from '../../survey-definitions/index.js';
import type { MicrodataReport } from '../disclosure/microdata.js';
import type { NumberCoding } from '../disclosure/top-coding.js';

/**
 * The codebook of a researcher download as a Frictionless Data Package descriptor
 * (https://specs.frictionlessdata.io, profile `tabular-data-package`): one resource, `part-two.csv`,
 * with a Table Schema that has one field per CSV column, in the order of the import format.
 *
 * Written for both generations of the standard: the v1 properties (`profile`, `constraints.enum`,
 * a plain-text list of the codes in `description`) and the v2 `categories` with labels, which v1
 * tools ignore. Pure: the definition and the microdata report in, a JSON-ready object out.
 */

export const partTwoFile = 'part-two.csv';
export const partTwoResource = 'part-two';

export type FieldValue = string | number;

export interface FieldCategory {
  readonly value: FieldValue;
  readonly label: string;
}

export interface TableSchemaField {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number';
  readonly title: string;
  readonly description: string;
  readonly constraints?: { readonly enum?: readonly FieldValue[]; readonly minimum?: number; readonly maximum?: number };
  /** Table Schema v2: the allowed values with their labels. */
  readonly categories?: readonly FieldCategory[];
  /** Table Schema v2: whether the categories are in a meaningful order (a rating scale). */
  readonly categoriesOrdered?: boolean;
}

export interface TableSchema {
  readonly fields: readonly TableSchemaField[];
  readonly missingValues: readonly string[];
}

export interface DataPackageDescriptor {
  readonly profile: 'tabular-data-package';
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly created?: string;
  readonly keywords: readonly string[];
  readonly licenses: readonly { readonly name: string; readonly title: string }[];
  readonly sources: readonly { readonly title: string; readonly path: string }[];
  readonly wave: { readonly id: string; readonly name: string; readonly fielded: string };
  readonly definition: { readonly id: string; readonly version: number; readonly title: string; readonly contentHash?: string };
  /** The microdata report: what the disclosure control did, with its numbers. */
  readonly disclosureControl: MicrodataReport;
  readonly resources: readonly [
    {
      readonly profile: 'tabular-data-resource';
      readonly name: typeof partTwoResource;
      readonly path: typeof partTwoFile;
      readonly title: string;
      readonly description: string;
      readonly format: 'csv';
      readonly mediatype: 'text/csv';
      readonly encoding: 'utf-8';
      readonly dialect: {
        readonly delimiter: ',';
        readonly doubleQuote: true;
        readonly quoteChar: '"';
        readonly lineTerminator: '\r\n';
        readonly header: true;
      };
      readonly schema: TableSchema;
    },
  ];
}

export interface CodebookInput {
  readonly definition: SurveyDefinition;
  readonly wave: Pick<Wave, 'id' | 'name' | 'fielded'>;
  readonly report: MicrodataReport;
  /** When the package was made (ISO 8601); left out when not given, so the function stays pure. */
  readonly created?: string;
  /** The definition's content hash (`published-versions.json`), when the caller has it. */
  readonly contentHash?: string;
}

export const licenceNote =
  'Not an open licence. Released by Social Work Scotland to approved researchers under a data sharing agreement, for the research it names: ' +
  'do not publish, share or link the rows, and do not try to identify a respondent or a council. Publish only aggregate results that follow the ' +
  'same disclosure control as the published tables (no count below k).';

export const sourceNote = (definition: SurveyDefinition, wave: CodebookInput['wave']) =>
  `Social Work Scotland, ${definition.title} (${definition.id}@${definition.version}), ${wave.name}, fielded ${wave.fielded}: part two (anonymous)`;

const sentence = (text: string) => (/[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Codes: yes = Yes; no = No." The labels in plain text, for tools that read only v1 properties. */
const codeList = (categories: readonly FieldCategory[]) => `Codes: ${categories.map((c) => (String(c.value) === c.label ? c.label : `${c.value} = ${c.label}`)).join('; ')}.`;

/** What top- and bottom-coding and number suppression did to one numeric variable, in words. */
export const describeCoding = (coding: NumberCoding, k: number): string[] => {
  const out: string[] = [];
  if (coding.top) out.push(`Top-coded: values of ${coding.top.atLeast} or more are shown as ${coding.top.atLeast} (${plural(coding.top.recoded, 'answer')} recoded).`);
  if (coding.bottom) out.push(`Bottom-coded: values of ${coding.bottom.atMost} or less are shown as ${coding.bottom.atMost} (${plural(coding.bottom.recoded, 'answer')} recoded).`);
  if (coding.suppressed > 0) out.push(`${plural(coding.suppressed, 'answer')} blanked: a value held by fewer than ${k} respondents.`);
  return out;
};

const ratingCategories = (scale: { min: number; max: number; minLabel: string; maxLabel: string }): FieldCategory[] =>
  Array.from({ length: scale.max - scale.min + 1 }, (_, i) => {
    const point = scale.min + i;
    return { value: point, label: point === scale.min ? scale.minLabel : point === scale.max ? scale.maxLabel : String(point) };
  });

interface FieldContext {
  readonly report: MicrodataReport;
  /** The question, its help and what it is about (`Row: Children's services`), as sentences. */
  readonly question: string;
}

const withCategories = (
  base: { name: string; title: string; description: string[] },
  type: 'string' | 'integer',
  categories: readonly FieldCategory[],
  extra: { minimum?: number; maximum?: number; ordered?: boolean } = {},
): TableSchemaField => ({
  name: base.name,
  type,
  title: base.title,
  description: [...base.description, codeList(categories)].join(' '),
  constraints: {
    enum: categories.map((c) => c.value),
    ...(extra.minimum !== undefined ? { minimum: extra.minimum } : {}),
    ...(extra.maximum !== undefined ? { maximum: extra.maximum } : {}),
  },
  categories,
  ...(extra.ordered ? { categoriesOrdered: true } : {}),
});

const numberField = (
  name: string,
  title: string,
  description: string[],
  bounds: { min?: number | undefined; max?: number | undefined; integer: boolean; unit?: string | undefined },
  { report }: FieldContext,
): TableSchemaField => {
  const coding = report.numbers.find((n) => n.variable === name);
  const constraints = {
    ...(bounds.min !== undefined ? { minimum: bounds.min } : {}),
    ...(bounds.max !== undefined ? { maximum: bounds.max } : {}),
  };
  return {
    name,
    type: bounds.integer ? 'integer' : 'number',
    title,
    description: [
      ...description,
      ...(bounds.unit ? [`Unit: ${bounds.unit}.`] : []),
      ...(coding ? describeCoding(coding, report.k) : []),
    ].join(' '),
    ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
  };
};

const quasiNote = (id: string, report: MicrodataReport): string[] => {
  if (!report.quasiIdentifiers.includes(id)) return [];
  const blanked = report.localSuppression.byItem[id] ?? 0;
  return [
    `Quasi-identifier: ${plural(blanked, 'answer')} blanked so that every combination of ${report.quasiIdentifiers.join(', ')} is shared by at least ${report.k} rows; a blank here may be a suppressed answer.`,
  ];
};

const textNote =
  'Free text as the respondent wrote it; it may name people or places. A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, unless it is a plain number) has an added leading apostrophe (\').';

/** The fields of one released item, one per CSV column of the import format. */
const fieldsOf = (item: Item, report: MicrodataReport): TableSchemaField[] => {
  const question = [sentence(item.label), ...(item.help ? [sentence(item.help)] : [])];
  const context: FieldContext = { report, question: question.join(' ') };
  const quasi = quasiNote(item.id, report);
  const columns = kindOf(item).columns(item);
  switch (item.kind) {
    case 'single': {
      const categories = item.options.map((o) => ({ value: o.code, label: o.label }));
      return [withCategories({ name: item.id, title: item.label, description: [...question, ...quasi] }, 'string', categories)];
    }
    case 'multi':
      return item.options.map((option, i) =>
        withCategories(
          {
            name: columns[i]!,
            title: option.label,
            description: [
              ...question,
              `Option: ${sentence(option.label)}`,
              `One column per option of ${item.id}: 1 = chosen, 0 = not chosen; every ${item.id}.* column blank = the question was not answered.`,
            ],
          },
          'integer',
          [
            { value: 0, label: 'Not chosen' },
            { value: 1, label: 'Chosen' },
          ],
        ),
      );
    case 'rating':
      return [
        withCategories(
          { name: item.id, title: item.label, description: [...question, `Rating from ${item.scale.min} (${item.scale.minLabel}) to ${item.scale.max} (${item.scale.maxLabel}).`] },
          'integer',
          ratingCategories(item.scale),
          { minimum: item.scale.min, maximum: item.scale.max, ordered: true },
        ),
      ];
    case 'number':
      return [numberField(item.id, item.label, question, item.bounds, context)];
    case 'text':
    case 'email':
      return [{ name: item.id, type: 'string', title: item.label, description: [...question, textNote].join(' ') }];
    case 'matrix-choice': {
      const categories = item.columns.map((c) => ({ value: c.code, label: c.label }));
      return item.rows.map((row, i) =>
        withCategories({ name: columns[i]!, title: row.label, description: [...question, `Row: ${sentence(row.label)}`] }, 'string', categories),
      );
    }
    case 'matrix-number':
      return item.rows.map((row, i) => numberField(columns[i]!, row.label, [...question, `Row: ${sentence(row.label)}`], item.bounds, context));
    case 'matrix-rating':
      return item.rows.map((row, i) =>
        withCategories(
          {
            name: columns[i]!,
            title: row.label,
            description: [...question, `Row: ${sentence(row.label)}`, `Rating from ${item.scale.min} (${item.scale.minLabel}) to ${item.scale.max} (${item.scale.maxLabel}).`],
          },
          'integer',
          ratingCategories(item.scale),
          { minimum: item.scale.min, maximum: item.scale.max, ordered: true },
        ),
      );
  }
};

/** The released items of part two, in definition order (the report's order), checked against the definition. */
export const releasedItems = (definition: SurveyDefinition, report: MicrodataReport): Item[] => {
  const items = itemsOf(partOf(definition, 'anonymous'));
  return report.items.map((id) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new Error(`the microdata report releases ${id}, which is not an item of part two of ${definition.id}@${definition.version}`);
    return item;
  });
};

/** The CSV columns of the release, in the import format's order: the columns of the released items only. */
export const releasedColumns = (definition: SurveyDefinition, report: MicrodataReport): string[] =>
  releasedItems(definition, report).flatMap((item) => [...kindOf(item).columns(item)]);

/** The Table Schema of `part-two.csv`. */
export const partTwoTableSchema = (definition: SurveyDefinition, report: MicrodataReport): TableSchema => ({
  fields: releasedItems(definition, report).flatMap((item) => fieldsOf(item, report)),
  missingValues: [''],
});

/** The disclosure control applied, one statement per line, with the report's numbers (shared with the README). */
export const disclosureStatements = (report: MicrodataReport, { perVariable = true }: { perVariable?: boolean } = {}): string[] => {
  const lines: string[] = [];
  if (report.withheld) lines.push(`No rows are released: ${report.withheld}.`);
  else lines.push(`${plural(report.rows, 'row')}, one per response to part two, in a random order and without ids.`);
  const byReason = (reason: 'free text' | 'identifying') => report.dropped.filter((d) => d.reason === reason).map((d) => d.item);
  if (byReason('free text').length > 0) lines.push(`Free-text questions left out: ${byReason('free text').join(', ')}.`);
  if (byReason('identifying').length > 0) lines.push(`Identifying questions left out: ${byReason('identifying').join(', ')}.`);
  if (report.withheld) return lines;
  lines.push(`k = ${report.k}: every number released and every combination of the quasi-identifiers is held by at least ${report.k} rows.`);
  if (report.numbers.length === 0) lines.push('Numbers: no value needed coding.');
  if (perVariable) for (const coding of report.numbers) lines.push(`${coding.variable}: ${describeCoding(coding, report.k).join(' ')}`);
  else if (report.numbers.length > 0) {
    lines.push(`Numbers: ${plural(report.numbers.length, 'variable')} top- or bottom-coded or partly blanked (${report.numbers.map((n) => n.variable).join(', ')}); each field's description says how.`);
  }
  if (report.quasiIdentifiers.length === 0) lines.push('Quasi-identifiers: none.');
  else {
    const byItem = Object.entries(report.localSuppression.byItem).map(([id, n]) => `${id} ${n}`);
    lines.push(
      `Quasi-identifiers ${report.quasiIdentifiers.join(', ')}: ${plural(report.localSuppression.cells, 'answer')} blanked (local suppression)` +
        (byItem.length > 0 ? `: ${byItem.join(', ')}.` : '.'),
    );
  }
  return lines;
};

/** The Frictionless Data Package descriptor (`datapackage.json`) of a researcher download of one wave's part two. */
export const researchDataPackage = ({ definition, wave, report, created, contentHash }: CodebookInput): DataPackageDescriptor => {
  const schema = partTwoTableSchema(definition, report);
  const what = `${definition.title}, ${wave.name}, ${wave.fielded}`;
  return {
    profile: 'tabular-data-package',
    name: `${definition.id}-${wave.id}-part-two`.toLowerCase(),
    title: `${what}: part two (anonymous), researcher microdata`,
    description: [
      `Answers to part two (anonymous) of ${what}, after disclosure control, for approved researchers.`,
      'Part one (identifiable: the council and the officer) is never included, and nothing in this file links a row to it.',
      ...disclosureStatements(report, { perVariable: false }),
      'A blank cell means not answered or blanked by the disclosure control.',
    ].join(' '),
    ...(created ? { created } : {}),
    keywords: ['Chief Social Work Officer', 'social work', 'Scotland', 'survey', 'Social Work Scotland'],
    licenses: [{ name: 'other-closed', title: licenceNote }],
    sources: [{ title: sourceNote(definition, wave), path: 'https://socialworkscotland.org/' }],
    wave: { id: wave.id, name: wave.name, fielded: wave.fielded },
    definition: { id: definition.id, version: definition.version, title: definition.title, ...(contentHash ? { contentHash } : {}) },
    disclosureControl: report,
    resources: [
      {
        profile: 'tabular-data-resource',
        name: partTwoResource,
        path: partTwoFile,
        title: `Part two answers, ${wave.name}`,
        description:
          'One row per response, one column per question in the import format: a multiple-choice question has one 0/1 column per option ' +
          '(question.option), a grid one column per row (question.row). A blank cell means not answered, or blanked by the disclosure control.',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: { delimiter: ',', doubleQuote: true, quoteChar: '"', lineTerminator: '\r\n', header: true },
        schema,
      },
    ],
  };
};
