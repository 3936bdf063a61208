import { Readable } from 'node:stream';
import { ProblemList, type Problem } from '../../domain/errors.js';
import { toCsv } from '../../domain/csv-export.js';
import type { ReturnDocument, ReturnLayout } from '../../domain/return-document.js';
import { readCsv, type CsvRow } from '../csv-file.js';
import {
  assembleReturn,
  checkExplanations,
  checkNotEmpty,
  decodeReturnText,
  fileRefused,
  formatSummary,
  unescapeFormulaText,
  type RawEntry,
  type RawReturn,
} from './return-checks.js';

/** The columns of a return CSV, in the order exports write them. */
export const returnCsvColumns = [
  'template',
  'ods_code',
  'period_start',
  'item',
  'item_name',
  'value',
  'explanation',
] as const;
const requiredColumns = ['template', 'ods_code', 'period_start', 'item', 'value'] as const;
/** The columns that name the return: every row must repeat the first row's. */
const returnColumns = ['template', 'ods_code', 'period_start'] as const;

function headerProblems(header: string[], file: string): Problem[] {
  const problems: Problem[] = [];
  const known = new Set<string>(returnCsvColumns);
  const seen = new Set<string>();
  const expected = returnCsvColumns.join(',');
  header.forEach((column, index) => {
    const label = column === '' ? `column ${index + 1}` : column;
    if (!known.has(column))
      problems.push({
        file,
        row: 1,
        column: label,
        message: `The header names "${column}", which is not a column of a return file: the header must be ${expected} (item_name and explanation may be left out).`,
      });
    else if (seen.has(column))
      problems.push({
        file,
        row: 1,
        column,
        message: `The header names ${column} twice: keep one column ${column}.`,
      });
    seen.add(column);
  });
  const missing = requiredColumns.filter((column) => !seen.has(column));
  if (missing.length > 0)
    problems.push({
      file,
      row: 1,
      message: `The header is missing column(s) ${missing.join(', ')}: the header must be ${expected} (item_name and explanation may be left out).`,
    });
  return problems;
}

/** Reads a return CSV: one row per item, every row naming the same template, ODS code and period start. */
export async function readCsvReturn(
  bytes: Buffer,
  layout: ReturnLayout,
  file: string,
): Promise<ReturnDocument> {
  const text = decodeReturnText(bytes, file);
  checkNotEmpty(text, file);
  const { header, rows } = await readCsv({ label: file, stream: Readable.from([Buffer.from(text, 'utf8')]) });
  const problems = new ProblemList();
  problems.add(...headerProblems(header, file));
  problems.throwIfAny(formatSummary('csv', file));
  const first = rows[0];
  if (!first)
    throw fileRefused(file, 'has no rows.', {
      row: 2,
      message: `The file has a header but no rows: add one row per item of template ${layout.code}.`,
    });

  for (const row of rows.slice(1)) problems.add(...consistencyProblems(row, first, file));
  const cell = (row: CsvRow, column: string) => row.cells[column] ?? '';
  const at = (row: CsvRow, column: string) => ({ row: row.line, column });
  const raw: RawReturn = {
    template: { value: cell(first, 'template'), location: at(first, 'template') },
    odsCode: { value: cell(first, 'ods_code'), location: at(first, 'ods_code') },
    periodStart: { value: cell(first, 'period_start'), location: at(first, 'period_start') },
    entries: rows.map((row): RawEntry => ({
      item: cell(row, 'item'),
      itemLocation: at(row, 'item'),
      place: `row ${row.line}`,
      value: cell(row, 'value') === '' ? { kind: 'blank' } : { kind: 'text', text: cell(row, 'value') },
      valueLocation: at(row, 'value'),
      explanation:
        cell(row, 'explanation') === ''
          ? null
          : { value: unescapeFormulaText(cell(row, 'explanation')), location: at(row, 'explanation') },
    })),
  };
  const doc = assembleReturn(raw, layout, file, problems);
  problems.throwIfAny(formatSummary('csv', file));
  if (!doc) throw new Error('A return with no problems was not assembled');
  return doc;
}

function consistencyProblems(row: CsvRow, first: CsvRow, file: string): Problem[] {
  return returnColumns.flatMap((column) => {
    const value = row.cells[column] ?? '';
    const expected = first.cells[column] ?? '';
    const same = column === 'ods_code' ? value.toUpperCase() === expected.toUpperCase() : value === expected;
    return same
      ? []
      : [
          {
            file,
            row: row.line,
            column,
            message: `Cell "${value}" differs from row ${first.line} ("${expected}"): a file holds one return, so every row gives the same ${column}.`,
          },
        ];
  });
}

/**
 * Writes a return CSV with every column and one row per item of the layout, then a row per explained check
 * (its code as the item, no value); formula-escaped, with a UTF-8 BOM for Excel.
 */
export function writeCsvReturn(doc: ReturnDocument, layout: ReturnLayout): Buffer {
  const rows = layout.items.map((item) => [
    layout.code,
    doc.odsCode,
    doc.periodStart,
    item.code,
    item.name,
    doc.values[item.code] ?? null,
    doc.explanations[item.code] ?? null,
  ]);
  for (const [check, text] of checkExplanations(doc, layout))
    rows.push([layout.code, doc.odsCode, doc.periodStart, check, '', null, text]);
  return Buffer.from(`\uFEFF${toCsv(returnCsvColumns, rows)}`, 'utf8');
}
