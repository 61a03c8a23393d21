import type { DataPackageDescriptor, TableSchemaField } from './data-package.js';
import { partTwoFile } from './data-package.js';

/**
 * The scripts a package carries to read `part-two.csv` with its codebook, as REDCap ships with its
 * exports: codes become their labels (R factors, ordered for ratings), numbers numbers, and every
 * missing-value code a missing value whose reason is kept beside it. Pure: text in, text out.
 *
 * The Python one (standard library only) reads `datapackage.json` itself, so it is the same for every
 * package. Base R has no JSON reader, so the R one is written for its package, with each field's type,
 * codes and labels spelled out in it.
 */

export const pythonReaderFile = 'read_cswo.py';
export const rReaderFile = 'read_cswo.R';

export const pythonReader = String.raw`"""Read part-two.csv of a CSWO survey data package with the types and labels of its codebook.

Python 3, standard library only. Put this file beside part-two.csv and datapackage.json, then:

    import read_cswo
    data = read_cswo.read()                 # or read_cswo.read("path/to/the/package")
    len(data.rows)                          # one dict per response, column name -> value
    data.rows[0]["wave"], data.rows[0]["induction"]
    data.missing[0].get("groups_involved")  # why a cell is None: "", ".n" or ".s"
    data.missing_labels[".s"]               # what that code means

Every cell is read with its field in datapackage.json:
- a missing value is None, and data.missing[i][column] holds its code: "" not answered, ".n" not asked
  in that wave's version of the questionnaire, ".s" withheld by the disclosure control;
- a field with codes gives the code's label (a str); a rating (ordered codes) gives a Level, an int
  (the rating, which sorts and averages) whose .label is the label;
- integer and number fields give int and float; text is as written (a cell that a spreadsheet would run
  as a formula starts with an added apostrophe).
read(folder, labels=False) keeps the codes instead of labels (typed: "yes", 3).

From a shell, python3 read_cswo.py [folder] prints how many rows each wave has and, per column, how many
cells hold a value and how many each missing-value code; --json prints the rows (with --codes: codes).
"""

import csv
import json
import os
import sys


class Level(int):
    """A point of an ordered scale: the code as an int, with its label."""

    def __new__(cls, code, label):
        level = int.__new__(cls, code)
        level.label = label
        return level

    def __repr__(self):
        return "Level(%d, %r)" % (int(self), self.label)

    def __str__(self):
        return self.label


class Data:
    def __init__(self, descriptor, fields, rows, missing):
        self.descriptor = descriptor
        self.fields = fields
        self.rows = rows
        self.missing = missing
        schema = descriptor["resources"][0]["schema"]
        self.missing_labels = {m["value"]: m["label"] for m in schema.get("missingValueLabels", [])}

    def column(self, name):
        """One column as a list, in row order."""
        return [row[name] for row in self.rows]


def _typed(field, text, where):
    kind = field.get("type", "string")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        raise ValueError("%s: expected %s, got %r" % (where, "a whole number" if kind == "integer" else "a number", text))
    return text


def read(folder=None, labels=True):
    """Reads part-two.csv of the package in folder (default: the folder of this script)."""
    if folder is None:
        folder = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(folder, "datapackage.json"), encoding="utf-8") as f:
        descriptor = json.load(f)
    resource = descriptor["resources"][0]
    schema = resource["schema"]
    fields = schema["fields"]
    missing_values = set(schema.get("missingValues", [""]))
    codes = [{c["value"]: c["label"] for c in f.get("categories", [])} for f in fields]
    path = os.path.join(folder, resource["path"])
    rows, missing = [], []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        names = [field["name"] for field in fields]
        if header != names:
            raise ValueError("%s: the header does not match the fields of datapackage.json" % resource["path"])
        for number, record in enumerate(reader, start=2):
            if len(record) != len(fields):
                raise ValueError("%s row %d: %d cells, expected %d" % (resource["path"], number, len(record), len(fields)))
            row, why = {}, {}
            for i, (field, text) in enumerate(zip(fields, record)):
                name = field["name"]
                if text in missing_values:
                    row[name] = None
                    why[name] = text
                    continue
                where = "%s row %d, column %s" % (resource["path"], number, name)
                value = _typed(field, text, where)
                if codes[i]:
                    if value not in codes[i]:
                        raise ValueError("%s: %r is not one of the codes %s" % (where, text, ", ".join(str(c) for c in codes[i])))
                    if labels:
                        value = Level(value, codes[i][value]) if field.get("categoriesOrdered") else codes[i][value]
                row[name] = value
            rows.append(row)
            missing.append(why)
    return Data(descriptor, fields, rows, missing)


def _main(args):
    as_json = "--json" in args
    labels = "--codes" not in args
    folders = [a for a in args if not a.startswith("--")]
    data = read(folders[0] if folders else None, labels=labels)
    if as_json:
        json.dump({"rows": data.rows, "missing": data.missing}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    waves = {}
    for row in data.rows:
        waves[row.get("wave")] = waves.get(row.get("wave"), 0) + 1
    print("%d rows: %s" % (len(data.rows), ", ".join("%s %d" % (w, n) for w, n in waves.items())))
    for field in data.fields:
        name = field["name"]
        present = sum(1 for row in data.rows if row[name] is not None)
        counts = {}
        for why in data.missing:
            if name in why:
                counts[why[name]] = counts.get(why[name], 0) + 1
        print("%s: %d values%s" % (name, present, "".join("; %r %d" % (code, n) for code, n in sorted(counts.items()))))


if __name__ == "__main__":
    _main(sys.argv[1:])
`;

/** An R string literal: ASCII only (escapes for the rest), so the script reads the same in any locale. */
const rString = (text: string): string => {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U{${code.toString(16)}}`;
  }
  return `${out}"`;
};

const rVector = (values: readonly (string | number)[]) => `c(${values.map((v) => rString(String(v))).join(', ')})`;

const rStatement = (field: TableSchemaField): string => {
  const name = rString(field.name);
  if (field.categories) {
    const ordered = field.categoriesOrdered ? ', ordered = TRUE' : '';
    const codes = field.type === 'string' ? '' : `, type = ${rString(field.type)}`;
    return `  out[[${name}]] <- as_codes(${name}, ${rVector(field.categories.map((c) => c.value))}, ${rVector(field.categories.map((c) => c.label))}${ordered}${codes})`;
  }
  if (field.type === 'integer' || field.type === 'number') return `  out[[${name}]] <- as_number(${name}, ${rString(field.type)})`;
  return `  out[[${name}]] <- as_text(${name})`;
};

/** The R reader of one package (base R only): the codebook's fields written out, one statement each. */
export const rReader = (descriptor: DataPackageDescriptor): string => {
  const [resource] = descriptor.resources;
  const { fields, missingValues, missingValueLabels } = resource.schema;
  return [
    `# Reads ${partTwoFile} of this CSWO survey data package (${descriptor.name}) with the types and labels of`,
    '# its codebook, datapackage.json. Base R only. With this file beside part-two.csv:',
    '#',
    '#   source("read_cswo.R", encoding = "UTF-8")',
    '#   part_two <- read_cswo()            # or read_cswo("path/to/the/package")',
    '#   table(part_two$wave, part_two$induction)',
    '#',
    "# Codes become factors with the codebook's labels (ratings: ordered factors); numbers numeric or",
    '# integer; every missing-value code NA, and attr(part_two, "missing") is a data frame of the same shape',
    '# giving the code of each missing cell:',
    ...missingValueLabels.map((m) => `#   ${JSON.stringify(m.value)}: ${m.label}`),
    '# read_cswo(labels = FALSE) keeps the codes (character, or integer for numeric codes).',
    '',
    'read_cswo <- function(folder = ".", labels = TRUE) {',
    `  path <- file.path(folder, ${rString(partTwoFile)})`,
    '  raw <- utils::read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE,',
    '                         strip.white = FALSE, encoding = "UTF-8", fileEncoding = "UTF-8")',
    `  missing_codes <- ${rVector(missingValues)}`,
    `  expected <- ${rVector(fields.map((f) => f.name))}`,
    '  if (!identical(names(raw), expected)) stop(path, ": the header does not match the codebook this script was written for")',
    '  missing <- as.data.frame(lapply(raw, function(x) ifelse(x %in% missing_codes, x, NA_character_)),',
    '                           check.names = FALSE, stringsAsFactors = FALSE)',
    '  cells <- function(name) {',
    '    x <- raw[[name]]',
    '    x[x %in% missing_codes] <- NA',
    '    x',
    '  }',
    '  as_text <- function(name) cells(name)',
    '  as_number <- function(name, type) {',
    '    x <- cells(name)',
    '    value <- suppressWarnings(if (type == "integer") as.integer(x) else as.numeric(x))',
    '    bad <- which(!is.na(x) & is.na(value))',
    '    if (length(bad) > 0) stop(path, " row ", bad[1] + 1, ", column ", name, ": expected a number, got \\"", x[bad[1]], "\\"")',
    '    value',
    '  }',
    '  as_codes <- function(name, codes, codeLabels, ordered = FALSE, type = "string") {',
    '    x <- cells(name)',
    '    bad <- which(!is.na(x) & !(x %in% codes))',
    '    if (length(bad) > 0) stop(path, " row ", bad[1] + 1, ", column ", name, ": \\"", x[bad[1]], "\\" is not one of its codes")',
    '    if (!labels) return(if (type == "string") x else as_number(name, type))',
    '    factor(x, levels = codes, labels = codeLabels, ordered = ordered)',
    '  }',
    '  out <- raw',
    ...fields.map(rStatement),
    '  attr(out, "missing") <- missing',
    '  out',
    '}',
    '',
  ].join('\n');
};
