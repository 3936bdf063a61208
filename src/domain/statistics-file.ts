import type { Problem } from './errors.js';

/**
 * Rows of published statistics files, as the import parsers hand them to the import service.
 */

export const statisticsSources = ['ae', 'beds', 'rtt'] as const;
export type StatisticsSource = (typeof statisticsSources)[number];

export interface ParsedObservation {
  odsCode: string;
  orgName: string | null;
  item: string;
  periodStart: string;
  value: number;
}

export interface ParsedRow {
  line: number;
  observations: ParsedObservation[];
  problems: Problem[];
  warnings: Problem[];
  /** Columns left blank on this row (missing values). */
  blanks: string[];
  /** A key identifying the row's subject, to refuse duplicates. */
  key: string;
}

export interface StatisticsFile {
  layout: { source: StatisticsSource; name: string; ignored: readonly string[]; items: string[] };
  rows: AsyncIterable<ParsedRow>;
}
