import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError, type Problem } from '../domain/errors.js';
import {
  maxReturnFileBytes,
  returnFormats,
  type ReturnDocument,
  type ReturnFormat,
  type ReturnLayout,
} from '../domain/return-document.js';
import { readReturn, writeReturn } from './return-formats.js';

/**
 * The bad-file corpus: every file here is refused, with each problem located (row and column, cell, or
 * field path) and saying what to do. The files are built here, not kept as fixtures.
 */

const layout: ReturnLayout = {
  code: 'ae-monthly',
  name: 'A&E monthly',
  periodType: 'month',
  items: [
    { code: 'ae_attendances_type1', name: 'Type 1 attendances' },
    { code: 'ae_attendances_type2', name: 'Type 2 attendances' },
    { code: 'ae_breaches_4h_type1', name: 'Type 1 over 4 hours' },
    { code: 'ae_dta_over_4h', name: 'Decision to admit over 4 hours' },
  ],
};
const quarterly: ReturnLayout = { ...layout, code: 'ae-quarterly', periodType: 'quarter' };

const good: ReturnDocument = {
  template: 'ae-monthly',
  odsCode: 'RJZ',
  periodStart: '2025-04-01',
  values: {
    ae_attendances_type1: 100,
    ae_attendances_type2: 20,
    ae_breaches_4h_type1: 5,
    ae_dta_over_4h: null,
  },
  explanations: {},
  locations: {},
};

async function refusal(
  format: ReturnFormat,
  bytes: Buffer,
  file: string,
  against = layout,
): Promise<AppError> {
  const outcome = await readReturn(format, bytes, against, file).then(
    (doc) => doc,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  const error = outcome as AppError;
  expect(error.code).toBe('invalid-file');
  expect(error.problems.length).toBeGreaterThan(0);
  for (const problem of error.problems) expect(problem.file).toBe(file);
  return error;
}

/** Expects a problem with exactly this location and a message matching the pattern. */
function expectProblem(error: AppError, location: Omit<Problem, 'message' | 'file'>, message: RegExp): void {
  const match = error.problems.find(
    (problem) =>
      problem.row === location.row &&
      problem.column === location.column &&
      problem.field === location.field &&
      message.test(problem.message),
  );
  expect(
    match,
    `no problem at ${JSON.stringify(location)} matching ${message}: ${JSON.stringify(error.problems, null, 2)}`,
  ).toBeDefined();
}

const csvHeader = 'template,ods_code,period_start,item,item_name,value,explanation';
function csvRow(
  item: string,
  value: string,
  over: { template?: string; ods?: string; period?: string } = {},
) {
  return `${over.template ?? 'ae-monthly'},${over.ods ?? 'RJZ'},${over.period ?? '2025-04-01'},${item},,${value},`;
}
function csv(...rows: string[]): Buffer {
  return Buffer.from(`${[csvHeader, ...rows].join('\r\n')}\r\n`, 'utf8');
}

describe('bad CSV returns', () => {
  it('refuses wrong headers, naming the column', async () => {
    const bytes = Buffer.from(
      'template,ods,period_start,item,amount\nae-monthly,RJZ,2025-04-01,ae_dta_over_4h,1\n',
    );
    const error = await refusal('csv', bytes, 'headers.csv');
    expectProblem(error, { row: 1, column: 'ods' }, /names "ods", which is not a column of a return file/);
    expectProblem(
      error,
      { row: 1, column: 'amount' },
      /must be template,ods_code,period_start,item,item_name,value,explanation/,
    );
    expectProblem(error, { row: 1 }, /missing column\(s\) ods_code, value/);
  });

  it('refuses another template, saying which it names and which was expected', async () => {
    const error = await refusal(
      'csv',
      csv(csvRow('ae_dta_over_4h', '1', { template: 'rtt-monthly' })),
      't.csv',
    );
    expectProblem(
      error,
      { row: 2, column: 'template' },
      /for template "rtt-monthly", but this is the ae-monthly return/,
    );
  });

  it('refuses an ODS code that is not one', async () => {
    const error = await refusal('csv', csv(csvRow('ae_dta_over_4h', '1', { ods: 'R-J Z' })), 'o.csv');
    expectProblem(
      error,
      { row: 2, column: 'ods_code' },
      /"R-J Z" is not an ODS code: use 2 to 10 letters and digits/,
    );
  });

  it('refuses a period start in the middle of a month, suggesting the start', async () => {
    const error = await refusal('csv', csv(csvRow('ae_dta_over_4h', '1', { period: '2025-04-15' })), 'p.csv');
    expectProblem(
      error,
      { row: 2, column: 'period_start' },
      /2025-04-15 is not the first day of a month.*Did you mean 2025-04-01\?/,
    );
  });

  it('refuses a period start of the wrong period type', async () => {
    const bytes = Buffer.from(`${csvHeader}\nae-quarterly,RJZ,2025-05-01,ae_dta_over_4h,,1,\n`, 'utf8');
    const error = await refusal('csv', bytes, 'q.csv', quarterly);
    expectProblem(
      error,
      { row: 2, column: 'period_start' },
      /not the first day of a quarter.*collected quarterly.*2025-04-01/,
    );
  });

  it('refuses a period start that is not a date', async () => {
    const error = await refusal('csv', csv(csvRow('ae_dta_over_4h', '1', { period: '01/04/2025' })), 'p.csv');
    expectProblem(
      error,
      { row: 2, column: 'period_start' },
      /"01\/04\/2025" is not a date written YYYY-MM-DD/,
    );
  });

  it('refuses values that are not numbers: text, commas, formulas, infinities', async () => {
    const error = await refusal(
      'csv',
      csv(
        csvRow('ae_attendances_type1', '12a'),
        csvRow('ae_attendances_type2', '"1,234"'),
        csvRow('ae_breaches_4h_type1', '=1+2'),
        csvRow('ae_dta_over_4h', '1e999'),
      ),
      'n.csv',
    );
    expectProblem(
      error,
      { row: 2, column: 'value' },
      /The value of ae_attendances_type1, "12a", is not a number: type digits only/,
    );
    expectProblem(error, { row: 3, column: 'value' }, /"1,234", has a comma: remove thousands separators/);
    expectProblem(
      error,
      { row: 4, column: 'value' },
      /"=1\+2", is a formula, not a number: type the number itself/,
    );
    expectProblem(error, { row: 5, column: 'value' }, /"1e999", is too large/);
    expect(error.problems).toHaveLength(4);
  });

  it('refuses an item given twice, naming both rows', async () => {
    const error = await refusal(
      'csv',
      csv(csvRow('ae_dta_over_4h', '1'), csvRow('ae_attendances_type1', '2'), csvRow('ae_dta_over_4h', '3')),
      'd.csv',
    );
    expectProblem(
      error,
      { row: 4, column: 'item' },
      /Item ae_dta_over_4h is given twice, at row 2 and at row 4: keep one/,
    );
  });

  it('refuses an item the template does not have, naming it', async () => {
    const error = await refusal('csv', csv(csvRow('ae_attendences_type1', '1')), 'u.csv');
    expectProblem(
      error,
      { row: 2, column: 'item' },
      /"ae_attendences_type1" is not an item of template ae-monthly/,
    );
  });

  it('takes a mistyped item with a blank value and an explanation for a mistake, not for a check', async () => {
    const bytes = Buffer.from(
      `${csvHeader}\nae-monthly,RJZ,2025-04-01,ae_attendences_type1,,,Why\nae-monthly,RJZ,2025-04-01,breaches-check,,7,Why\n`,
    );
    const error = await refusal('csv', bytes, 'typo.csv');
    expectProblem(
      error,
      { row: 2, column: 'item' },
      /"ae_attendences_type1" is not an item of template ae-monthly/,
    );
    expectProblem(
      error,
      { row: 3, column: 'item' },
      /"breaches-check" is not an item.*To explain a check instead, leave the value blank/,
    );
  });

  it('refuses rows that name different returns', async () => {
    const error = await refusal(
      'csv',
      csv(csvRow('ae_dta_over_4h', '1'), csvRow('ae_attendances_type1', '2', { ods: 'RXX' })),
      'mixed.csv',
    );
    expectProblem(
      error,
      { row: 3, column: 'ods_code' },
      /Cell "RXX" differs from row 2 \("RJZ"\): a file holds one return/,
    );
  });

  it('reports every problem of a file at once', async () => {
    const error = await refusal(
      'csv',
      csv(
        csvRow('ae_dta_over_4h', 'x', { template: 'other', ods: '!', period: '2025-04-02' }),
        csvRow('nope', '1', { template: 'other', ods: '!', period: '2025-04-02' }),
      ),
      'many.csv',
    );
    expect(error.problems.map((problem) => `${problem.row}:${problem.column}`).sort()).toEqual([
      '2:ods_code',
      '2:period_start',
      '2:template',
      '2:value',
      '3:item',
    ]);
    expect(error.message).toMatch(/5 problem\(s\) found; nothing was stored/);
  });

  it('refuses a header with no rows, and an empty file', async () => {
    expectProblem(
      await refusal('csv', Buffer.from(`${csvHeader}\n`), 'h.csv'),
      { row: 2 },
      /header but no rows: add one row per item/,
    );
    expectProblem(await refusal('csv', Buffer.alloc(0), 'e.csv'), {}, /The file is empty/);
    expectProblem(await refusal('csv', Buffer.from(' \r\n\r\n'), 'e.csv'), {}, /The file is empty/);
  });

  it('refuses a file that is not UTF-8: Latin-1 £ and é, or UTF-16', async () => {
    const text = `${csvHeader}\nae-monthly,RJZ,2025-04-01,ae_dta_over_4h,Café £,1,\n`;
    const latin1 = await refusal('csv', Buffer.from(text, 'latin1'), 'windows.csv');
    expect(latin1.problems).toEqual([
      { file: 'windows.csv', message: 'The file is not UTF-8: save it as CSV UTF-8 and try again.' },
    ]);
    const utf16 = await refusal(
      'csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      'u16.csv',
    );
    expectProblem(utf16, {}, /The file is not UTF-8: save it as CSV UTF-8 and try again/);
    const read = await readReturn('csv', Buffer.from(text, 'utf8'), layout, 'ok.csv');
    expect(read.values).toEqual({ ae_dta_over_4h: 1 });
  });

  it('refuses a malformed CSV with a located message', async () => {
    const error = await refusal(
      'csv',
      Buffer.from(`${csvHeader}\nae-monthly,RJZ,"2025-04-01,x\n`),
      'quote.csv',
    );
    expect(error.problems[0]?.message).toMatch(/quoted cell is not closed/);
  });
});

describe('every format refuses files too large or empty', () => {
  it.each(returnFormats)('%s: a file over 5 MiB is refused before it is read', async (format) => {
    const error = await refusal(format, Buffer.alloc(maxReturnFileBytes + 1, 0x20), 'huge');
    expectProblem(error, {}, /The file is 5\.1 MB; a return file may be at most 5 MB/);
  });

  it.each(returnFormats)('%s: an empty file is refused', async (format) => {
    expectProblem(await refusal(format, Buffer.alloc(0), 'empty'), {}, /The file is empty/);
  });
});

async function workbookBytes(edit: (sheet: ExcelJS.Worksheet) => void, against = layout): Promise<Buffer> {
  const bytes = await writeReturn('xlsx', { ...good, template: against.code }, against);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheet = workbook.getWorksheet('Return');
  if (!sheet) throw new Error('The generated workbook has no Return sheet');
  edit(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A ZIP of one deflated entry, as small as a return but expanding to `size` bytes. */
function zipBomb(size: number): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const data = deflateRawSync(Buffer.alloc(size, 0x41));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1000, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1000, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describe('bad XLSX returns', () => {
  it('refuses a formula cell: "cell C8 holds a formula; type the number itself"', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('C8').value = { formula: '60+40', result: 100 };
    });
    const error = await refusal('xlsx', bytes, 'formula.xlsx');
    expectProblem(error, { column: 'C8' }, /^Cell C8 holds a formula; type the number itself\.$/);
  });

  it('refuses a formula in the header cells and an explanation', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('B4').value = { formula: 'LOWER("RJZ")', result: 'rjz' };
      sheet.getCell('D9').value = { formula: '"see "&A1', result: 'see x' };
    });
    const error = await refusal('xlsx', bytes, 'f.xlsx');
    expectProblem(error, { column: 'B4' }, /Cell B4 holds a formula; type the text itself/);
    expectProblem(error, { column: 'D9' }, /Cell D9 holds a formula; type the text itself/);
  });

  it('refuses another template, naming the cell', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('B3').value = 'rtt-monthly';
    });
    const error = await refusal('xlsx', bytes, 'rtt.xlsx');
    expectProblem(error, { column: 'B3' }, /for template "rtt-monthly", but this is the ae-monthly return/);
  });

  it('refuses a workbook not generated for this template, naming the items it lacks', async () => {
    const older: ReturnLayout = { ...layout, items: layout.items.slice(0, 2) };
    const bytes = await writeReturn('xlsx', { ...good, values: {} }, older);
    const error = await refusal('xlsx', bytes, 'old.xlsx');
    expectProblem(
      error,
      {},
      /no cell named item_<code> for item\(s\) ae_breaches_4h_type1, ae_dta_over_4h: it was not made for the current items of template ae-monthly\. Download the template again/,
    );
    const newer: ReturnLayout = { ...layout, items: [...layout.items, { code: 'ae_extra', name: 'Extra' }] };
    const extra = await refusal(
      'xlsx',
      await writeReturn('xlsx', { ...good, values: {} }, newer),
      'new.xlsx',
    );
    expectProblem(
      extra,
      { column: 'C12', field: 'item_ae_extra' },
      /ae_extra is not an item of template ae-monthly/,
    );
  });

  it('refuses a wrong ODS code, a mid-month period, text and dates in value cells', async () => {
    const bytes = await workbookBytes((sheet) => {
      sheet.getCell('B4').value = 'R J Z';
      sheet.getCell('B5').value = '2025-04-15';
      sheet.getCell('C9').value = '12a';
      // As Excel stores a date typed into a cell: a serial number with a date format.
      sheet.getCell('C10').value = new Date(Date.UTC(2025, 3, 1));
      sheet.getCell('C10').numFmt = 'dd/mm/yyyy';
    });
    const error = await refusal('xlsx', bytes, 'cells.xlsx');
    expectProblem(error, { column: 'B4' }, /"R J Z" is not an ODS code/);
    expectProblem(error, { column: 'B5' }, /2025-04-15 is not the first day of a month/);
    expectProblem(error, { column: 'C9' }, /The value of ae_attendances_type2, "12a", is not a number/);
    expectProblem(error, { column: 'C10' }, /Cell C10 holds a date; type the number itself/);
  });

  it('refuses an item given twice in a workbook read by its table, naming both cells', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook
      .addWorksheet('Return')
      .addRows([
        ['Template', 'ae-monthly'],
        ['Organisation ODS code', 'RJZ'],
        ['Period start', '2025-04-01'],
        ['Item code', 'Item name', 'Value', 'Explanation'],
        ...layout.items.map((item) => [item.code, item.name, 1]),
        ['ae_attendances_type1', 'Again', 2],
        ['ae_unknown', 'Unknown', 3],
      ]);
    const error = await refusal('xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'table.xlsx');
    expectProblem(
      error,
      { column: 'A9' },
      /Item ae_attendances_type1 is given twice, at cell A5 and at cell A9/,
    );
    expectProblem(error, { column: 'A10' }, /"ae_unknown" is not an item of template ae-monthly/);
  });

  it('refuses a workbook that is not the template at all', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRows([
      ['Trust', 'Attendances'],
      ['RJZ', 100],
    ]);
    const error = await refusal('xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'own.xlsx');
    expectProblem(error, {}, /not the template of a return: it has no table headed "Item code" and "Value"/);
  });

  it('refuses files that are not workbooks: CSV bytes, .xls, a truncated ZIP, a ZIP bomb', async () => {
    const text = await refusal('xlsx', csv(csvRow('ae_dta_over_4h', '1')), 'renamed.xlsx');
    expectProblem(text, {}, /could not be opened as an Excel workbook \(\.xlsx\)/);
    const xls = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);
    expectProblem(await refusal('xlsx', xls, 'old.xls'), {}, /old-style Excel workbook \(\.xls\)/);
    const whole = await writeReturn('xlsx', good, layout);
    expectProblem(
      await refusal('xlsx', whole.subarray(0, whole.length - 40), 'cut.xlsx'),
      {},
      /could not be opened/,
    );
    expectProblem(
      await refusal('xlsx', zipBomb(64 * 1024 * 1024), 'bomb.xlsx'),
      {},
      /expands to far more data/,
    );
  });
});

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, 2), 'utf8');
}
const goodJson = {
  template: 'ae-monthly',
  odsCode: 'RJZ',
  periodStart: '2025-04-01',
  values: { ae_attendances_type1: 100, ae_dta_over_4h: null },
};

describe('bad JSON returns', () => {
  it('refuses malformed JSON at the line where it goes wrong', async () => {
    const error = await refusal(
      'json',
      Buffer.from('{\n  "template": "ae-monthly",\n  "odsCode" "RJZ"\n}'),
      'm.json',
    );
    expectProblem(
      error,
      { row: 3, column: 'character 13' },
      /The file is not valid JSON .*check for a missing comma/,
    );
  });

  it('refuses a number in quotes, an unknown item, a missing field and an unknown field', async () => {
    const { periodStart: _periodStart, ...rest } = goodJson;
    const error = await refusal(
      'json',
      json({
        ...rest,
        value: 1,
        values: { ae_attendances_type1: '12', ae_unknown: 1, ae_dta_over_4h: true },
      }),
      'j.json',
    );
    expectProblem(
      error,
      { field: 'periodStart' },
      /Field periodStart is missing: add it, such as "2025-04-01"/,
    );
    expectProblem(
      error,
      { field: 'value' },
      /Field\(s\) value are not fields of a return: the fields are template, odsCode/,
    );
    const values = await refusal(
      'json',
      json({ ...goodJson, values: { ae_attendances_type1: '12', ae_unknown: 1, ae_dta_over_4h: true } }),
      'v.json',
    );
    expectProblem(
      values,
      { field: 'values.ae_attendances_type1' },
      /Field values.ae_attendances_type1 is text \("12"\): write the number without quotes/,
    );
    expectProblem(
      values,
      { field: 'values.ae_unknown' },
      /"ae_unknown" is not an item of template ae-monthly/,
    );
    expectProblem(values, { field: 'values.ae_dta_over_4h' }, /must be a number, such as 1234, or null/);
  });

  it('refuses an item given twice (JSON.parse would keep the last silently)', async () => {
    const text =
      '{\n"template": "ae-monthly",\n"odsCode": "RJZ",\n"periodStart": "2025-04-01",\n"values": {\n"ae_dta_over_4h": 1,\n"ae_dta_over_4h": 2\n}\n}';
    const error = await refusal('json', Buffer.from(text), 'dup.json');
    expectProblem(
      error,
      { row: 7, field: 'values.ae_dta_over_4h' },
      /given twice, on lines 6 and 7: keep one/,
    );
  });

  it('refuses wrong template, ODS code, period and non-finite numbers', async () => {
    const error = await refusal(
      'json',
      Buffer.from(
        '{"template": "rtt-monthly", "odsCode": "r", "periodStart": "2025-04-15", "values": {"ae_dta_over_4h": 1e999}}',
      ),
      'w.json',
    );
    expectProblem(
      error,
      { field: 'template' },
      /for template "rtt-monthly", but this is the ae-monthly return/,
    );
    expectProblem(error, { field: 'odsCode' }, /"r" is not an ODS code/);
    expectProblem(error, { field: 'periodStart' }, /not the first day of a month/);
    expectProblem(error, { field: 'values.ae_dta_over_4h' }, /is not a finite number/);
  });

  it('refuses an explanation that names neither an item nor a check', async () => {
    const error = await refusal('json', json({ ...goodJson, explanations: { Ae_Typo: 'Why' } }), 'x.json');
    expectProblem(
      error,
      { field: 'explanations.Ae_Typo' },
      /names neither an item of template ae-monthly nor a check/,
    );
  });

  it('refuses an array or text instead of an object, and Latin-1 bytes', async () => {
    expectProblem(await refusal('json', Buffer.from('[1, 2]'), 'a.json'), {}, /must hold one JSON object/);
    const latin1 = Buffer.from('{"template": "ae-monthly", "explanations": {"x": "café"}}', 'latin1');
    expectProblem(await refusal('json', latin1, 'l.json'), {}, /not UTF-8/);
  });
});

async function measureReport(
  edit: (report: Record<string, unknown> & { group: Array<Record<string, unknown>> }) => void,
) {
  const report = JSON.parse((await writeReturn('fhir', good, layout)).toString('utf8')) as Record<
    string,
    unknown
  > & {
    group: Array<Record<string, unknown>>;
  };
  edit(report);
  return json(report);
}

describe('bad FHIR returns', () => {
  it('refuses a measureScore that is not a number, at its path', async () => {
    const bytes = await measureReport((report) => {
      report.group[3] = { ...report.group[3], measureScore: { value: '12' } };
    });
    const error = await refusal('fhir', bytes, 'mr.json');
    expectProblem(
      error,
      { field: 'group[3].measureScore.value' },
      /must be a number, such as 1234 \(no quotes\)/,
    );
  });

  it('refuses another resource, an unfinished report and the wrong type', async () => {
    const bytes = await measureReport((report) => {
      report.resourceType = 'Observation';
      report.status = 'pending';
      report.type = 'summary';
    });
    const error = await refusal('fhir', bytes, 'r.json');
    expectProblem(error, { field: 'resourceType' }, /is "Observation": a return must be a MeasureReport/);
    expectProblem(error, { field: 'status' }, /is "pending": send a return when it is complete/);
    expectProblem(error, { field: 'type' }, /"data-collection"/);
  });

  it('refuses another template, a reporter not named by ODS code and a wrong period end', async () => {
    const bytes = await measureReport((report) => {
      report.measure = 'https://nhs-oversight.example/fhir/Measure/rtt-monthly';
      report.reporter = { identifier: { system: 'https://example.org/trusts', value: 'RJZ' } };
    });
    const error = await refusal('fhir', bytes, 'r.json');
    expectProblem(
      error,
      { field: 'reporter.identifier.system' },
      /must be "https:\/\/fhir.nhs.uk\/Id\/ods-organization-code"/,
    );
    const template = await refusal(
      'fhir',
      await measureReport((report) => {
        report.measure = 'https://nhs-oversight.example/fhir/Measure/rtt-monthly';
        report.period = { start: '2025-04-01', end: '2025-05-01' };
      }),
      't.json',
    );
    expectProblem(
      template,
      { field: 'measure' },
      /for template "rtt-monthly", but this is the ae-monthly return/,
    );
    expectProblem(template, { field: 'period.end' }, /ends on 2025-04-30: write "end": "2025-04-30"/);
    const elsewhere = await refusal(
      'fhir',
      await measureReport((report) => {
        report.measure = 'http://example.org/Measure/ae';
      }),
      'e.json',
    );
    expectProblem(
      elsewhere,
      { field: 'measure' },
      /not one of our Measures: write https:\/\/nhs-oversight.example\/fhir\/Measure\//,
    );
  });

  it('refuses an item given twice and an unknown item, at the groups', async () => {
    const bytes = await measureReport((report) => {
      const first = report.group[1];
      if (first) report.group.push(structuredClone(first));
      report.group.push({
        code: {
          coding: [{ system: 'https://nhs-oversight.example/fhir/CodeSystem/data-item', code: 'ae_x' }],
        },
      });
      report.group.push({ code: { coding: [{ system: 'http://snomed.info/sct', code: '1234' }] } });
    });
    const error = await refusal('fhir', bytes, 'g.json');
    expectProblem(
      error,
      { field: 'group[4].code.coding[0].code' },
      /Item ae_attendances_type2 is given twice, at group\[1\] and at group\[4\]/,
    );
    expectProblem(
      error,
      { field: 'group[5].code.coding[0].code' },
      /"ae_x" is not an item of template ae-monthly/,
    );
    expectProblem(
      error,
      { field: 'group[6].code.coding' },
      /has no coding with system "https:\/\/nhs-oversight.example\/fhir\/CodeSystem\/data-item"/,
    );
  });

  it('refuses a mid-month period start and modifier extensions', async () => {
    const bytes = await measureReport((report) => {
      report.period = { start: '2025-04-15', end: '2025-05-14' };
      report.modifierExtension = [{ url: 'http://example.org/x', valueBoolean: true }];
    });
    const error = await refusal('fhir', bytes, 'p.json');
    expectProblem(error, { field: 'modifierExtension' }, /cannot carry modifier extensions/);
    const period = await refusal(
      'fhir',
      await measureReport((report) => {
        report.period = { start: '2025-04-15', end: '2025-05-14' };
      }),
      'p.json',
    );
    expectProblem(period, { field: 'period.start' }, /2025-04-15 is not the first day of a month/);
  });
});

const adxHead = '<?xml version="1.0" encoding="UTF-8"?>\n';
function adx(body: string, group = 'orgUnit="RJZ" period="2025-04-01/P1M" dataSet="ae-monthly"'): Buffer {
  return Buffer.from(
    `${adxHead}<adx xmlns="urn:ihe:qrph:adx:2015" exported="2025-05-01T00:00:00Z">\n<group ${group}>\n${body}\n</group>\n</adx>\n`,
    'utf8',
  );
}

describe('bad ADX returns', () => {
  it('refuses a DOCTYPE outright (no entity expansion)', async () => {
    const laughs = `${adxHead}<!DOCTYPE adx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="&lol2;"/></adx>`;
    const error = await refusal('adx', Buffer.from(laughs), 'laughs.xml');
    expectProblem(error, { row: 2 }, /declares a DOCTYPE or an entity, which is refused for safety/);
  });

  it('refuses malformed XML at its line', async () => {
    const error = await refusal(
      'adx',
      Buffer.from(`${adxHead}<adx xmlns="urn:ihe:qrph:adx:2015">\n<group>\n</adx>`),
      'bad.xml',
    );
    expectProblem(
      error,
      { row: 4, column: 'character 1' },
      /not well-formed XML \(Expected closing tag 'group'/,
    );
  });

  it('refuses a wrong period duration, a mid-month start, text values and unknown items', async () => {
    const error = await refusal(
      'adx',
      adx(
        '<dataValue dataElement="ae_attendances_type1" value="100"/>\n<dataValue dataElement="ae_attendances_type2" value="12a"/>\n<dataValue dataElement="ae_x" value="1"/>',
        'orgUnit="RJZ" period="2025-04-01/P3M" dataSet="ae-monthly"',
      ),
      'p.xml',
    );
    expectProblem(
      error,
      { row: 3, field: 'group/@period' },
      /period="2025-04-01\/P3M" is a quarter, but template ae-monthly is collected by a month: write period="2025-04-01\/P1M"/,
    );
    expectProblem(
      error,
      { row: 5, field: 'group/dataValue[2]/@value' },
      /The value of ae_attendances_type2, "12a", is not a number/,
    );
    expectProblem(
      error,
      { row: 6, field: 'group/dataValue[3]/@dataElement' },
      /"ae_x" is not an item of template ae-monthly/,
    );
    const mid = await refusal(
      'adx',
      adx(
        '<dataValue dataElement="ae_dta_over_4h" value="1"/>',
        'orgUnit="rjz" period="2025-04-15/P1M" dataSet="rtt-monthly"',
      ),
      'mid.xml',
    );
    expectProblem(mid, { row: 3, field: 'group/@period' }, /2025-04-15 is not the first day of a month/);
    expectProblem(mid, { row: 3, field: 'group/@dataSet' }, /for template "rtt-monthly"/);
  });

  it('refuses an item given twice, naming both lines', async () => {
    const error = await refusal(
      'adx',
      adx(
        '<dataValue dataElement="ae_dta_over_4h" value="1"/>\n<dataValue dataElement="ae_dta_over_4h" value="2"/>',
      ),
      'd.xml',
    );
    expectProblem(
      error,
      { row: 5, field: 'group/dataValue[2]/@dataElement' },
      /given twice, at line 4 and at line 5/,
    );
  });

  it('refuses two groups, another namespace, disaggregations and a missing orgUnit', async () => {
    const two = Buffer.from(
      `${adxHead}<adx xmlns="urn:ihe:qrph:adx:2015">\n<group orgUnit="RJZ" period="2025-04-01/P1M" dataSet="ae-monthly"/>\n<group orgUnit="RXX" period="2025-04-01/P1M" dataSet="ae-monthly"/>\n</adx>`,
    );
    expectProblem(
      await refusal('adx', two, 'two.xml'),
      { row: 4, field: 'adx/group' },
      /has 2 <group> elements: a return file holds exactly one/,
    );
    const other = Buffer.from(
      `${adxHead}<adx xmlns="urn:example">\n<group period="2025-04-01/P1M" dataSet="ae-monthly">\n<dataValue dataElement="ae_dta_over_4h" SEX="F" value="1"/>\n</group>\n</adx>`,
    );
    const error = await refusal('adx', other, 'other.xml');
    expectProblem(
      error,
      { row: 2, field: 'adx/@xmlns' },
      /namespace "urn:example": write <adx xmlns="urn:ihe:qrph:adx:2015">/,
    );
    expectProblem(error, { row: 3, field: 'group/@orgUnit' }, /The <group> has no orgUnit attribute/);
    expectProblem(
      error,
      { row: 4, field: 'group/dataValue[1]' },
      /attribute\(s\) SEX, which this return does not use/,
    );
  });

  it('refuses XML that is not ADX, and Latin-1 bytes', async () => {
    expectProblem(
      await refusal('adx', Buffer.from('<return><x/></return>'), 'x.xml'),
      {},
      /root element is <return>/,
    );
    const latin1 = Buffer.from(
      adx(
        '<dataValue dataElement="ae_dta_over_4h" value="1"><annotation>café</annotation></dataValue>',
      ).toString('utf8'),
      'latin1',
    );
    expectProblem(await refusal('adx', latin1, 'l.xml'), {}, /not UTF-8/);
  });
});
