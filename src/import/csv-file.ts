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
 * Streams a CSV file: returns its header (trimmed, lower-cased) and its rows in batches. A row's
 * number is its record number with the header as row 1, as a spreadsheet numbers it (a quoted cell
 * with a line break does not shift later rows). Empty lines are skipped; a row with the wrong number
 * of cells, a bad quote or non-UTF-8 bytes stops the read with a located error.
 */
export async function openCsv(
  source: CsvSource,
  onBytes?: (bytes: number) => void,
): Promise<{
  header: string[];
  rawHeader: string[];
  batches: AsyncIterable<CsvRow[]>;
  rows: AsyncIterable<CsvRow>;
}> {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_quotes: false, trim: false });
  const decoded = source.stream.pipe(new Utf8Decoder(source.label, onBytes));
  source.stream.on('error', (error) => parser.destroy(error));
  decoded.on('error', (error) => parser.destroy(error));
  decoded.pipe(parser);

  let ended = false;
  let failure: unknown = null;
  parser.on('end', () => {
    ended = true;
  });
  parser.on('error', (error) => {
    failure = error;
  });
  const translate = (error: unknown): never => {
    if (error instanceof AppError) throw error;
    if (error instanceof CsvError) throw csvErrorToAppError(source.label, error);
    throw error;
  };
  /** Everything the parser has ready, waiting for more when it has none (records are drained in bulk, not one await each). */
  const nextRecords = async (): Promise<string[][] | null> => {
    for (;;) {
      if (failure) translate(failure);
      const records: string[][] = [];
      for (
        let record = parser.read() as string[] | null;
        record !== null;
        record = parser.read() as string[] | null
      ) {
        records.push(record);
      }
      if (records.length > 0) return records;
      if (ended) return null;
      await new Promise<void>((resolve) => {
        const done = () => {
          parser.off('readable', done);
          parser.off('end', done);
          parser.off('error', done);
          resolve();
        };
        parser.once('readable', done);
        parser.once('end', done);
        parser.once('error', done);
      });
    }
  };

  const firstRecords = await nextRecords();
  const headerRecord = firstRecords?.[0];
  if (!firstRecords || !headerRecord) {
    throw new AppError('invalid-file', `${source.label} is empty.`, [
      { file: source.label, message: 'The selected file is empty. Choose the file again.' },
    ]);
  }
  const rawHeader = headerRecord.map((cell) => cell.trim());
  const header = rawHeader.map((cell) => cell.toLowerCase());
  let line = 1;
  const toRow = (record: string[]): CsvRow => {
    line += 1;
    const values = new Array<string>(record.length);
    const cells: Record<string, string> = {};
    for (let index = 0; index < record.length; index += 1) {
      const value = (record[index] ?? '').trim();
      values[index] = value;
      const column = header[index];
      if (column !== undefined) cells[column] = value;
    }
    return { line, cells, values };
  };

  async function* batches(): AsyncGenerator<CsvRow[]> {
    const rest = firstRecords?.slice(1) ?? [];
    if (rest.length > 0) yield rest.map(toRow);
    for (let records = await nextRecords(); records !== null; records = await nextRecords()) {
      yield records.map(toRow);
    }
  }
  const batchIterable = batches();
  async function* rows(): AsyncGenerator<CsvRow> {
    for await (const batch of batchIterable) yield* batch;
  }
  return { header, rawHeader, batches: batchIterable, rows: rows() };
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
