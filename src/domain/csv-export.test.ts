import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv-export.js';

describe('CSV export', () => {
  it('neutralises spreadsheet formulas but keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell(-3)).toBe('-3');
  });

  it('quotes commas, quotes and line breaks, and leaves missing values empty', () => {
    expect(
      toCsv(
        ['name', 'value'],
        [
          ['Bath, NE Somerset', null],
          ['Say "hi"', 2],
        ],
      ),
    ).toBe('name,value\r\n"Bath, NE Somerset",\r\n"Say ""hi""",2\r\n');
  });
});
