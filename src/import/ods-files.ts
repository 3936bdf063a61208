import { z } from 'zod';
import type { SuccessionType } from '../domain/hierarchy-event.js';
import type { OdsFile } from '../domain/ods-reference-file.js';
import { trustSectors, type TrustSector } from '../domain/organisation.js';
import { readCsv, missingColumns, type CsvRow, type CsvSource } from './csv-file.js';
import {
  isoDateCell,
  odsCodeCell,
  optionalIsoDateCell,
  optionalTextCell,
  parseRow,
  requiredTextCell,
} from './row-validation.js';
import { AppError, ProblemList } from '../domain/errors.js';

/**
 * The ODS reference files the platform reads: the NHS trust extract (etr, with region and ICB columns),
 * the region and ICB lists, and the ODS successor file (with a header as in shared/data, or the raw
 * headerless succ.csv published by ODS). Parsing checks the format of every row; the import service
 * then checks the rows against the hierarchy.
 */

export const odsFileColumns = {
  trusts: ['org_code', 'name', 'region_code', 'icb_code', 'postcode', 'open_date', 'close_date'],
  regions: ['region_code', 'region_name'],
  icbs: ['icb_code', 'icb_name', 'region_code'],
  successors: ['predecessor_code', 'successor_code', 'effective_date'],
} as const;

const trustSchema = z.object({
  org_code: odsCodeCell,
  name: requiredTextCell,
  region_code: odsCodeCell,
  icb_code: odsCodeCell,
  postcode: optionalTextCell,
  open_date: isoDateCell,
  close_date: optionalIsoDateCell,
  sector: z
    .enum(['', ...trustSectors], {
      message: `is not a sector: use one of ${trustSectors.join(', ')}, or leave it blank`,
    })
    .optional()
    .transform((value) => (value ? (value as TrustSector) : null)),
});
const regionSchema = z.object({ region_code: odsCodeCell, region_name: requiredTextCell });
const icbSchema = z.object({ icb_code: odsCodeCell, icb_name: requiredTextCell, region_code: odsCodeCell });
const successionTypeByOdsLabel: Record<string, SuccessionType> = {
  merger_new_org: 'merger',
  acquisition_existing_org: 'acquisition',
  succession_unclassified: 'unclassified',
  merger: 'merger',
  acquisition: 'acquisition',
  split: 'split',
  unclassified: 'unclassified',
};
const successorSchema = z.object({
  predecessor_code: odsCodeCell,
  successor_code: odsCodeCell,
  effective_date: isoDateCell,
  type: z
    .string()
    .optional()
    .refine((value) => !value || value in successionTypeByOdsLabel, {
      message: `is not a succession type: use ${Object.keys(successionTypeByOdsLabel).slice(0, 3).join(', ')}`,
    })
    .transform((value) => (value ? (successionTypeByOdsLabel[value] ?? null) : null)),
  split: z
    .enum(['', 'Y', 'N'], { message: 'must be Y, N or blank' })
    .optional()
    .transform((value) => (value === 'Y' ? true : value === 'N' ? false : null)),
});

type Kind = OdsFile['kind'];

/**
 * Tells the file kind from its header: the kind whose key column is present and most of whose
 * columns are there. The raw ODS successor file has no header at all.
 */
function detectKind(header: string[], rawHeader: string[]): Kind | 'raw-successors' | null {
  let best: { kind: Kind; share: number; matched: number } | null = null;
  for (const [kind, columns] of Object.entries(odsFileColumns) as Array<[Kind, readonly string[]]>) {
    if (!header.includes(columns[0] ?? '')) continue;
    const matched = columns.filter((column) => header.includes(column)).length;
    const share = matched / columns.length;
    // The kind matching most columns wins: icbs.csv also carries the regions' columns.
    if (!best || matched > best.matched) best = { kind, share, matched };
  }
  if (best && best.share >= 0.5) return best.kind;
  if (
    rawHeader.length >= 4 &&
    /^[A-Z0-9]{2,10}$/.test(rawHeader[0] ?? '') &&
    /^\d{8}$/.test(rawHeader[3] ?? '')
  ) {
    return 'raw-successors';
  }
  return null;
}

function rejectDuplicates<T extends { line: number }>(
  rows: T[],
  keyOf: (row: T) => string,
  describe: (key: string) => string,
  label: string,
  problems: ProblemList,
): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      problems.add({
        file: label,
        row: row.line,
        message: `${describe(key)} appears twice, on rows ${earlier} and ${row.line}. Remove one of them.`,
      });
    } else {
      firstLine.set(key, row.line);
    }
  }
}

function parseRows<S extends z.ZodType, T>(
  schema: S,
  rows: CsvRow[],
  label: string,
  problems: ProblemList,
  map: (value: z.output<S>, line: number) => T,
): T[] {
  const parsed: T[] = [];
  for (const row of rows) {
    const result = parseRow(schema, row, label);
    if (result.ok) parsed.push(map(result.value as z.output<S>, row.line));
    else problems.add(...result.problems);
  }
  return parsed;
}

function rawSuccessorRows(rawHeader: string[], rows: CsvRow[], label: string, problems: ProblemList) {
  // The raw file's first line is data: columns are predecessor, successor, reason (blank), date YYYYMMDD, flag.
  const allRows: Array<{ line: number; values: string[] }> = [{ line: 1, values: rawHeader }, ...rows];
  const asCells = allRows.map((row) => {
    const date = row.values[3] ?? '';
    const isoDate = /^\d{8}$/.test(date)
      ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`
      : date;
    return {
      line: row.line,
      cells: {
        predecessor_code: row.values[0] ?? '',
        successor_code: row.values[1] ?? '',
        effective_date: isoDate,
      },
      values: row.values,
    };
  });
  return parseRows(successorSchema, asCells, label, problems, (value, line) => ({
    line,
    predecessorCode: value.predecessor_code,
    successorCode: value.successor_code,
    effectiveDate: value.effective_date,
    type: null,
    isSplit: null,
  }));
}

/** Reads and checks one ODS file; throws with every located problem if any row is wrong. */
export async function parseOdsFile(source: CsvSource): Promise<OdsFile> {
  const { header, rawHeader, rows } = await readCsv(source);
  const label = source.label;
  const kind = detectKind(header, rawHeader);
  if (kind === null) {
    throw new AppError('invalid-file', `Could not tell what kind of ODS file ${label} is from its header.`, [
      {
        file: label,
        row: 1,
        message:
          `The header is "${rawHeader.join(',')}". The selected file must use one of the templates: ` +
          Object.entries(odsFileColumns)
            .map(([name, columns]) => `${name} (${columns.join(', ')})`)
            .join('; ') +
          ', or be the headerless ODS succ.csv.',
      },
    ]);
  }
  const problems = new ProblemList();
  if (kind !== 'raw-successors') problems.add(...missingColumns(label, header, odsFileColumns[kind]));
  problems.throwIfAny(`${label} does not have the columns of an ODS ${kind} file.`);

  let file: OdsFile;
  switch (kind) {
    case 'trusts': {
      const parsed = parseRows(trustSchema, rows, label, problems, (v, line) => ({
        line,
        code: v.org_code,
        name: v.name,
        regionCode: v.region_code,
        icbCode: v.icb_code,
        postcode: v.postcode,
        openDate: v.open_date,
        closeDate: v.close_date,
        sector: v.sector,
      }));
      for (const row of parsed) {
        if (row.closeDate !== null && row.closeDate < row.openDate) {
          problems.add({
            file: label,
            row: row.line,
            column: 'close_date',
            message: `Close date ${row.closeDate} is before open date ${row.openDate}. Check both dates.`,
          });
        }
      }
      rejectDuplicates(
        parsed,
        (r) => r.code,
        (code) => `Organisation ${code}`,
        label,
        problems,
      );
      file = { kind, label, rows: parsed };
      break;
    }
    case 'regions': {
      const parsed = parseRows(regionSchema, rows, label, problems, (v, line) => ({
        line,
        code: v.region_code,
        name: v.region_name,
      }));
      rejectDuplicates(
        parsed,
        (r) => r.code,
        (code) => `Region ${code}`,
        label,
        problems,
      );
      file = { kind, label, rows: parsed };
      break;
    }
    case 'icbs': {
      const parsed = parseRows(icbSchema, rows, label, problems, (v, line) => ({
        line,
        code: v.icb_code,
        name: v.icb_name,
        regionCode: v.region_code,
      }));
      rejectDuplicates(
        parsed,
        (r) => r.code,
        (code) => `ICB ${code}`,
        label,
        problems,
      );
      file = { kind, label, rows: parsed };
      break;
    }
    case 'successors':
    case 'raw-successors': {
      const parsed =
        kind === 'successors'
          ? parseRows(successorSchema, rows, label, problems, (v, line) => ({
              line,
              predecessorCode: v.predecessor_code,
              successorCode: v.successor_code,
              effectiveDate: v.effective_date,
              type: v.type,
              isSplit: v.split,
            }))
          : rawSuccessorRows(rawHeader, rows, label, problems);
      for (const row of parsed) {
        if (row.predecessorCode === row.successorCode) {
          problems.add({
            file: label,
            row: row.line,
            message: `${row.predecessorCode} is listed as its own successor.`,
          });
        }
      }
      rejectDuplicates(
        parsed,
        (r) => `${r.predecessorCode}→${r.successorCode} on ${r.effectiveDate}`,
        (key) => `Succession ${key}`,
        label,
        problems,
      );
      file = { kind: 'successors', label, rows: parsed };
      break;
    }
  }
  problems.throwIfAny(`${label} has rows that cannot be imported.`);
  return file;
}
