/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, which some
 * strip first) as a formula: an exported free-text answer could otherwise execute in an analyst's
 * Excel. Export prefixes such a cell with a single quote; import removes it again for free-text
 * items. Cells already starting with quotes before a trigger get one more quote, so the mapping is
 * exactly reversible and round trips are exact.
 */
const formulaLike = /^'*[=+\-@\t\r]/;
const guarded = /^'+[=+\-@\t\r]/;

export const neutralise = (cell: string): string => (formulaLike.test(cell) ? `'${cell}` : cell);

export const restore = (cell: string): string => (guarded.test(cell) ? cell.slice(1) : cell);
