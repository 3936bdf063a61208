import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.js';
import { returnFormats, type ReturnDocument, type ReturnLayout } from '../domain/return-document.js';
import {
  detectReturnFormat,
  itemExplanationName,
  itemValueName,
  readReturn,
  returnContentTypes,
  returnFileExtension,
  returnFileName,
  writeReturn,
} from './return-formats.js';

const aeLayout: ReturnLayout = {
  code: 'ae-monthly',
  name: 'A&E attendances and emergency admissions',
  periodType: 'month',
  items: [
    { code: 'ae_attendances_type1', name: 'Type 1 attendances' },
    { code: 'ae_attendances_type2', name: 'Type 2 attendances' },
    { code: 'ae_attendances_other', name: 'Other A&E attendances' },
    { code: 'ae_breaches_4h_type1', name: 'Type 1 attendances over 4 hours' },
    { code: 'ae_breaches_4h_type2', name: 'Type 2 attendances over 4 hours' },
    { code: 'ae_breaches_4h_other', name: 'Other attendances over 4 hours' },
    { code: 'ae_emergency_admissions_type1', name: 'Emergency admissions via type 1' },
    { code: 'ae_emergency_admissions_other', name: 'Other emergency admissions' },
    { code: 'ae_dta_over_4h', name: 'Decision to admit to admission over 4 hours' },
    { code: 'ae_dta_over_12h', name: 'Decision to admit to admission over 12 hours' },
    { code: 'ae_mean_minutes', name: 'Mean time in department (minutes, “café” £ test)' },
    { code: 'ae_share_admitted', name: 'Share admitted' },
  ],
};

const document: ReturnDocument = {
  template: 'ae-monthly',
  odsCode: 'RJZ',
  periodStart: '2025-04-01',
  values: {
    ae_attendances_type1: 12_345,
    ae_attendances_type2: 0,
    ae_attendances_other: 987_654_321,
    ae_breaches_4h_type1: 2_301,
    ae_breaches_4h_type2: null,
    ae_breaches_4h_other: 7,
    ae_emergency_admissions_type1: 4_010,
    ae_emergency_admissions_other: null,
    ae_dta_over_4h: 512,
    ae_dta_over_12h: 0,
    ae_mean_minutes: 187.25,
    ae_share_admitted: 0.3333,
  },
  explanations: {
    ae_breaches_4h_type1: 'Two sites closed for refurbishment, "A" & <B>; £1.2m, café\nsecond line',
    'breaches-within-attendances': 'Breaches include patients who arrived the month before',
  },
  locations: {},
};

const fixedNow = new Date('2025-05-10T09:30:00Z');

function comparable(doc: ReturnDocument) {
  return {
    template: doc.template,
    odsCode: doc.odsCode,
    periodStart: doc.periodStart,
    values: doc.values,
    explanations: doc.explanations,
  };
}

async function roundTrip(format: (typeof returnFormats)[number], doc: ReturnDocument, layout = aeLayout) {
  const bytes = await writeReturn(format, doc, layout, { now: fixedNow });
  return readReturn(format, bytes, layout, `return${returnFileExtension[format]}`);
}

describe('return formats: round trip', () => {
  it.each(returnFormats)('%s: what is written reads back the same', async (format) => {
    const read = await roundTrip(format, document);
    expect(comparable(read)).toEqual(comparable(document));
    expect(Object.keys(read.locations).sort()).toEqual(aeLayout.items.map((item) => item.code).sort());
  });

  it('reads the same return from every format', async () => {
    const reads = await Promise.all(returnFormats.map((format) => roundTrip(format, document)));
    const [first, ...rest] = reads.map(comparable);
    for (const other of rest) expect(other).toEqual(first);
  });

  it('writes every item of the layout, null where the document has no figure', async () => {
    const partial: ReturnDocument = { ...document, values: { ae_attendances_type1: 5 }, explanations: {} };
    for (const format of returnFormats) {
      const read = await roundTrip(format, partial);
      expect(read.values.ae_attendances_type1).toBe(5);
      expect(read.values.ae_dta_over_12h).toBeNull();
      expect(Object.keys(read.values)).toHaveLength(aeLayout.items.length);
    }
  });

  it('keeps quarterly and yearly periods in FHIR and ADX', async () => {
    const quarterly: ReturnLayout = { ...aeLayout, code: 'ae-quarterly', periodType: 'quarter' };
    const yearly: ReturnLayout = { ...aeLayout, code: 'ae-yearly', periodType: 'financial-year' };
    const fhir = JSON.parse(
      (
        await writeReturn('fhir', { ...document, template: 'ae-quarterly' }, quarterly, { now: fixedNow })
      ).toString(),
    ) as { period: { start: string; end: string } };
    expect(fhir.period).toEqual({ start: '2025-04-01', end: '2025-06-30' });
    const adx = (await writeReturn('adx', { ...document, template: 'ae-yearly' }, yearly)).toString();
    expect(adx).toContain('period="2025-04-01/P1Y"');
    const read = await readReturn('adx', Buffer.from(adx), yearly, 'r.xml');
    expect(read.periodStart).toBe('2025-04-01');
  });

  it('upper-cases ODS codes and accepts a UTF-8 byte-order mark', async () => {
    const csv = (await writeReturn('csv', { ...document, odsCode: 'rjz' }, aeLayout)).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const read = await readReturn('csv', Buffer.from(csv, 'utf8'), aeLayout, 'r.csv');
    expect(read.odsCode).toBe('RJZ');
  });

  it('locates each value where it was read', async () => {
    const csv = await readReturn('csv', await writeReturn('csv', document, aeLayout), aeLayout, 'r.csv');
    expect(csv.locations.ae_attendances_type2).toEqual({ file: 'r.csv', row: 3, column: 'value' });
    const xlsx = await readReturn('xlsx', await writeReturn('xlsx', document, aeLayout), aeLayout, 'r.xlsx');
    expect(xlsx.locations.ae_attendances_type2).toEqual({ file: 'r.xlsx', column: 'C9' });
    const fhir = await readReturn('fhir', await writeReturn('fhir', document, aeLayout), aeLayout, 'r.json');
    expect(fhir.locations.ae_attendances_type2).toEqual({
      file: 'r.json',
      field: 'group[1].measureScore.value',
    });
  });
});

describe('return formats: CSV', () => {
  it('reads a hand-written file: columns in any order, optional columns left out, header case ignored', async () => {
    const csv = [
      ' Item ,VALUE,template,ods_code,period_start',
      'ae_attendances_type1,"1234",ae-monthly,rjz,2025-04-01',
      'ae_dta_over_4h,,ae-monthly,RJZ,2025-04-01',
      '',
    ].join('\r\n');
    const read = await readReturn('csv', Buffer.from(csv), aeLayout, 'hand.csv');
    expect(read.values).toEqual({ ae_attendances_type1: 1234, ae_dta_over_4h: null });
    expect(read.explanations).toEqual({});
  });

  it('writes the exact header and the layout item names', async () => {
    const text = (await writeReturn('csv', document, aeLayout)).toString('utf8').replace(/^\uFEFF/, '');
    const [header, first] = text.split('\r\n');
    expect(header).toBe('template,ods_code,period_start,item,item_name,value,explanation');
    expect(first).toBe('ae-monthly,RJZ,2025-04-01,ae_attendances_type1,Type 1 attendances,12345,');
  });
});

describe('return formats: XLSX', () => {
  it('is the blank template when the document has no values, with a named cell for each item', async () => {
    const blank: ReturnDocument = { ...document, values: {}, explanations: {} };
    const bytes = await writeReturn('xlsx', blank, aeLayout);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
    const names = workbook.definedNames.model.map((defined) => defined.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'return_template',
        'return_ods_code',
        'return_period_start',
        ...aeLayout.items.flatMap((item) => [itemValueName(item.code), itemExplanationName(item.code)]),
      ]),
    );
    const sheet = workbook.getWorksheet('Return');
    expect(sheet?.getCell('B3').value).toBe('ae-monthly');
    expect(sheet?.getCell('B5').value).toBe('2025-04-01');
    expect(sheet?.getCell('A7').value).toBe('Item code');
    expect(sheet?.getCell('C8').value).toBeNull();
    const read = await readReturn('xlsx', bytes, aeLayout, 'blank.xlsx');
    expect(Object.values(read.values).every((value) => value === null)).toBe(true);
  });

  it('reads by defined names wherever the cells have been moved', async () => {
    const layout: ReturnLayout = { ...aeLayout, items: aeLayout.items.slice(0, 2) };
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Moved about');
    const put = (address: string, value: ExcelJS.CellValue, name: string) => {
      sheet.getCell(address).value = value;
      sheet.getCell(address).name = name;
    };
    put('F20', 'ae-monthly', 'return_template');
    put('A1', 'RJZ', 'return_ods_code');
    put('K3', new Date(Date.UTC(2025, 3, 1)), 'return_period_start');
    put('B2', 17, 'item_ae_attendances_type1');
    put('Z9', '42', 'item_ae_attendances_type2');
    put('Z10', 'Counted by hand', 'explanation_ae_attendances_type2');
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const read = await readReturn('xlsx', bytes, layout, 'moved.xlsx');
    expect(comparable(read)).toEqual({
      template: 'ae-monthly',
      odsCode: 'RJZ',
      periodStart: '2025-04-01',
      values: { ae_attendances_type1: 17, ae_attendances_type2: 42 },
      explanations: { ae_attendances_type2: 'Counted by hand' },
    });
    expect(read.locations.ae_attendances_type2).toEqual({ file: 'moved.xlsx', column: 'Moved about!Z9' });
  });

  it('falls back to the table when the workbook has lost its names', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Return');
    sheet.addRows([
      ['Template', 'ae-monthly'],
      ['Organisation ODS code', 'RJZ'],
      ['Period start', '2025-04-01'],
      [],
      ['Item code', 'Item name', 'Value', 'Explanation'],
      ...aeLayout.items.map((item, index) => [item.code, item.name, index, index === 3 ? 'Why' : null]),
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const read = await readReturn('xlsx', bytes, aeLayout, 'table.xlsx');
    expect(read.values.ae_attendances_type1).toBe(0);
    expect(read.values.ae_share_admitted).toBe(11);
    expect(read.explanations).toEqual({ ae_breaches_4h_type1: 'Why' });
  });
});

describe('return formats: export escaping', () => {
  const dangerous: ReturnDocument = {
    ...document,
    explanations: {
      ae_attendances_type1: '=HYPERLINK("https://evil.example","Click")',
      ae_attendances_type2: '+1+2',
      ae_dta_over_4h: '@SUM(A1)',
    },
  };

  it('CSV: an explanation a spreadsheet would run is written with a leading apostrophe, and read back without it', async () => {
    const bytes = await writeReturn('csv', dangerous, aeLayout);
    const text = bytes.toString('utf8');
    expect(text).toContain(`,"'=HYPERLINK(""https://evil.example"",""Click"")"`);
    expect(text).toContain(",'+1+2");
    expect(text).toContain(",'@SUM(A1)");
    expect(text).not.toMatch(/,=HYPERLINK/);
    const read = await readReturn('csv', bytes, aeLayout, 'r.csv');
    expect(read.explanations).toEqual(dangerous.explanations);
  });

  it('XLSX: no cell of an exported workbook is a formula, even text beginning with "="', async () => {
    const layout: ReturnLayout = {
      ...aeLayout,
      name: '=cmd|"/c calc"!A1',
      items: aeLayout.items.map((item, index) => (index === 0 ? { ...item, name: '=1+2' } : item)),
    };
    const bytes = await writeReturn('xlsx', dangerous, layout);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
    let cells = 0;
    for (const sheet of workbook.worksheets)
      sheet.eachRow({ includeEmpty: true }, (row) =>
        row.eachCell({ includeEmpty: true }, (cell) => {
          cells += 1;
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeFalsy();
        }),
      );
    expect(cells).toBeGreaterThan(40);
    expect(workbook.getWorksheet('Return')?.getCell('D8').value).toBe(
      dangerous.explanations.ae_attendances_type1,
    );
    const read = await readReturn('xlsx', bytes, layout, 'r.xlsx');
    expect(read.explanations).toEqual(dangerous.explanations);
  });

  it('ADX and FHIR carry markup and quotes in explanations as text', async () => {
    for (const format of ['adx', 'fhir', 'json'] as const) {
      const doc = { ...document, explanations: { ae_dta_over_4h: '<script>&amp;"\'</script>\r\ttab' } };
      const read = await roundTrip(format, doc);
      expect(read.explanations).toEqual(doc.explanations);
    }
  });
});

describe('return formats: writing', () => {
  it('refuses a document with an item the template does not have', async () => {
    const error = await writeReturn('csv', { ...document, values: { ae_unknown: 1 } }, aeLayout).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).problems).toEqual([
      { field: 'values.ae_unknown', message: 'ae_unknown is not an item of template ae-monthly.' },
    ]);
  });

  it('carries an explanation of a check in every format, and refuses one that names neither item nor check', async () => {
    const doc = { ...document, explanations: { 'ae-breaches-exceed-attendances': 'Counted across sites' } };
    for (const format of returnFormats) {
      const read = await roundTrip(format, doc);
      expect(read.explanations).toEqual(doc.explanations);
      expect(read.values).toEqual(doc.values);
    }
    await expect(
      writeReturn('adx', { ...document, explanations: { Not_A_Code: 'x' } }, aeLayout),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [{ field: 'explanations.Not_A_Code' }],
    });
  });

  it('writes an explained check as a row with no value in CSV and XLSX', async () => {
    const doc = { ...document, explanations: { 'breaches-within-attendances': 'Counted across sites' } };
    const csv = (await writeReturn('csv', doc, aeLayout)).toString('utf8');
    expect(csv).toContain(
      '\r\nae-monthly,RJZ,2025-04-01,breaches-within-attendances,,,Counted across sites\r\n',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await writeReturn('xlsx', doc, aeLayout)).buffer);
    const row = workbook.getWorksheet('Return')?.getRow(8 + aeLayout.items.length);
    expect(row?.getCell(1).value).toBe('breaches-within-attendances');
    expect(row?.getCell(3).value).toBeNull();
    expect(row?.getCell(4).name).toBe('explanation_breaches_x2d_within_x2d_attendances');
  });

  it('names downloads and gives their content types', () => {
    expect(returnFileName(document, 'fhir')).toBe('ae-monthly_RJZ_2025-04-01.fhir.json');
    expect(returnFileExtension.adx).toBe('.adx.xml');
    expect(returnContentTypes.xlsx).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(returnContentTypes.adx).toBe('application/adx+xml; charset=utf-8');
  });
});

describe('detectReturnFormat', () => {
  it('goes by the extension first', () => {
    expect(detectReturnFormat('return.CSV', Buffer.from('{'))).toBe('csv');
    expect(detectReturnFormat('return.xlsx', Buffer.from(''))).toBe('xlsx');
    expect(detectReturnFormat('return.xml', Buffer.from('a,b'))).toBe('adx');
  });

  it('sniffs the bytes otherwise', async () => {
    const bytes = async (format: (typeof returnFormats)[number]) => writeReturn(format, document, aeLayout);
    expect(detectReturnFormat('upload', await bytes('xlsx'))).toBe('xlsx');
    expect(detectReturnFormat('upload', await bytes('adx'))).toBe('adx');
    expect(detectReturnFormat('upload.json', await bytes('fhir'))).toBe('fhir');
    expect(detectReturnFormat('upload.json', await bytes('json'))).toBe('json');
    expect(detectReturnFormat('upload.txt', await bytes('csv'))).toBe('csv');
    expect(detectReturnFormat('upload', Buffer.from('  {"resourceType": "MeasureReport", oops'))).toBe(
      'fhir',
    );
  });
});
