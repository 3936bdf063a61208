import { z } from 'zod';
import type { Problem } from '../domain/errors.js';
import { isIsoDate } from '../domain/iso-date.js';
import { odsCodePattern } from '../domain/organisation.js';
import type { CsvRow } from './csv-file.js';

/** Cell schemas shared by the file formats; messages complete the sentence 'Cell "x" …'. */
export const odsCodeCell = z
  .string()
  .min(1, 'is empty: enter an ODS code')
  .regex(odsCodePattern, 'is not an ODS code: use 2 to 10 capital letters and digits, for example RJZ');
export const requiredTextCell = z.string().min(1, 'is empty: enter a value');
export const isoDateCell = z
  .string()
  .refine(isIsoDate, 'is not a date written YYYY-MM-DD, for example 2019-04-01');
export const optionalIsoDateCell = z
  .string()
  .refine(
    (value) => value === '' || isIsoDate(value),
    'is not a date written YYYY-MM-DD; leave it blank if there is none',
  )
  .transform((value) => (value === '' ? null : value));
export const optionalTextCell = z.string().transform((value) => (value === '' ? null : value));

/** Parses one CSV row with a zod schema, turning each issue into a problem located by file, row and column. */
export function parseRow<T>(
  schema: z.ZodType<T>,
  row: CsvRow,
  file: string,
): { ok: true; value: T } | { ok: false; problems: Problem[] } {
  const result = schema.safeParse(row.cells);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const column = String(issue.path[0] ?? '');
      const cell = row.cells[column];
      return {
        file,
        row: row.line,
        ...(column ? { column } : {}),
        message:
          cell === undefined || cell === '' ? `Cell ${issue.message}` : `Cell "${cell}" ${issue.message}`,
      };
    }),
  };
}
