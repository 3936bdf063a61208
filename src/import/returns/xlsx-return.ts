import ExcelJS from 'exceljs';
import { ProblemList, type Problem, type ProblemLocation } from '../../domain/errors.js';
import { maxReturnFileBytes, type ReturnDocument, type ReturnLayout } from '../../domain/return-document.js';
import {
  assembleReturn,
  checkExplanations,
  checkNotEmpty,
  fileRefused,
  formatSummary,
  type Located,
  type RawReturn,
  type RawValue,
} from './return-checks.js';
import { checkZipLimits } from './zip-limits.js';

/** The sheet of the generated workbook. */
export const returnSheetName = 'Return';
/** Defined names of the cells that say which return a workbook holds. */
export const returnCellNames = {
  template: 'return_template',
  odsCode: 'return_ods_code',
  periodStart: 'return_period_start',
} as const;

/**
 * An Excel defined name may hold letters, digits, underscores and points; any other character of an item
 * code is written as _x<hex>_. Names are compared without regard to case, as Excel compares them.
 */
function nameSafe(code: string): string {
  return code.replace(/[^A-Za-z0-9_.]/g, (char) => `_x${char.codePointAt(0)?.toString(16) ?? '0'}_`);
}
function nameUnsafe(name: string): string {
  return name.replace(/_x([0-9a-f]{1,6})_/g, (_whole, hex: string) =>
    String.fromCodePoint(parseInt(hex, 16)),
  );
}
/** The defined name of an item's value cell: `item_<code>`. */
export const itemValueName = (code: string) => `item_${nameSafe(code)}`;
/** The defined name of an item's (or a check's) explanation cell: `explanation_<code>`. */
export const itemExplanationName = (code: string) => `explanation_${nameSafe(code)}`;

const labels = {
  template: 'Template',
  odsCode: 'Organisation ODS code',
  periodStart: 'Period start',
  itemCode: 'Item code',
  itemName: 'Item name',
  value: 'Value',
  explanation: 'Explanation',
} as const;
const headerRow = 7;

const oleSignature = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function openWorkbook(bytes: Buffer, file: string): Promise<ExcelJS.Workbook> {
  if (bytes.subarray(0, 8).equals(oleSignature))
    throw fileRefused(file, 'is not an .xlsx workbook.', {
      message:
        'The file is an old-style Excel workbook (.xls) or is protected by a password: open it in Excel and save it as "Excel Workbook (.xlsx)" without a password.',
    });
  const zip = checkZipLimits(bytes, { maxEntries: 1000, maxUncompressedBytes: 12 * maxReturnFileBytes });
  if (!zip.ok)
    throw fileRefused(
      file,
      'is not an .xlsx workbook.',
      zip.reason === 'too-large'
        ? {
            message:
              'The workbook expands to far more data than a return holds: download the template and fill it in.',
          }
        : {
            message:
              'The file could not be opened as an Excel workbook (.xlsx): save it as "Excel Workbook (.xlsx)" and try again.',
          },
    );
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch {
    throw fileRefused(file, 'is not an .xlsx workbook.', {
      message:
        'The file could not be opened as an Excel workbook (.xlsx): save it as "Excel Workbook (.xlsx)" and try again.',
    });
  }
  return workbook;
}

export type CellContent =
  | { kind: 'blank' }
  | { kind: 'number'; value: number }
  | { kind: 'text'; text: string }
  | { kind: 'date'; date: Date }
  | { kind: 'formula' }
  | { kind: 'other'; what: string };

export function cellContent(cell: ExcelJS.Cell): CellContent {
  const value = cell.value;
  if (value === null || value === undefined) return { kind: 'blank' };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string')
    return value.trim() === '' ? { kind: 'blank' } : { kind: 'text', text: value };
  if (typeof value === 'boolean') return { kind: 'other', what: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { kind: 'date', date: value };
  if ('formula' in value || 'sharedFormula' in value) return { kind: 'formula' };
  if ('richText' in value) {
    const text = value.richText.map((run) => run.text).join('');
    return text.trim() === '' ? { kind: 'blank' } : { kind: 'text', text };
  }
  if ('hyperlink' in value) return { kind: 'text', text: value.text };
  if ('error' in value) return { kind: 'other', what: `the error ${value.error}` };
  return { kind: 'other', what: 'something other than a number or text' };
}

/** Where a cell is, as people name it: "C8", or "Sheet2!C8" when it is not on the Return sheet. */
function cellName(cell: ExcelJS.Cell): string {
  return cell.worksheet.name === returnSheetName ? cell.address : `${cell.worksheet.name}!${cell.address}`;
}

/** A text cell (template, ODS code, period start, explanation) or a problem; dates are read as YYYY-MM-DD. */
function textCell(cell: ExcelJS.Cell, file: string, problems: ProblemList): Located<string> | null {
  const location: ProblemLocation = { column: cellName(cell) };
  const content = cellContent(cell);
  switch (content.kind) {
    case 'blank':
      return { value: '', location };
    case 'text':
      return { value: content.text, location };
    case 'number':
      return { value: String(content.value), location };
    case 'date':
      return { value: content.date.toISOString().slice(0, 10), location };
    case 'formula':
      problems.add({
        file,
        ...location,
        message: `Cell ${cellName(cell)} holds a formula; type the text itself.`,
      });
      return null;
    case 'other':
      problems.add({
        file,
        ...location,
        message: `Cell ${cellName(cell)} holds ${content.what}; type the text itself.`,
      });
      return null;
  }
}

function valueCell(cell: ExcelJS.Cell): RawValue {
  const content = cellContent(cell);
  const where = cellName(cell);
  switch (content.kind) {
    case 'blank':
      return { kind: 'blank' };
    case 'number':
      return { kind: 'number', value: content.value };
    case 'text':
      return { kind: 'text', text: content.text };
    case 'formula':
      return { kind: 'refused', message: `Cell ${where} holds a formula; type the number itself.` };
    case 'date':
      return { kind: 'refused', message: `Cell ${where} holds a date; type the number itself.` };
    case 'other':
      return { kind: 'refused', message: `Cell ${where} holds ${content.what}; type the number itself.` };
  }
}

/** The one cell a defined name points at, or null when it points at a range, another workbook or nothing (#REF!). */
function namedCell(workbook: ExcelJS.Workbook, ranges: readonly string[]): ExcelJS.Cell | null {
  if (ranges.length !== 1) return null;
  const match = /^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$/.exec(ranges[0] ?? '');
  if (!match) return null;
  const sheet = workbook.getWorksheet((match[1] ?? '').replaceAll("''", "'") || (match[2] ?? ''));
  return sheet ? sheet.getCell(`${match[3]}${match[4]}`) : null;
}

function missingItemsProblem(missing: string[], layout: ReturnLayout, file: string, what: string): Problem {
  return {
    file,
    message: `The workbook has no ${what} for item(s) ${missing.join(', ')}: it was not made for the current items of template ${layout.code}. Download the template again and copy your figures into it.`,
  };
}

/** Reads the return through the workbook's defined names, wherever the named cells have been moved. */
function readByNames(
  workbook: ExcelJS.Workbook,
  names: Map<string, { name: string; ranges: string[] }>,
  layout: ReturnLayout,
  file: string,
  problems: ProblemList,
): RawReturn {
  const cellFor = (name: string): ExcelJS.Cell | null | undefined => {
    const defined = names.get(name.toLowerCase());
    if (!defined) return undefined;
    const cell = namedCell(workbook, defined.ranges);
    if (!cell)
      problems.add({
        file,
        field: defined.name,
        message: `The name ${defined.name} no longer points at one cell (was its row deleted?): download the template again and copy your figures into it.`,
      });
    return cell;
  };
  const headerField = (name: string): Located<string> | null => {
    const cell = cellFor(name);
    if (cell === undefined)
      problems.add({
        file,
        field: name,
        message: `The workbook has no cell named ${name}: it was not generated for a return. Download the template for ${layout.code} and fill it in.`,
      });
    return cell ? textCell(cell, file, problems) : null;
  };
  const raw: RawReturn = {
    template: headerField(returnCellNames.template),
    odsCode: headerField(returnCellNames.odsCode),
    periodStart: headerField(returnCellNames.periodStart),
    entries: [],
  };

  const expected = new Map(layout.items.map((item) => [itemValueName(item.code).toLowerCase(), item.code]));
  const missing: string[] = [];
  for (const item of layout.items) {
    const cell = cellFor(itemValueName(item.code));
    if (cell === undefined) missing.push(item.code);
    if (!cell) continue;
    const explanationCell = cellFor(itemExplanationName(item.code));
    const explanation = explanationCell ? textCell(explanationCell, file, problems) : null;
    raw.entries.push({
      item: item.code,
      itemLocation: { column: cellName(cell), field: itemValueName(item.code) },
      place: `cell ${cellName(cell)}`,
      value: valueCell(cell),
      valueLocation: { column: cellName(cell) },
      explanation: explanation && explanation.value !== '' ? explanation : null,
    });
  }
  if (missing.length > 0) problems.add(missingItemsProblem(missing, layout, file, 'cell named item_<code>'));
  const expectedExplanations = new Set(
    layout.items.map((item) => itemExplanationName(item.code).toLowerCase()),
  );
  for (const [key, defined] of names)
    if (key.startsWith('explanation_') && !expectedExplanations.has(key)) {
      const cell = namedCell(workbook, defined.ranges);
      const explanation = cell ? textCell(cell, file, problems) : null;
      if (!cell || !explanation || explanation.value.trim() === '') continue;
      raw.entries.push({
        item: nameUnsafe(defined.name.slice('explanation_'.length)),
        itemLocation: { column: cellName(cell), field: defined.name },
        place: `cell ${cellName(cell)}`,
        value: { kind: 'blank' },
        valueLocation: { column: cellName(cell) },
        explanation,
      });
    } else if (key.startsWith('item_') && !expected.has(key)) {
      const cell = namedCell(workbook, defined.ranges);
      problems.add({
        file,
        ...(cell ? { column: cellName(cell) } : {}),
        field: defined.name,
        message: `The workbook has a cell named ${defined.name}, but ${defined.name.slice(5)} is not an item of template ${layout.code}: it was made for another template or version. Download the template again and copy your figures into it.`,
      });
    }
  return raw;
}

/** Reads the return from the table of the sheet when the workbook has lost its defined names. */
function readByTable(
  workbook: ExcelJS.Workbook,
  layout: ReturnLayout,
  file: string,
  problems: ProblemList,
): RawReturn {
  const sheet = workbook.getWorksheet(returnSheetName) ?? workbook.worksheets[0];
  const raw: RawReturn = { template: null, odsCode: null, periodStart: null, entries: [] };
  if (!sheet) {
    problems.add({
      file,
      message: `The workbook has no sheets: download the template for ${layout.code} and fill it in.`,
    });
    return raw;
  }
  const lastRow = Math.min(sheet.rowCount, 20_000);
  let header: { row: number; columns: Record<string, number> } | null = null;
  const labelled = new Set<string>();
  for (let row = 1; row <= lastRow && !header; row += 1) {
    const label = sheet.getCell(row, 1).text.trim().toLowerCase();
    labelled.add(label);
    const value = () => textCell(sheet.getCell(row, 2), file, problems);
    if (label === labels.template.toLowerCase()) raw.template = value();
    else if (label === labels.odsCode.toLowerCase()) raw.odsCode = value();
    else if (label === labels.periodStart.toLowerCase()) raw.periodStart = value();
    else if (label === labels.itemCode.toLowerCase()) {
      const columns: Record<string, number> = {};
      sheet.getRow(row).eachCell((cell, column) => {
        columns[cell.text.trim().toLowerCase()] = column;
      });
      header = { row, columns };
    }
  }
  const valueColumn = header?.columns[labels.value.toLowerCase()];
  if (!header || valueColumn === undefined) {
    problems.add({
      file,
      message: `The workbook is not the template of a return: it has no table headed "${labels.itemCode}" and "${labels.value}". Download the template for ${layout.code} and fill it in.`,
    });
    return raw;
  }
  for (const label of [labels.template, labels.odsCode, labels.periodStart])
    if (!labelled.has(label.toLowerCase()))
      problems.add({
        file,
        message: `The workbook has no row labelled "${label}" above the table: download the template for ${layout.code} and fill it in.`,
      });
  const explanationColumn = header.columns[labels.explanation.toLowerCase()];
  for (let row = header.row + 1; row <= lastRow; row += 1) {
    const codeCell = sheet.getCell(row, 1);
    const value = sheet.getCell(row, valueColumn);
    const code = codeCell.text.trim();
    if (code === '' && cellContent(value).kind === 'blank') continue;
    const explanation =
      explanationColumn === undefined
        ? null
        : textCell(sheet.getCell(row, explanationColumn), file, problems);
    raw.entries.push({
      item: code,
      itemLocation: { column: cellName(codeCell) },
      place: `cell ${cellName(codeCell)}`,
      value: valueCell(value),
      valueLocation: { column: cellName(value) },
      explanation: explanation && explanation.value !== '' ? explanation : null,
    });
  }
  const given = new Set(raw.entries.map((entry) => entry.item));
  const missing = layout.items.map((item) => item.code).filter((code) => !given.has(code));
  if (missing.length > 0) problems.add(missingItemsProblem(missing, layout, file, 'row'));
  return raw;
}

/**
 * Reads a return workbook generated by `writeXlsxReturn`: by its defined names when it has them (so rows
 * may be moved), otherwise by the table on the Return sheet. Formula cells are refused.
 */
export async function readXlsxReturn(
  bytes: Buffer,
  layout: ReturnLayout,
  file: string,
): Promise<ReturnDocument> {
  if (bytes.length === 0) checkNotEmpty('', file);
  const workbook = await openWorkbook(bytes, file);
  const names = new Map(
    workbook.definedNames.model.map((defined) => [defined.name.toLowerCase(), defined] as const),
  );
  const byNames = [...names.keys()].some(
    (name) => name.startsWith('item_') || (Object.values(returnCellNames) as string[]).includes(name),
  );
  const problems = new ProblemList();
  const raw = byNames
    ? readByNames(workbook, names, layout, file, problems)
    : readByTable(workbook, layout, file, problems);
  const doc = assembleReturn(raw, layout, file, problems);
  problems.throwIfAny(formatSummary('xlsx', file));
  if (!doc) throw new Error('A return with no problems was not assembled');
  return doc;
}

/**
 * Writes the return workbook (the blank template when the document has no values): sheet "Return" with
 * the template, ODS code and period start, then a table of items (and of explained checks, by check code
 * with no value); every input cell has a defined name.
 * Text is written as text, never as a formula. The sheet is protected without a password so that codes
 * and names are not overwritten by accident; the input cells are unlocked.
 */
export async function writeXlsxReturn(doc: ReturnDocument, layout: ReturnLayout, now: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'NHS Oversight';
  workbook.created = now;
  workbook.title = `${layout.name} return`;
  const sheet = workbook.addWorksheet(returnSheetName, { views: [{ state: 'frozen', ySplit: headerRow }] });
  sheet.columns = [{ width: 34 }, { width: 48 }, { width: 16 }, { width: 60 }];
  const input = (cell: ExcelJS.Cell) => {
    cell.protection = { locked: false };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF7D6' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF768692' } } };
  };
  const text = (cell: ExcelJS.Cell, value: string) => {
    cell.value = value === '' ? null : value;
    cell.numFmt = '@';
  };

  sheet.getCell('A1').value = `${layout.name} (${layout.code})`;
  sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.getCell('A2').value =
    'Type a number in each Value cell (no formulas, no commas), or leave it blank if you have no figure. Upload this file as it is.';
  const heading = (row: number, label: string, name: string, value: string, editable: boolean) => {
    sheet.getCell(row, 1).value = label;
    sheet.getCell(row, 1).font = { bold: true };
    const cell = sheet.getCell(row, 2);
    text(cell, value);
    cell.name = name;
    if (editable) input(cell);
  };
  heading(3, labels.template, returnCellNames.template, layout.code, false);
  heading(4, labels.odsCode, returnCellNames.odsCode, doc.odsCode, true);
  heading(5, labels.periodStart, returnCellNames.periodStart, doc.periodStart, true);

  const header = sheet.getRow(headerRow);
  header.values = [labels.itemCode, labels.itemName, labels.value, labels.explanation];
  header.font = { bold: true };
  layout.items.forEach((item, index) => {
    const row = sheet.getRow(headerRow + 1 + index);
    text(row.getCell(1), item.code);
    text(row.getCell(2), item.name);
    const value = row.getCell(3);
    value.value = doc.values[item.code] ?? null;
    value.name = itemValueName(item.code);
    input(value);
    const explanation = row.getCell(4);
    text(explanation, doc.explanations[item.code] ?? '');
    explanation.name = itemExplanationName(item.code);
    explanation.alignment = { wrapText: true, vertical: 'top' };
    input(explanation);
  });
  checkExplanations(doc, layout).forEach(([check, explained], index) => {
    const row = sheet.getRow(headerRow + 1 + layout.items.length + index);
    text(row.getCell(1), check);
    text(row.getCell(2), 'Explanation of a check');
    const explanation = row.getCell(4);
    text(explanation, explained);
    explanation.name = itemExplanationName(check);
    explanation.alignment = { wrapText: true, vertical: 'top' };
    input(explanation);
  });
  await sheet.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    deleteRows: true,
    sort: true,
    autoFilter: true,
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
