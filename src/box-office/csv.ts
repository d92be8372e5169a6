/** Makes spreadsheet software read the file as UTF-8, so Chinese titles open right. */
export const UTF8_BOM = '\uFEFF';

/** Cells a spreadsheet would run as a formula: such text is prefixed with `'` (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV with a BOM: a header row of the column names, then one line per row, CRLF endings.
 * Numbers are written as JavaScript prints them (`176.4`), so the file holds what the JSON holds.
 */
export function toCsv<T extends { [K in keyof T]: CsvValue }>(
  columns: readonly (keyof T & string)[],
  rows: readonly T[],
): string {
  const lines = [
    columns.map((column) => csvCell(column)).join(','),
    ...rows.map((row) => columns.map((column) => csvCell(row[column])).join(',')),
  ];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
