import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { AppError, type Problem } from '../domain/errors.js';

/** One data row of a CSV file: its 1-based line number (the header is line 1) and its cells by column. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
  /** The cells in file order, for files whose first line is not a header. */
  values: string[];
}

export interface CsvSource {
  /** What to call the file in messages, usually its base name. */
  label: string;
  stream: Readable;
  /** Total size in bytes when known, for progress. */
  sizeBytes?: number;
}

export function csvSourceFromPath(path: string, sizeBytes?: number): CsvSource {
  return { label: basename(path), stream: createReadStream(path), ...(sizeBytes ? { sizeBytes } : {}) };
}

/** Refuses bytes that are not UTF-8 (e.g. a spreadsheet saved as "CSV (Windows)") instead of storing mojibake. */
class Utf8Decoder extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private bytes = 0;
  constructor(
    private readonly label: string,
    private readonly onBytes?: (bytes: number) => void,
  ) {
    super({ readableObjectMode: false, decodeStrings: true });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.bytes += chunk.length;
      this.onBytes?.(this.bytes);
      callback(null, text);
    } catch {
      callback(notUtf8(this.label));
    }
  }
  override _flush(callback: TransformCallback): void {
    try {
      callback(null, this.decoder.decode());
    } catch {
      callback(notUtf8(this.label));
    }
  }
}

function notUtf8(label: string): AppError {
  return new AppError('invalid-file', `${label} is not UTF-8 text.`, [
    {
      file: label,
      message: 'The selected file must be a CSV saved with UTF-8 encoding ("CSV UTF-8" in Excel).',
    },
  ]);
}

function csvErrorToAppError(label: string, error: CsvError): AppError {
  const record = error as CsvError & { lines?: number };
  const problem: Problem = {
    file: label,
    ...(record.lines !== undefined ? { row: record.lines } : {}),
    message:
      error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'This row has a different number of cells from the header. Check for a missing or extra comma, or an unclosed quote.'
        : error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'A quoted cell is not closed. Check the quote marks on this row.'
          : `The file could not be read as CSV: ${error.message}`,
  };
  return new AppError('invalid-file', `${label} is not a valid CSV file.`, [problem]);
}

/**
 * Streams a CSV file: returns its header (trimmed, lower-cased) and its rows with line numbers.
 * Empty lines are skipped; a row with the wrong number of cells, a bad quote or non-UTF-8 bytes stops
 * the read with a located error.
 */
export async function openCsv(
  source: CsvSource,
  onBytes?: (bytes: number) => void,
): Promise<{ header: string[]; rawHeader: string[]; rows: AsyncIterable<CsvRow> }> {
  const parser = parse({ bom: true, skip_empty_lines: true, info: true, relax_quotes: false, trim: false });
  const decoded = source.stream.pipe(new Utf8Decoder(source.label, onBytes));
  source.stream.on('error', (error) => parser.destroy(error));
  decoded.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);

  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const translate = (error: unknown): never => {
    if (error instanceof AppError) throw error;
    if (error instanceof CsvError) throw csvErrorToAppError(source.label, error);
    throw error;
  };
  const first = await iterator.next().catch(translate);
  if (first.done) {
    throw new AppError('invalid-file', `${source.label} is empty.`, [
      { file: source.label, message: 'The selected file is empty. Choose the file again.' },
    ]);
  }
  const rawHeader = first.value.record.map((cell) => cell.trim());
  const header = rawHeader.map((cell) => cell.toLowerCase());

  async function* rows(): AsyncGenerator<CsvRow> {
    for (;;) {
      const next = await iterator.next().catch(translate);
      if (next.done) return;
      const cells: Record<string, string> = {};
      header.forEach((column, index) => {
        cells[column] = (next.value.record[index] ?? '').trim();
      });
      yield { line: next.value.info.lines, cells, values: next.value.record.map((cell) => cell.trim()) };
    }
  }
  return { header, rawHeader, rows: rows() };
}

/** Reads a whole (small) CSV file into memory. */
export async function readCsv(
  source: CsvSource,
): Promise<{ header: string[]; rawHeader: string[]; rows: CsvRow[] }> {
  const { header, rawHeader, rows } = await openCsv(source);
  const all: CsvRow[] = [];
  for await (const row of rows) all.push(row);
  return { header, rawHeader, rows: all };
}

/** Problems for columns a file must have but does not. */
export function missingColumns(label: string, header: string[], required: readonly string[]): Problem[] {
  const missing = required.filter((column) => !header.includes(column));
  return missing.length === 0
    ? []
    : [
        {
          file: label,
          row: 1,
          message: `The header is missing column(s) ${missing.join(', ')}. The selected file must use the template: ${required.join(', ')}.`,
        },
      ];
}
