import { AppError, type Problem } from '../domain/errors.js';
import { isPeriodStart } from '../domain/period.js';
import { odsCodePattern } from '../domain/organisation.js';
import type {
  ParsedObservation,
  ParsedRow,
  StatisticsFile,
  StatisticsSource,
} from '../domain/statistics-file.js';
import { missingColumns, openCsv, type CsvRow, type CsvSource } from './csv-file.js';

/**
 * Published NHS England statistics files: A&E provider-level monthly (by department type, 2016–19;
 * all types, from 2021), G&A and critical-care beds, and RTT waits. Each row becomes observations
 * (organisation, data item, month, value); blank cells are missing, never zero.
 */

interface Layout {
  source: StatisticsSource;
  name: string;
  columns: readonly string[];
  /** Column → data item, and whether the value must be a whole number. */
  values: ReadonlyArray<{
    column: string;
    item: string | ((cells: Record<string, string>) => string);
    whole: boolean;
  }>;
  keyColumns: readonly string[];
  extraChecks?: (
    cells: Record<string, string>,
    values: Map<string, number>,
    line: number,
    file: string,
  ) => { problems: Problem[]; warnings: Problem[] };
  /** Published columns not stored (e.g. rates recomputed from beds), named in the summary. */
  ignored: readonly string[];
}

const aeTypeItem: Record<string, string> = { '1': 'type1', '2': 'type2', other: 'other' };

const notMore = (
  smaller: string,
  larger: string,
  values: Map<string, number>,
  line: number,
  file: string,
  message: string,
): Problem[] => {
  const a = values.get(smaller);
  const b = values.get(larger);
  return a !== undefined && b !== undefined && a > b ? [{ file, row: line, column: smaller, message }] : [];
};

const bedColumns = [
  ['general_acute_beds', 'ga'],
  ['adult_general_acute_beds', 'ga_adult'],
  ['paediatric_general_acute_beds', 'ga_paediatric'],
  ['adult_critical_care_beds', 'cc_adult'],
  ['paediatric_intensive_cared_beds', 'picu'],
  ['neonatal_intensive_care_bed', 'nicu'],
] as const;

export const layouts: Layout[] = [
  {
    source: 'observations',
    name: 'Observations in the long format: one value per row for any catalogue data item',
    columns: ['period', 'org_code', 'data_item', 'value'],
    keyColumns: ['org_code', 'period', 'data_item'],
    values: [{ column: 'value', item: (c) => c.data_item ?? '', whole: false }],
    ignored: [],
  },
  {
    source: 'ae',
    name: 'A&E provider-level monthly, by department type (2016 to 2019 layout)',
    columns: ['period', 'org_code', 'type', 'attendances', 'breaches', 'admissions'],
    keyColumns: ['org_code', 'period', 'type'],
    values: [
      { column: 'attendances', item: (c) => `ae_attendances_${aeTypeItem[c.type ?? ''] ?? ''}`, whole: true },
      { column: 'breaches', item: (c) => `ae_breaches_4h_${aeTypeItem[c.type ?? ''] ?? ''}`, whole: true },
      {
        column: 'admissions',
        item: (c) => `ae_emergency_admissions_${aeTypeItem[c.type ?? ''] ?? ''}`,
        whole: true,
      },
    ],
    extraChecks: (cells, values, line, file) => ({
      problems: [
        ...(cells.type && !(cells.type in aeTypeItem)
          ? [
              {
                file,
                row: line,
                column: 'type',
                message: `Cell "${cells.type}" is not a department type: use 1, 2 or other.`,
              },
            ]
          : []),
        ...notMore(
          'breaches',
          'attendances',
          values,
          line,
          file,
          'More 4-hour breaches than attendances: check both cells.',
        ),
      ],
      warnings: notMore(
        'admissions',
        'attendances',
        values,
        line,
        file,
        'More admissions than attendances for this department type.',
      ),
    }),
    ignored: [],
  },
  {
    source: 'ae',
    name: 'A&E provider-level monthly, all types (2021 onwards layout)',
    columns: [
      'period',
      'org_code',
      'total_attendances',
      'attendances_over_4hours',
      'total_emergency_admissions',
      'emergency_admissions_over_4hours',
    ],
    keyColumns: ['org_code', 'period'],
    values: [
      { column: 'total_attendances', item: 'ae_attendances_all', whole: true },
      { column: 'attendances_over_4hours', item: 'ae_breaches_4h_all', whole: true },
      { column: 'total_emergency_admissions', item: 'ae_emergency_admissions_all', whole: true },
      { column: 'emergency_admissions_over_4hours', item: 'ae_dta_over_4h', whole: true },
    ],
    extraChecks: (_cells, values, line, file) => ({
      problems: [
        ...notMore(
          'attendances_over_4hours',
          'total_attendances',
          values,
          line,
          file,
          'More attendances over 4 hours than attendances: check both cells.',
        ),
        ...notMore(
          'emergency_admissions_over_4hours',
          'total_emergency_admissions',
          values,
          line,
          file,
          'More decision-to-admit waits than emergency admissions: check both cells.',
        ),
      ],
      warnings: [],
    }),
    ignored: [],
  },
  {
    source: 'beds',
    name: 'G&A and critical care beds, monthly by trust',
    columns: [
      'period',
      'org_code',
      ...bedColumns.flatMap(([column]) => [`${column}_available`, `${column}_occupied`]),
    ],
    keyColumns: ['org_code', 'period'],
    values: bedColumns.flatMap(([column, prefix]) => [
      { column: `${column}_available`, item: `${prefix}_beds_available`, whole: false },
      { column: `${column}_occupied`, item: `${prefix}_beds_occupied`, whole: false },
    ]),
    extraChecks: (_cells, values, line, file) => ({
      problems: [],
      warnings: bedColumns.flatMap(([column]) =>
        notMore(
          `${column}_occupied`,
          `${column}_available`,
          values,
          line,
          file,
          'More beds occupied than available (over-occupancy): stored as published.',
        ),
      ),
    }),
    ignored: [
      'general_acute_beds_occupancy_rate',
      'adult_general_acute_beds_occupancy_rate',
      'paediatric_general_acute_beds_occupancy_rate',
      'adult_critical_care_occupancy_rate',
      'paediatric_intensive_cared_occupancy_rate',
      'neonatal_intensive_care_occupancy_rate',
    ],
  },
  {
    source: 'rtt',
    name: 'RTT waits over 18 and 52 weeks by provider (all part types summed)',
    columns: ['period', 'org_code', 'waits_over_18_weeks', 'waits_over_52_weeks'],
    keyColumns: ['org_code', 'period'],
    values: [
      { column: 'waits_over_18_weeks', item: 'rtt_over_18w_all_parts', whole: true },
      { column: 'waits_over_52_weeks', item: 'rtt_over_52w_all_parts', whole: true },
    ],
    extraChecks: (_cells, values, line, file) => ({
      problems: notMore(
        'waits_over_52_weeks',
        'waits_over_18_weeks',
        values,
        line,
        file,
        'More waits over 52 weeks than over 18 weeks: check both cells.',
      ),
      warnings: [],
    }),
    ignored: [],
  },
];

const layoutHint = (source: StatisticsSource) =>
  layouts
    .filter((l) => l.source === source)
    .map((l) => `${l.name}: ${l.columns.join(', ')}`)
    .join('; or ');

function chooseLayout(source: StatisticsSource, header: string[], file: string): Layout {
  const candidates = layouts.filter((l) => l.source === source);
  const best = candidates
    .map((layout) => ({ layout, matched: layout.columns.filter((c) => header.includes(c)).length }))
    .sort((a, b) => b.matched - a.matched)[0];
  if (!best || best.matched < 3) {
    throw new AppError('invalid-file', `${file} is not a ${source} statistics file.`, [
      {
        file,
        row: 1,
        message: `The header is "${header.join(',')}". The selected file must use the template: ${layoutHint(source)}.`,
      },
    ]);
  }
  const missing = missingColumns(file, header, best.layout.columns);
  if (missing.length > 0)
    throw new AppError(
      'invalid-file',
      `${file} is missing columns of the ${best.layout.name} layout.`,
      missing,
    );
  return best.layout;
}

/** Parses one cell: blank is missing (undefined); otherwise a non-negative number, whole if required. */
function parseValue(cell: string, whole: boolean): { value?: number; problem?: string } {
  if (cell === '') return {};
  if (/^=/.test(cell))
    return { problem: `Cell "${cell}" is a formula: export the values, not the formulas.` };
  const value = Number(cell.replaceAll(',', ''));
  if (!Number.isFinite(value) || !/^[-+]?[\d,]*\.?\d+(e[-+]?\d+)?$/i.test(cell))
    return { problem: `Cell "${cell}" is not a number.` };
  if (value < 0) return { problem: `Cell "${cell}" is negative: counts and beds cannot be below zero.` };
  if (whole && !Number.isInteger(value)) return { problem: `Cell "${cell}" is not a whole number.` };
  return { value };
}

/** Opens a statistics file, checks its header against the source's layouts and streams its rows. */
export async function openStatisticsFile(
  csv: CsvSource,
  source: StatisticsSource,
  onBytes?: (bytes: number) => void,
): Promise<StatisticsFile> {
  const { header, batches } = await openCsv(csv, onBytes);
  const file = csv.label;
  const layout = chooseLayout(source, header, file);
  const hasNames = header.includes('org_name');
  // Files repeat the same few months and codes on every row: check each once.
  const periodOk = new Map<string, boolean>();
  const codeOk = new Map<string, boolean>();

  const parseRow = (row: CsvRow): ParsedRow => {
    const cells = row.cells;
    const problems: Problem[] = [];
    const period = cells.period ?? '';
    const code = (cells.org_code ?? '').toUpperCase();
    let validPeriod = periodOk.get(period);
    if (validPeriod === undefined) periodOk.set(period, (validPeriod = isPeriodStart('month', period)));
    if (!validPeriod) {
      problems.push({
        file,
        row: row.line,
        column: 'period',
        message: `Cell "${period}" is not the first day of a month written YYYY-MM-DD, for example 2019-04-01.`,
      });
    }
    let validCode = codeOk.get(code);
    if (validCode === undefined) codeOk.set(code, (validCode = odsCodePattern.test(code)));
    if (!validCode) {
      problems.push({
        file,
        row: row.line,
        column: 'org_code',
        message: `Cell "${cells.org_code ?? ''}" is not an ODS code.`,
      });
    }
    const values = new Map<string, number>();
    const blanks: string[] = [];
    const observations: ParsedObservation[] = [];
    for (const spec of layout.values) {
      const parsed = parseValue(cells[spec.column] ?? '', spec.whole);
      if (parsed.problem)
        problems.push({ file, row: row.line, column: spec.column, message: parsed.problem });
      else if (parsed.value === undefined) blanks.push(spec.column);
      else {
        values.set(spec.column, parsed.value);
        const item = typeof spec.item === 'string' ? spec.item : spec.item(cells);
        observations.push({
          odsCode: code,
          orgName: hasNames ? (cells.org_name ?? null) : null,
          item,
          periodStart: period,
          value: parsed.value,
        });
      }
    }
    const extra = layout.extraChecks?.(cells, values, row.line, file) ?? { problems: [], warnings: [] };
    problems.push(...extra.problems);
    let key = '';
    for (const column of layout.keyColumns) key += `${column === 'org_code' ? code : (cells[column] ?? '')}|`;
    return {
      line: row.line,
      observations: problems.length > 0 ? [] : observations,
      problems,
      warnings: extra.warnings,
      blanks,
      key,
    };
  };

  async function* parse(): AsyncGenerator<ParsedRow[]> {
    for await (const batch of batches) yield batch.map(parseRow);
  }

  const itemsOf = (spec: Layout['values'][number]): string[] =>
    layout.source === 'observations'
      ? []
      : typeof spec.item === 'string'
        ? [spec.item]
        : Object.keys(aeTypeItem).map((type) =>
            (spec.item as (c: Record<string, string>) => string)({ type }),
          );
  const items = [...new Set(layout.values.flatMap(itemsOf))];
  return {
    layout: {
      source: layout.source,
      name: layout.name,
      ignored: layout.ignored.filter((c) => header.includes(c)),
      items,
    },
    batches: parse(),
  };
}
