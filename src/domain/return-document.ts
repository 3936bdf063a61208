import type { IsoDate } from './iso-date.js';
import type { ProblemLocation } from './errors.js';

/**
 * One return as every entry route reads it (web form, CSV, XLSX, JSON, FHIR MeasureReport, ADX) and as
 * every export writes it: the same document whatever the format, so the same checks apply and the same
 * values are stored.
 */
export const returnFormats = ['json', 'csv', 'xlsx', 'fhir', 'adx'] as const;
export type ReturnFormat = (typeof returnFormats)[number];

export const returnFormatLabels: Record<ReturnFormat, string> = {
  json: 'JSON',
  csv: 'CSV',
  xlsx: 'Excel workbook (the generated template)',
  fhir: 'FHIR R4 MeasureReport',
  adx: 'ADX (IHE mADX)',
};

export interface ReturnDocument {
  template: string;
  odsCode: string;
  /** The first day of the period the return is for. */
  periodStart: IsoDate;
  /** Each item given in the file; null when its cell was left blank. */
  values: Record<string, number | null>;
  /** Explanations of data-quality warnings, by item or check code, when the file carries them. */
  explanations: Record<string, string>;
  /** Where each item's value was read from, so a check can point at the cell: by item code. */
  locations: Record<string, ProblemLocation>;
}

/** What a format needs of a template to read or write a return: its code, name, period type and items. */
export interface ReturnLayout {
  code: string;
  name: string;
  periodType: 'month' | 'quarter' | 'financial-year';
  items: ReadonlyArray<{ code: string; name: string }>;
}

/** Files larger than this are refused before they are read. */
export const maxReturnFileBytes = 5 * 1024 * 1024;
