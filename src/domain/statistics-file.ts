import type { Problem } from './errors.js';

/**
 * Rows of published statistics files, as the import parsers hand them to the import service.
 */

export const statisticsSources = ['ae', 'beds', 'rtt', 'observations'] as const;
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
  layout: {
    source: StatisticsSource;
    name: string;
    ignored: readonly string[];
    /** The data items the layout can hold; empty when each row names its own item (the long format). */
    items: string[];
  };
  /** Rows in the batches the reader has ready (fewer awaits than one row at a time). */
  batches: AsyncIterable<ParsedRow[]>;
}
