import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../domain/errors.js';
import { csvSourceFromPath, type CsvSource } from './csv-file.js';

/** Where an imported file came from, and a SHA-256 of its bytes once it has been read. */
export interface FetchedSource {
  csv: CsvSource;
  url: string | null;
  digest(): string;
  /** Stops reading and lets go of the file or connection (a read abandoned part-way). */
  close(): void;
}

function hashing(source: CsvSource): { csv: CsvSource; digest(): string; close(): void } {
  const hash = createHash('sha256');
  const pass = new PassThrough();
  source.stream.on('data', (chunk: Buffer) => hash.update(chunk));
  source.stream.on('error', (error) => pass.destroy(error));
  source.stream.pipe(pass);
  let digest: string | null = null;
  return {
    csv: { ...source, stream: pass },
    digest: () => (digest ??= hash.digest('hex')),
    close: () => {
      source.stream.destroy();
      pass.destroy();
    },
  };
}

export function openFileSource(path: string): FetchedSource {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new Error('not a file');
    size = stats.size;
  } catch {
    throw new AppError('invalid-input', `Cannot read ${path}: there is no such file. Check the path.`, [
      { file: path, message: 'The selected file could not be found.' },
    ]);
  }
  return { ...hashing(csvSourceFromPath(path, size)), url: null };
}

/** Fetches a published file over HTTP(S), streaming it; a non-200 answer is refused with what the server said. */
export async function openUrlSource(url: string, timeoutMs = 10 * 60_000): Promise<FetchedSource> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new AppError('invalid-input', `"${url}" is not an http:// or https:// address.`, [
      { field: 'source', message: 'Give a file path or a web address.' },
    ]);
  }
  let response: Response;
  try {
    response = await fetch(parsed, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new AppError(
      'invalid-input',
      `Could not fetch ${url}: ${(error as Error).message}. Check the address and the network.`,
    );
  }
  if (!response.ok || !response.body) {
    // Let go of the connection: the body of an error answer is not read.
    await response.body?.cancel().catch(() => undefined);
    throw new AppError(
      'invalid-input',
      `The server answered ${response.status} ${response.statusText} for ${url}; nothing was imported.`,
    );
  }
  const length = Number(response.headers.get('content-length') ?? '');
  const stream = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const label = basename(parsed.pathname) || parsed.hostname;
  return {
    ...hashing({ label, stream, ...(Number.isFinite(length) && length > 0 ? { sizeBytes: length } : {}) }),
    url,
  };
}

/** A path or a web address. */
export async function openSource(pathOrUrl: string): Promise<FetchedSource> {
  return /^https?:\/\//i.test(pathOrUrl) ? openUrlSource(pathOrUrl) : openFileSource(pathOrUrl);
}
