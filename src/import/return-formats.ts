/**
 * The file formats of a data return (one organisation's values for one collection template and one
 * period). Every format reads into the same `ReturnDocument` and is written from it.
 *
 * CSV — header `template,ods_code,period_start,item,item_name,value,explanation` (names trimmed and
 *   compared without case, in any order; item_name and explanation may be left out on import, any other
 *   column is refused). One row per item; every row repeats the same template, ODS code and period start.
 *   Exports write every column and every item of the template, item names from the template, a UTF-8 BOM
 *   (so Excel shows £ and é) and cells through `csvCell` (text a spreadsheet would run as a formula gets an
 *   apostrophe, which the reader removes again from explanations).
 *
 * XLSX — the generated workbook: sheet "Return" with rows Template, Organisation ODS code and Period start
 *   (text YYYY-MM-DD) in columns A–B, then from row 7 a table Item code | Item name | Value | Explanation.
 *   Defined names: `return_template`, `return_ods_code`, `return_period_start`, and per item
 *   `item_<code>` (its value cell) and `explanation_<code>`. The reader goes by the names (rows may be
 *   moved) and falls back to the table when a workbook has none. Formula cells are refused; so is a
 *   workbook without a named cell for each item of the template (the items missing are named). Exports
 *   write text as text (never a formula) and protect the sheet without a password.
 *
 * JSON — `{ "template", "odsCode", "periodStart": "YYYY-MM-DD", "values": {item: number|null},
 *   "explanations"?: {item or check code: text} }`; no other fields; problems located by path
 *   (`values.ae_attendances_type1`).
 *
 * FHIR — an R4 MeasureReport: status "complete", type "data-collection", measure
 *   `https://nhs-oversight.example/fhir/Measure/<template>`, reporter.identifier
 *   `{system: "https://fhir.nhs.uk/Id/ods-organization-code", value: <ODS code>}`, period {start, end: the
 *   last day of the period}, date, and one group per item: code.coding `{system:
 *   "https://nhs-oversight.example/fhir/CodeSystem/data-item", code: <item>, display: <name>}`,
 *   measureScore.value (a group without measureScore is a blank value) and the explanation as the group
 *   extension `https://nhs-oversight.example/fhir/StructureDefinition/explanation` (valueString).
 *   Modifier extensions are refused. Problems are located by path (`group[3].measureScore.value`).
 *
 * ADX — IHE mADX XML: `<adx xmlns="urn:ihe:qrph:adx:2015" exported="…">` holding exactly one
 *   `<group orgUnit="<ODS code>" period="<start>/P1M|P3M|P1Y" dataSet="<template>">` of
 *   `<dataValue dataElement="<item>" value="<number or empty>">`, an explanation as a child
 *   `<annotation>`. A DOCTYPE is refused outright and entities are not expanded. Problems are located by
 *   line and an XPath-like field (`group/dataValue[3]/@value`).
 *
 * Explanations of failed checks (keyed by check code: lower-case letters, digits and hyphens) travel in
 * JSON's explanations; in the other formats as an entry named by the check code with a blank value and an
 * explanation — a CSV row, an XLSX table row (its cell named `explanation_<code>`, hyphens as `_x2d_`), an
 * ADX dataValue with value="" and an annotation, a FHIR group coded in
 * `https://nhs-oversight.example/fhir/CodeSystem/data-check` with only the explanation extension. Whether
 * the check exists is for the validation layer; a code with an underscore is taken for a mistyped item.
 *
 * Every reader refuses a file over `maxReturnFileBytes` before parsing it, text that is not UTF-8 (or is
 * UTF-16; XLSX exempt), an empty file, a template other than the layout's, an ODS code that is not one
 * (codes are upper-cased), a period start that does not start a period of the template's type, an item
 * not in the template or given twice, and a value that is not a finite number (commas are refused, not
 * guessed). A blank value is null: whether it is required is for the validation layer, as are negative
 * counts. A reader throws one AppError with every problem found and returns nothing partial. Writers
 * write every item of the layout, in its order, null where the document has no figure.
 */
import type { ReturnDocument, ReturnFormat, ReturnLayout } from '../domain/return-document.js';
import { readAdxReturn, writeAdxReturn } from './returns/adx-return.js';
import { readCsvReturn, writeCsvReturn } from './returns/csv-return.js';
import { readFhirReturn, writeFhirReturn } from './returns/fhir-return.js';
import { readJsonReturn, writeJsonReturn } from './returns/json-return.js';
import { checkFileSize, checkWritable } from './returns/return-checks.js';
import { readXlsxReturn, writeXlsxReturn } from './returns/xlsx-return.js';

export { returnCsvColumns } from './returns/csv-return.js';
export { checkCodePattern } from './returns/return-checks.js';
export { adxNamespace, adxPeriodDurations } from './returns/adx-return.js';
export {
  fhirDataCheckSystem,
  fhirDataItemSystem,
  fhirExplanationExtension,
  fhirMeasureBase,
  odsOrganisationSystem,
} from './returns/fhir-return.js';
export {
  itemExplanationName,
  itemValueName,
  returnCellNames,
  returnSheetName,
} from './returns/xlsx-return.js';

export const returnContentTypes: Record<ReturnFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  fhir: 'application/fhir+json; charset=utf-8',
  adx: 'application/adx+xml; charset=utf-8',
};

/** File name endings, with the leading dot (FHIR and ADX say what they are before .json and .xml). */
export const returnFileExtension: Record<ReturnFormat, string> = {
  json: '.json',
  csv: '.csv',
  xlsx: '.xlsx',
  fhir: '.fhir.json',
  adx: '.adx.xml',
};

/** The name a download of a return is given: `ae-monthly_RJZ_2025-04-01.csv`. */
export function returnFileName(
  doc: Pick<ReturnDocument, 'template' | 'odsCode' | 'periodStart'>,
  format: ReturnFormat,
): string {
  const parts = [doc.template, doc.odsCode, doc.periodStart].filter((part) => part !== '');
  return `${parts.join('_').replace(/[^A-Za-z0-9_.-]/g, '-')}${returnFileExtension[format]}`;
}

function looksLikeMeasureReport(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return (
      typeof json === 'object' &&
      json !== null &&
      'resourceType' in json &&
      json.resourceType === 'MeasureReport'
    );
  } catch {
    return /"resourceType"\s*:\s*"MeasureReport"/.test(text.slice(0, 4096));
  }
}

/**
 * The format of an uploaded file: by its name's extension, then by its first bytes — a ZIP (PK) or an
 * old Office file is a workbook, `<` is ADX, `{` is a FHIR MeasureReport when its resourceType says so
 * and JSON otherwise, anything else CSV.
 */
export function detectReturnFormat(fileName: string, bytes: Buffer): ReturnFormat {
  const name = fileName.trim().toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx') || name.endsWith('.xlsm') || name.endsWith('.xls')) return 'xlsx';
  if (name.endsWith('.xml') || name.endsWith('.adx')) return 'adx';
  const zip = bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;
  const ole = bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0;
  if (!name.endsWith('.json') && (zip || ole)) return 'xlsx';
  const text = bytes
    .subarray(0, Math.min(bytes.length, 5 * 1024 * 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!name.endsWith('.json') && text.startsWith('<')) return 'adx';
  if (text.startsWith('{')) return looksLikeMeasureReport(text) ? 'fhir' : 'json';
  return name.endsWith('.json') ? 'json' : 'csv';
}

/**
 * Reads a return file of the given format against the template's layout. Throws an AppError
 * ('invalid-file') listing every problem found, each located and saying what to do; returns nothing partial.
 */
export async function readReturn(
  format: ReturnFormat,
  bytes: Buffer,
  layout: ReturnLayout,
  fileName: string,
): Promise<ReturnDocument> {
  checkFileSize(bytes, fileName);
  switch (format) {
    case 'csv':
      return readCsvReturn(bytes, layout, fileName);
    case 'xlsx':
      return readXlsxReturn(bytes, layout, fileName);
    case 'json':
      return readJsonReturn(bytes, layout, fileName);
    case 'fhir':
      return readFhirReturn(bytes, layout, fileName);
    case 'adx':
      return readAdxReturn(bytes, layout, fileName);
  }
}

/**
 * Writes a return in the given format, with every item of the layout. For XLSX a document without values
 * is the blank template to download. Throws AppError ('invalid-input') when the document does not fit the
 * layout (another template, items the template does not have).
 */
export async function writeReturn(
  format: ReturnFormat,
  doc: ReturnDocument,
  layout: ReturnLayout,
  options: { now?: Date } = {},
): Promise<Buffer> {
  checkWritable(doc, layout, format);
  const now = options.now ?? new Date();
  switch (format) {
    case 'csv':
      return writeCsvReturn(doc, layout);
    case 'xlsx':
      return writeXlsxReturn(doc, layout, now);
    case 'json':
      return writeJsonReturn(doc, layout);
    case 'fhir':
      return writeFhirReturn(doc, layout, now);
    case 'adx':
      return writeAdxReturn(doc, layout, now);
  }
}
