import { AppError, type ProblemList, type Problem, type ProblemLocation } from '../../domain/errors.js';
import { isIsoDate } from '../../domain/iso-date.js';
import { odsCodePattern } from '../../domain/organisation.js';
import { isPeriodStart, periodContaining } from '../../domain/period.js';
import {
  maxReturnFileBytes,
  returnFormatLabels,
  type ReturnDocument,
  type ReturnFormat,
  type ReturnLayout,
} from '../../domain/return-document.js';

/**
 * The checks every return format shares. A format reader turns its file into a `RawReturn` (what the file
 * says, where it says it, nothing judged yet) and `assembleReturn` applies the same rules to all of them,
 * so a CSV and an ADX file with the same mistake get the same message.
 */

export interface Located<T> {
  value: T;
  location: ProblemLocation;
}

/**
 * Check codes, as the template's validation rules name them (lower-case letters, digits and hyphens; item
 * codes use underscores). An entry whose code is a check code rather than an item, with no value and an
 * explanation, explains a failed check: that is how CSV, XLSX, FHIR and ADX carry check explanations.
 */
export const checkCodePattern = /^[a-z][a-z0-9-]*$/;

/** A value as a format found it, before it is judged. */
export type RawValue =
  | { kind: 'blank' }
  | { kind: 'number'; value: number }
  | { kind: 'text'; text: string }
  /** Refused by the format itself (a formula, a date, text where JSON wants a number): the whole message. */
  | { kind: 'refused'; message: string };

export interface RawEntry {
  item: string;
  itemLocation: ProblemLocation;
  /** How a person finds this entry again, to name both places of a duplicate: "row 7", "cell A8", "group[3]". */
  place: string;
  value: RawValue;
  valueLocation: ProblemLocation;
  explanation: Located<string> | null;
}

export interface RawReturn {
  /** Null when the file has no such field at all (the reader has already said so). */
  template: Located<string> | null;
  odsCode: Located<string> | null;
  periodStart: Located<string> | null;
  entries: RawEntry[];
  /** Explanations given apart from the items (JSON: keyed by item or check code). */
  explanations?: Array<{ key: string; text: string; location: ProblemLocation }>;
}

/** The "invalid-file" error for a file that cannot be read at all (too big, not text, empty…), to throw. */
export function fileRefused(file: string, summary: string, problem: Omit<Problem, 'file'>): AppError {
  return new AppError('invalid-file', `${file} ${summary}`, [{ file, ...problem }]);
}

/** Refuses a file over `maxReturnFileBytes` before anything reads it. */
export function checkFileSize(bytes: Buffer, file: string): void {
  if (bytes.length <= maxReturnFileBytes) return;
  const megabytes = (Math.ceil((bytes.length / (1024 * 1024)) * 10) / 10).toFixed(1);
  throw fileRefused(file, 'is too large.', {
    message: `The file is ${megabytes} MB; a return file may be at most ${maxReturnFileBytes / (1024 * 1024)} MB. Check that you chose the return and not another file.`,
  });
}

/** Refuses an empty file (no bytes, or only white space). */
export function checkNotEmpty(text: string, file: string): void {
  if (text.trim() !== '') return;
  throw fileRefused(file, 'is empty.', {
    message: 'The file is empty. Choose the file again, or download the template and fill it in.',
  });
}

const notUtf8Message = 'The file is not UTF-8: save it as CSV UTF-8 and try again.';

/**
 * Text of a return file: refuses UTF-16 (a byte-order mark FF FE or FE FF) and bytes that are not UTF-8
 * (a spreadsheet saved as "CSV (Windows)" writes £ and é as Latin-1), and drops a UTF-8 byte-order mark.
 */
export function decodeReturnText(bytes: Buffer, file: string): string {
  const utf16 =
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16) throw fileRefused(file, 'is not UTF-8 text.', { message: notUtf8Message });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fileRefused(file, 'is not UTF-8 text.', { message: notUtf8Message });
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** A JSON path as people read it: `values.ae_attendances_type1`, `group[3].measureScore.value`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else {
      const key = String(part);
      text += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
        ? `${text === '' ? '' : '.'}${key}`
        : `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}

const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Reads a number typed as text: digits with an optional sign, decimal point and exponent. Commas are
 * refused rather than guessed at ("1,234" is a thousand in England and a decimal elsewhere).
 */
export function parseNumberText(
  text: string,
): { ok: true; value: number | null } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: null };
  if (numberPattern.test(trimmed)) {
    const value = Number(trimmed);
    return Number.isFinite(value)
      ? { ok: true, value }
      : { ok: false, reason: 'is too large to be a figure: check the number' };
  }
  if (/^[=+\-@]/.test(trimmed) && !/^[-+]?[\d.,]/.test(trimmed))
    return { ok: false, reason: 'is a formula, not a number: type the number itself' };
  if (trimmed.includes(',') && numberPattern.test(trimmed.replaceAll(',', '')))
    return {
      ok: false,
      reason:
        'has a comma: remove thousands separators (write 1234, not 1,234) and use a point for decimals (12.5)',
    };
  return {
    ok: false,
    reason:
      'is not a number: type digits only, such as 1234 or 12.5, or leave it blank if you have no figure',
  };
}

const periodWords: Record<ReturnLayout['periodType'], { adverb: string; start: string }> = {
  month: { adverb: 'monthly', start: 'the first day of a month' },
  quarter: {
    adverb: 'quarterly',
    start: 'the first day of a quarter (1 April, 1 July, 1 October or 1 January)',
  },
  'financial-year': { adverb: 'by financial year', start: 'the first day of a financial year (1 April)' },
};

/** Problems with a period start, or none: a date YYYY-MM-DD that starts a period of the template's type. */
export function periodStartProblems(start: Located<string>, layout: ReturnLayout, file: string): Problem[] {
  const date = start.value.trim();
  const words = periodWords[layout.periodType];
  if (!isIsoDate(date))
    return [
      {
        file,
        ...start.location,
        message: `Period start "${date}" is not a date written YYYY-MM-DD: give ${words.start}, such as 2025-04-01.`,
      },
    ];
  if (isPeriodStart(layout.periodType, date)) return [];
  const suggestion = periodContaining(layout.periodType, date).start;
  return [
    {
      file,
      ...start.location,
      message: `Period start ${date} is not ${words.start}: template ${layout.code} is collected ${words.adverb}. Did you mean ${suggestion}?`,
    },
  ];
}

/** Problems with a template code, or none: it must be the layout's. */
function templateProblems(template: Located<string>, layout: ReturnLayout, file: string): Problem[] {
  const code = template.value.trim();
  if (code === layout.code) return [];
  return [
    {
      file,
      ...template.location,
      message:
        code === ''
          ? `The template code is empty: this is the ${layout.code} return (${layout.name}), so write ${layout.code}.`
          : `The file is for template "${code}", but this is the ${layout.code} return (${layout.name}). Choose the file for ${layout.code}, or download its template again.`,
    },
  ];
}

function odsCodeProblems(odsCode: Located<string>, file: string): Problem[] {
  const code = odsCode.value.trim().toUpperCase();
  if (odsCodePattern.test(code)) return [];
  return [
    {
      file,
      ...odsCode.location,
      message:
        code === ''
          ? 'The ODS code is empty: give your organisation’s ODS code, such as RJZ.'
          : `"${odsCode.value.trim()}" is not an ODS code: use 2 to 10 letters and digits, such as RJZ.`,
    },
  ];
}

/** The error thrown when a file has problems: all of them, and nothing is returned. */
export function formatSummary(format: ReturnFormat, file: string): string {
  return `${file} could not be read as a ${returnFormatLabels[format]} return.`;
}

/**
 * Applies the shared rules to what a reader found and returns the document, or adds every problem to
 * `problems` (and returns null): the template must be this one, the ODS code well formed (upper-cased),
 * the period start the first day of a period of the template's type, each item one of the template's and
 * given once, each value a finite number or blank (null).
 */
export function assembleReturn(
  raw: RawReturn,
  layout: ReturnLayout,
  file: string,
  problems: ProblemList,
): ReturnDocument | null {
  const before = problems.count;
  if (raw.template) problems.add(...templateProblems(raw.template, layout, file));
  if (raw.odsCode) problems.add(...odsCodeProblems(raw.odsCode, file));
  if (raw.periodStart) problems.add(...periodStartProblems(raw.periodStart, layout, file));

  const itemNames = new Map(layout.items.map((item) => [item.code, item.name]));
  const values: Record<string, number | null> = {};
  const explanations: Record<string, string> = {};
  const locations: ReturnDocument['locations'] = {};
  const firstPlace = new Map<string, string>();

  for (const entry of raw.entries) {
    const item = entry.item.trim();
    if (item === '') {
      problems.add({
        file,
        ...entry.itemLocation,
        message: `The item code is empty: give one of the item codes of template ${layout.code}, or remove the entry at ${entry.place}.`,
      });
      continue;
    }
    const explanation = entry.explanation?.value.trim() ?? '';
    const explainsCheck =
      !itemNames.has(item) &&
      checkCodePattern.test(item) &&
      entry.value.kind === 'blank' &&
      explanation !== '';
    if (!itemNames.has(item) && !explainsCheck) {
      problems.add({
        file,
        ...entry.itemLocation,
        message: `"${item}" is not an item of template ${layout.code} (${layout.name}): check the item code against the template, or remove it.${checkCodePattern.test(item) ? ' (To explain a check instead, leave the value blank and give the explanation.)' : ''}`,
      });
      continue;
    }
    const first = firstPlace.get(item);
    if (first !== undefined) {
      problems.add({
        file,
        ...entry.itemLocation,
        message: `Item ${item} is given twice, at ${first} and at ${entry.place}: keep one of them.`,
      });
      continue;
    }
    firstPlace.set(item, entry.place);
    if (explainsCheck) {
      explanations[item] = explanation;
      continue;
    }

    const value = judgeValue(entry.value);
    if (value.ok) values[item] = value.value;
    else if (entry.value.kind === 'refused')
      problems.add({ file, ...entry.valueLocation, message: entry.value.message });
    else
      problems.add({
        file,
        ...entry.valueLocation,
        message: `The value of ${item}${entry.value.kind === 'text' ? `, "${entry.value.text.trim()}",` : ''} ${value.reason}.`,
      });
    locations[item] = { file, ...entry.valueLocation };
    if (explanation !== '') explanations[item] = explanation;
  }

  for (const given of raw.explanations ?? []) {
    const text = given.text.trim();
    if (!itemNames.has(given.key) && !checkCodePattern.test(given.key))
      problems.add({
        file,
        ...given.location,
        message: `The explanation "${given.key}" names neither an item of template ${layout.code} nor a check: use the item code, or the check code shown with the warning.`,
      });
    else if (text !== '') explanations[given.key] = text;
  }

  if (raw.entries.length === 0)
    problems.add({
      file,
      message: `The file gives no items: give a value (or a blank) for each item of template ${layout.code}.`,
    });

  if (problems.count > before || !raw.template || !raw.odsCode || !raw.periodStart) return null;
  return {
    template: layout.code,
    odsCode: raw.odsCode.value.trim().toUpperCase(),
    periodStart: raw.periodStart.value.trim(),
    values,
    explanations,
    locations,
  };
}

function judgeValue(value: RawValue): { ok: true; value: number | null } | { ok: false; reason: string } {
  switch (value.kind) {
    case 'blank':
      return { ok: true, value: null };
    case 'number':
      return Number.isFinite(value.value)
        ? { ok: true, value: value.value }
        : { ok: false, reason: 'is not a finite number: check the figure' };
    case 'text':
      return parseNumberText(value.text);
    case 'refused':
      return { ok: false, reason: value.message };
  }
}

/**
 * Drops the apostrophe that exports put before text a spreadsheet would run as a formula (see
 * `csvCell`), so an exported explanation reads back as it was written.
 */
export function unescapeFormulaText(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/**
 * Checks, before writing, that a document fits its layout: writers never invent or drop figures, and an
 * explanation must be keyed by an item or a check code so that it reads back.
 */
export function checkWritable(doc: ReturnDocument, layout: ReturnLayout, format: ReturnFormat): void {
  const items = new Set(layout.items.map((item) => item.code));
  const problems: Problem[] = [];
  if (doc.template !== layout.code)
    problems.push({
      field: 'template',
      message: `The return is for template ${doc.template}, but the layout is ${layout.code}.`,
    });
  for (const item of Object.keys(doc.values))
    if (!items.has(item))
      problems.push({
        field: jsonPath(['values', item]),
        message: `${item} is not an item of template ${layout.code}.`,
      });
  for (const key of Object.keys(doc.explanations))
    if (!items.has(key) && !checkCodePattern.test(key))
      problems.push({
        field: jsonPath(['explanations', key]),
        message: `The explanation "${key}" names neither an item of ${layout.code} nor a check.`,
      });
  if (problems.length > 0)
    throw new AppError(
      'invalid-input',
      `This return cannot be written as ${returnFormatLabels[format]}.`,
      problems,
    );
}

/** The explanations of checks (keys that are not items), in a stable order, for the writers. */
export function checkExplanations(doc: ReturnDocument, layout: ReturnLayout): Array<[string, string]> {
  const items = new Set(layout.items.map((item) => item.code));
  return Object.entries(doc.explanations)
    .filter(([key, text]) => !items.has(key) && text.trim() !== '')
    .sort(([a], [b]) => a.localeCompare(b));
}
