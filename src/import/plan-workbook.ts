import ExcelJS from 'exceljs';
import { AppError, type Problem } from '../domain/errors.js';
import { maxReturnFileBytes } from '../domain/return-document.js';
import { planMonths, roundMonths, type PlanContent, type PlanFlow } from '../domain/planning.js';
import { cellContent, openWorkbook } from './returns/xlsx-return.js';

/**
 * A plan as the workbook an organisation downloads, fills in and uploads: sheet "Plan" holds the round,
 * the organisation and one row per item with its twelve months (April to March); sheet "Flows" holds the
 * services agreed with other organisations. Read back cell by cell: formulas, text in number cells, unknown
 * or repeated items and missing months are refused with the cell named.
 */

const planSheet = 'Plan';
const flowSheet = 'Flows';
const firstItemRow = 5;
const firstMonthColumn = 3;
const maxRows = 1000;
const flowHeader = [
  'Counterparty ODS code',
  'Service line',
  'Activity (units a year)',
  'Price per unit (£000)',
];

const monthLabel = (month: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}T00:00:00Z`),
  );

export async function writePlanWorkbook(
  plan: { round: string; yearStart: string; odsCode: string; name: string },
  items: ReadonlyArray<{ code: string; name: string }>,
  content: PlanContent | null,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'NHS Oversight';
  const sheet = workbook.addWorksheet(planSheet);
  sheet.getCell('A1').value = 'Planning round';
  sheet.getCell('B1').value = plan.round;
  sheet.getCell('A2').value = 'Organisation ODS code';
  sheet.getCell('B2').value = plan.odsCode;
  sheet.getCell('C2').value = plan.name;
  const header = sheet.getRow(firstItemRow - 1);
  header.getCell(1).value = 'Item code';
  header.getCell(2).value = 'Item name';
  roundMonths(plan.yearStart).forEach((month, i) => {
    header.getCell(firstMonthColumn + i).value = monthLabel(month);
  });
  header.font = { bold: true };
  items.forEach((item, index) => {
    const row = sheet.getRow(firstItemRow + index);
    row.getCell(1).value = item.code;
    row.getCell(2).value = item.name;
    const values = content?.values[item.code];
    for (let m = 0; m < planMonths; m += 1) row.getCell(firstMonthColumn + m).value = values?.[m] ?? null;
  });
  sheet.getColumn(1).width = 28;
  sheet.getColumn(2).width = 44;
  const flows = workbook.addWorksheet(flowSheet);
  flows.getRow(1).values = flowHeader;
  flows.getRow(1).font = { bold: true };
  (content?.flows ?? []).forEach((flow, index) => {
    flows.getRow(2 + index).values = [flow.counterparty, flow.serviceLine, flow.activity, flow.price];
  });
  flows.getColumn(2).width = 40;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const columnLetter = (column: number) => String.fromCharCode(64 + column);

/** Reads a filled-in plan workbook into plan content, every problem located by sheet and cell. */
export async function readPlanWorkbook(
  bytes: Buffer,
  expected: { round: string; odsCode: string; items: readonly string[] },
  file: string,
): Promise<PlanContent> {
  if (bytes.length > maxReturnFileBytes)
    throw new AppError('invalid-file', `${file} is larger than ${maxReturnFileBytes / 1024 / 1024} MiB.`, [
      { file, message: 'A plan workbook is one organisation: download the template and fill it in' },
    ]);
  const workbook = await openWorkbook(bytes, file);
  const problems: Problem[] = [];
  const at = (sheet: string, cell: string, message: string) =>
    problems.push({ file, column: `${sheet}!${cell}`, message });
  const sheet = workbook.getWorksheet(planSheet);
  if (!sheet)
    throw new AppError('invalid-file', `${file} has no "${planSheet}" sheet.`, [
      { file, message: 'Download the plan template for this round and organisation, and fill it in' },
    ]);
  const text = (cell: ExcelJS.Cell) => {
    const content = cellContent(cell);
    return content.kind === 'text'
      ? content.text.trim()
      : content.kind === 'number'
        ? String(content.value)
        : '';
  };
  if (text(sheet.getCell('B1')) !== expected.round)
    at(
      planSheet,
      'B1',
      `The workbook is for round "${text(sheet.getCell('B1'))}", not ${expected.round}: download this round's template`,
    );
  if (text(sheet.getCell('B2')).toUpperCase() !== expected.odsCode)
    at(
      planSheet,
      'B2',
      `The workbook is for ${text(sheet.getCell('B2')) || 'no organisation'}, not ${expected.odsCode}`,
    );
  const number = (sheetName: string, cell: ExcelJS.Cell, what: string): number | null => {
    const content = cellContent(cell);
    if (content.kind === 'blank') return null;
    if (content.kind === 'number') return content.value;
    if (content.kind === 'formula')
      at(sheetName, cell.address, `${what} holds a formula: type the number itself`);
    else if (content.kind === 'text' && /^-?\d+(\.\d+)?$/.test(content.text.trim()))
      return Number(content.text.trim());
    else at(sheetName, cell.address, `${what} is not a number: enter a number without commas or units`);
    return null;
  };
  // A plan has tens of items and flows: a sheet that claims a million rows is not one, and is not walked.
  for (const [name, count] of [
    [planSheet, sheet.rowCount],
    [flowSheet, workbook.getWorksheet(flowSheet)?.rowCount ?? 0],
  ] as const)
    if (count > maxRows)
      throw new AppError('invalid-file', `${file} has ${count} rows in its "${name}" sheet.`, [
        {
          file,
          column: name,
          message: `A plan workbook has at most ${maxRows} rows a sheet: download the template again`,
        },
      ]);
  const values: Record<string, Array<number | null>> = {};
  for (let r = firstItemRow; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const item = text(row.getCell(1));
    if (item === '') continue;
    if (!expected.items.includes(item)) {
      at(
        planSheet,
        `A${r}`,
        `"${item}" is not an item of this plan: it asks for ${expected.items.join(', ')}`,
      );
      continue;
    }
    if (values[item]) {
      at(planSheet, `A${r}`, `${item} is given twice: keep one row`);
      continue;
    }
    values[item] = Array.from({ length: planMonths }, (_, m) =>
      number(
        planSheet,
        row.getCell(firstMonthColumn + m),
        `${item} for month ${m + 1} (cell ${columnLetter(firstMonthColumn + m)}${r})`,
      ),
    );
  }
  const flows: PlanFlow[] = [];
  const flowsSheet = workbook.getWorksheet(flowSheet);
  if (flowsSheet)
    for (let r = 2; r <= flowsSheet.rowCount; r += 1) {
      const row = flowsSheet.getRow(r);
      const counterparty = text(row.getCell(1)).toUpperCase();
      const serviceLine = text(row.getCell(2));
      if (counterparty === '' && serviceLine === '') continue;
      const activity = number(flowSheet, row.getCell(3), `Activity in row ${r}`);
      const price = number(flowSheet, row.getCell(4), `Price in row ${r}`);
      if (counterparty === '') at(flowSheet, `A${r}`, 'Enter the ODS code of the other organisation');
      if (serviceLine === '') at(flowSheet, `B${r}`, 'Name the service line');
      if (activity === null || price === null) {
        if (activity === null && cellContent(row.getCell(3)).kind === 'blank')
          at(flowSheet, `C${r}`, 'Enter the activity');
        if (price === null && cellContent(row.getCell(4)).kind === 'blank')
          at(flowSheet, `D${r}`, 'Enter the price');
        continue;
      }
      flows.push({ counterparty, serviceLine, activity, price });
    }
  if (problems.length > 0)
    throw new AppError(
      'invalid-file',
      `${file} has ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: nothing was saved.`,
      problems,
    );
  return { values, flows };
}
