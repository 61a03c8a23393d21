import { itemsOf, kindOf, partOf, sentence, type Item, type SurveyDefinition } from '../../survey-definitions/index.js';
import type { MicrodataReport } from '../disclosure/microdata.js';
import type { NumberCoding } from '../disclosure/top-coding.js';
import {
  codedCategories,
  codedSuffix,
  codingOf,
  missingCodes,
  missingValueLabels,
  waveColumn,
  waveUnion,
  type WaveRelease,
  type WaveUnion,
} from './wave-union.js';

/**
 * The codebook of a researcher download as a Frictionless Data Package descriptor
 * (https://specs.frictionlessdata.io, profile `tabular-data-package`): one resource, `part-two.csv`,
 * with a Table Schema that has one field per CSV column: `wave`, then the released items' columns in
 * the import format's layout over the union of the waves' versions (`wave-union.ts`).
 *
 * Written for both generations of the standard: the v1 properties (`profile`, `constraints.enum`,
 * a plain-text list of the codes in `description`, `missingValues` as strings) and the v2 `categories`
 * with labels, which v1 tools ignore. Each field also says which waves asked it and with which labels
 * (`waves`), and a coded number which codes each wave used (`coding`). Pure: the definitions and the
 * microdata reports in, a JSON-ready object out.
 */

export const partTwoFile = 'part-two.csv';
export const partTwoResource = 'part-two';

export type FieldValue = string | number;

export interface FieldCategory {
  readonly value: FieldValue;
  readonly label: string;
}

/** One wave that asked a field: the version that asked it, its label there and, for codes, their labels there. */
export interface FieldWave {
  readonly wave: string;
  readonly definition: string;
  readonly title: string;
  readonly categories?: readonly FieldCategory[];
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
  /** The waves whose version asked this column (the others hold `.n`), with its label and codes in each. */
  readonly waves?: readonly FieldWave[];
  /** A top- or bottom-coded number: each wave's codes (a cell equal to `top` means "top or more"). */
  readonly coding?: readonly { readonly wave: string; readonly top?: number; readonly bottom?: number }[];
  /** A companion column: the number column whose cells it says are exact or codes. */
  readonly codes?: string;
}

export interface TableSchema {
  readonly fields: readonly TableSchemaField[];
  /** Table Schema v1: the strings that mean "no value"; `missingValueLabels` says which is which. */
  readonly missingValues: readonly string[];
  readonly missingValueLabels: readonly { readonly value: string; readonly label: string }[];
}

export interface PackageWave {
  readonly id: string;
  readonly name: string;
  readonly fielded: string;
  readonly definition: { readonly id: string; readonly version: number; readonly title: string; readonly contentHash?: string };
  /** The microdata report: what the disclosure control did to this wave, with its numbers. */
  readonly disclosureControl: MicrodataReport;
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
  /** Every wave of the package, in the order of its rows. */
  readonly waves: readonly PackageWave[];
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
  readonly waves: readonly WaveRelease[];
  /** When the package was made (ISO 8601); left out when not given, so the function stays pure. */
  readonly created?: string;
}

export const licenceNote =
  'Not an open licence. Released by Social Work Scotland to approved researchers under a data sharing agreement, for the research it names: ' +
  'do not publish, share or link the rows, and do not try to identify a respondent or a council. Publish only aggregate results that follow the ' +
  'same disclosure control as the published tables (no count below k).';

export const sourceNote = (definition: SurveyDefinition, wave: WaveRelease['wave']) =>
  `Social Work Scotland, ${definition.title} (${definition.id}@${definition.version}), ${wave.name}, fielded ${wave.fielded}: part two (anonymous)`;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listed = (words: readonly string[]) => (words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** "Codes: yes = Yes; no = No." The labels in plain text, for tools that read only v1 properties. */
const codeList = (categories: readonly FieldCategory[]) =>
  `Codes: ${categories.map((c) => (String(c.value) === c.label ? c.label : `${c.value} = ${c.label}`)).join('; ')}.`;

/** What top- and bottom-coding and number suppression did to one numeric variable, in words. */
export const describeCoding = (coding: NumberCoding, k: number): string[] => {
  const out: string[] = [];
  if (coding.top)
    out.push(`Top-coded: values of ${coding.top.atLeast} or more are shown as ${coding.top.atLeast} (${plural(coding.top.recoded, 'answer')} recoded).`);
  if (coding.bottom)
    out.push(
      `Bottom-coded: values of ${coding.bottom.atMost} or less are shown as ${coding.bottom.atMost} (${plural(coding.bottom.recoded, 'answer')} recoded).`,
    );
  if (coding.suppressed > 0)
    out.push(`${plural(coding.suppressed, 'answer')} withheld (${missingCodes.suppressed}): a value held by fewer than ${k} respondents.`);
  return out;
};

/**
 * One column of one version of an item, before the waves are merged: what it is (`question`: the
 * question, its help, the row or option, the unit) and what the disclosure control did to it in this
 * wave (`notes`).
 */
interface FieldDraft {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number';
  readonly title: string;
  readonly question: readonly string[];
  readonly notes: readonly string[];
  readonly categories?: readonly FieldCategory[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly ordered?: boolean;
}

const quasiNote = (id: string, report: MicrodataReport): string[] => {
  if (!report.quasiIdentifiers.includes(id)) return [];
  const blanked = report.localSuppression.byItem[id] ?? 0;
  return [
    `Quasi-identifier: ${plural(blanked, 'answer')} withheld (${missingCodes.suppressed}) so that every combination of ${report.quasiIdentifiers.join(', ')} is shared by at least ${report.k} rows.`,
  ];
};

/**
 * The columns of one version of a released item, as drafts: what the item's kind says of them
 * (`codebookFields`) after the question, and what the disclosure control did to them in this wave.
 */
const draftsOf = (item: Item, report: MicrodataReport): FieldDraft[] => {
  const question = [sentence(item.label), ...(item.help ? [sentence(item.help)] : [])];
  const numberNotes = (name: string) => {
    const coding = report.numbers.find((n) => n.variable === name);
    return coding ? describeCoding(coding, report.k) : [];
  };
  return kindOf(item)
    .codebookFields(item)
    .map(({ about, disclosure, ...field }) => ({
      ...field,
      question: [...question, ...about],
      notes: disclosure === 'number' ? numberNotes(field.name) : disclosure === 'category' ? quasiNote(item.id, report) : [],
    }));
};

/** The released items of part two of one wave, in definition order (the report's order), checked against the definition. */
export const releasedItems = (definition: SurveyDefinition, report: MicrodataReport): Item[] => {
  const items = itemsOf(partOf(definition, 'anonymous'));
  return report.items.map((id) => {
    const item = items.find((i) => i.id === id);
    if (!item) throw new Error(`the microdata report releases ${id}, which is not an item of part two of ${definition.id}@${definition.version}`);
    return item;
  });
};

/** The CSV columns of one wave's release in the import format's order: the columns of the released items only. */
export const releasedColumns = (definition: SurveyDefinition, report: MicrodataReport): string[] =>
  releasedItems(definition, report).flatMap((item) => [...kindOf(item).columns(item)]);

const versionKey = (definition: SurveyDefinition) => `${definition.id}@${definition.version}`;

/** The union of the waves' categories, earliest version's order first, each code with its latest label. */
const mergedCategories = (drafts: readonly FieldDraft[]): FieldCategory[] | undefined => {
  if (!drafts.some((d) => d.categories)) return undefined;
  const labels = new Map<FieldValue, string>();
  for (const draft of drafts) for (const c of draft.categories ?? []) if (!labels.has(c.value)) labels.set(c.value, c.label);
  for (const draft of drafts) for (const c of draft.categories ?? []) labels.set(c.value, c.label);
  return [...labels].map(([value, label]) => ({ value, label }));
};

/** The field of one column over the waves that asked it (by version, earliest first). */
const mergedField = (name: string, union: WaveUnion, drafts: ReadonlyMap<string, FieldDraft>): TableSchemaField => {
  const present = union.byVersion.filter((w) => drafts.has(w.wave.id));
  const all = present.map((w) => drafts.get(w.wave.id)!);
  const latest = all.at(-1)!;
  const single = union.waves.length === 1;
  const asked = new Set(
    union.waves.filter((w) => itemsOf(partOf(w.definition, 'anonymous')).some((i) => kindOf(i).columns(i).includes(name))).map((w) => w.wave.id),
  );
  const notAsked = union.waves.filter((w) => !asked.has(w.wave.id)).map((w) => w.wave.id);
  const notReleased = union.waves.filter((w) => asked.has(w.wave.id) && !drafts.has(w.wave.id)).map((w) => w.wave.id);
  const notes = single
    ? latest.notes
    : [
        ...present.flatMap((w) => {
          const n = drafts.get(w.wave.id)!.notes;
          return n.length > 0 ? [`${w.wave.id}: ${n.join(' ')}`] : [];
        }),
        ...(notAsked.length > 0 ? [`Not asked in ${listed(notAsked)} (${missingCodes.notAsked}).`] : []),
        ...(notReleased.length > 0 ? [`Not released for ${listed(notReleased)} (${missingCodes.suppressed}).`] : []),
      ];
  const categories = mergedCategories(all);
  const minima = all.map((d) => d.minimum);
  const maxima = all.map((d) => d.maximum);
  const minimum = minima.every((m) => m !== undefined) ? Math.min(...(minima as number[])) : undefined;
  const maximum = maxima.every((m) => m !== undefined) ? Math.max(...(maxima as number[])) : undefined;
  const constraints = {
    ...(categories ? { enum: categories.map((c) => c.value) } : {}),
    ...(minimum !== undefined ? { minimum } : {}),
    ...(maximum !== undefined ? { maximum } : {}),
  };
  const coding = union.waves.flatMap((w) => {
    const c = codingOf(w.report, name);
    return c ? [{ wave: w.wave.id, ...(c.top ? { top: c.top.atLeast } : {}), ...(c.bottom ? { bottom: c.bottom.atMost } : {}) }] : [];
  });
  return {
    name,
    type: all.some((d) => d.type === 'number') ? 'number' : latest.type,
    title: latest.title,
    description: [
      ...latest.question,
      ...notes,
      ...(coding.length > 0 ? [`${name}${codedSuffix} says which cells are codes.`] : []),
      ...(categories ? [codeList(categories)] : []),
    ].join(' '),
    ...(Object.keys(constraints).length > 0 ? { constraints } : {}),
    ...(categories ? { categories } : {}),
    ...(latest.ordered ? { categoriesOrdered: true } : {}),
    waves: present.map((w) => {
      const d = drafts.get(w.wave.id)!;
      return { wave: w.wave.id, definition: versionKey(w.definition), title: d.title, ...(d.categories ? { categories: d.categories } : {}) };
    }),
    ...(coding.length > 0 ? { coding } : {}),
  };
};

const companionField = (field: TableSchemaField): TableSchemaField => {
  const codes = (field.coding ?? []).map((c) =>
    [
      `in ${c.wave}`,
      ...(c.top !== undefined ? [`${c.top} means ${c.top} or more`] : []),
      ...(c.bottom !== undefined ? [`${c.bottom} means ${c.bottom} or less`] : []),
    ].join(', '),
  );
  return {
    name: `${field.name}${codedSuffix}`,
    type: 'string',
    title: `${field.title}: exact or coded`,
    description: [
      `Whether the number in ${field.name} is the answer as given (exact) or a top or bottom code of its wave (${codes.join('; ')}).`,
      `A code is given to every cell holding that value, whether the answer was that value or beyond it, so that no value is held by fewer than k rows.`,
      `Missing when ${field.name} is, with the same code.`,
      codeList(codedCategories),
    ].join(' '),
    constraints: { enum: codedCategories.map((c) => c.value) },
    categories: codedCategories,
    ...(field.waves ? { waves: field.waves.map((w) => ({ wave: w.wave, definition: w.definition, title: `${w.title}: exact or coded` })) } : {}),
    codes: field.name,
  };
};

const waveField = (union: WaveUnion): TableSchemaField => {
  const categories = union.waves.map((w) => ({ value: w.wave.id, label: `${w.wave.name}, fielded ${w.wave.fielded}` }));
  return {
    name: waveColumn,
    type: 'string',
    title: 'Wave',
    description: [
      `The wave the response belongs to: each wave fielded one version of the questionnaire (${union.waves.map((w) => `${w.wave.id}: ${versionKey(w.definition)}`).join(', ')}).`,
      'The disclosure control was applied within each wave, with the wave counting as a quasi-identifier.',
      codeList(categories),
    ].join(' '),
    constraints: { enum: categories.map((c) => c.value) },
    categories,
    waves: union.waves.map((w) => ({ wave: w.wave.id, definition: versionKey(w.definition), title: 'Wave' })),
  };
};

/** The Table Schema of `part-two.csv`. */
export const partTwoTableSchema = (union: WaveUnion): TableSchema => {
  const draftsByColumn = new Map<string, Map<string, FieldDraft>>();
  for (const release of union.byVersion) {
    for (const item of releasedItems(release.definition, release.report)) {
      for (const draft of draftsOf(item, release.report)) {
        if (!draftsByColumn.has(draft.name)) draftsByColumn.set(draft.name, new Map());
        draftsByColumn.get(draft.name)!.set(release.wave.id, draft);
      }
    }
  }
  const fields: TableSchemaField[] = [];
  for (const column of union.columns) {
    if (column.name === waveColumn && column.item === waveColumn) fields.push(waveField(union));
    else if (column.codes) fields.push(companionField(fields.find((f) => f.name === column.codes)!));
    else fields.push(mergedField(column.name, union, draftsByColumn.get(column.name)!));
  }
  return { fields, missingValues: missingValueLabels.map((m) => m.value), missingValueLabels };
};

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
    lines.push(
      `Numbers: ${plural(report.numbers.length, 'variable')} top- or bottom-coded or partly withheld (${report.numbers.map((n) => n.variable).join(', ')}); each field's description says how.`,
    );
  }
  if (report.quasiIdentifiers.length === 0) lines.push('Quasi-identifiers: none.');
  else {
    const byItem = Object.entries(report.localSuppression.byItem).map(([id, n]) => `${id} ${n}`);
    lines.push(
      `Quasi-identifiers ${report.quasiIdentifiers.join(', ')}: ${plural(report.localSuppression.cells, 'answer')} withheld (${missingCodes.suppressed}, local suppression)` +
        (byItem.length > 0 ? `: ${byItem.join(', ')}.` : '.'),
    );
  }
  return lines;
};

/** The Frictionless Data Package descriptor (`datapackage.json`) of a researcher download of part two of one wave or several. */
export const researchDataPackage = ({ waves: releases, created }: CodebookInput): DataPackageDescriptor => {
  const union = waveUnion(releases);
  const schema = partTwoTableSchema(union);
  const { waves } = union;
  const first = waves[0]!;
  const single = waves.length === 1;
  const what = single
    ? `${first.definition.title}, ${first.wave.name}, ${first.wave.fielded}`
    : `${first.definition.title}, ${waves.length} waves (${listed(waves.map((w) => w.wave.id))})`;
  const rows = waves.reduce((sum, w) => sum + w.report.rows, 0);
  return {
    profile: 'tabular-data-package',
    name: `${first.definition.id}-${waves.map((w) => w.wave.id).join('-')}-part-two`.toLowerCase(),
    title: `${what}: part two (anonymous), researcher microdata`,
    description: [
      `Answers to part two (anonymous) of ${what}, after disclosure control, for approved researchers: ${plural(rows, 'row')}, one per response, with the wave first.`,
      'Part one (identifiable: the council and the officer) is never included, and nothing in this file links a row to it or to a row of another wave.',
      ...waves.map((w) => `${w.wave.id} (${versionKey(w.definition)}): ${disclosureStatements(w.report, { perVariable: false }).join(' ')}`),
      `Missing values: empty = not answered; ${missingCodes.notAsked} = not asked in that wave's version; ${missingCodes.suppressed} = withheld by the disclosure control.`,
    ].join(' '),
    ...(created ? { created } : {}),
    keywords: ['Chief Social Work Officer', 'social work', 'Scotland', 'survey', 'Social Work Scotland'],
    licenses: [{ name: 'other-closed', title: licenceNote }],
    sources: waves.map((w) => ({ title: sourceNote(w.definition, w.wave), path: 'https://socialworkscotland.org/' })),
    waves: waves.map((w) => ({
      id: w.wave.id,
      name: w.wave.name,
      fielded: w.wave.fielded,
      definition: { id: w.definition.id, version: w.definition.version, title: w.definition.title, ...(w.contentHash ? { contentHash: w.contentHash } : {}) },
      disclosureControl: w.report,
    })),
    resources: [
      {
        profile: 'tabular-data-resource',
        name: partTwoResource,
        path: partTwoFile,
        title: single ? `Part two answers, ${first.wave.name}` : `Part two answers, waves ${listed(waves.map((w) => w.wave.id))}`,
        description:
          'One row per response, the wave first, then one column per question in the import format: a multiple-choice question has one 0/1 column per option ' +
          `(question.option), a grid one column per row (question.row); a top- or bottom-coded number is followed by its ${codedSuffix} column. ` +
          `An empty cell means not answered, ${missingCodes.notAsked} not asked in that wave, ${missingCodes.suppressed} withheld by the disclosure control.`,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: { delimiter: ',', doubleQuote: true, quoteChar: '"', lineTerminator: '\r\n', header: true },
        schema,
      },
    ],
  };
};
