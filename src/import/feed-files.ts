import { PassThrough } from 'node:stream';
import { AppError } from '../domain/errors.js';
import type { FeedFileOpener } from '../domain/feed.js';
import { openUrlSource } from './sources.js';
import { openStatisticsFile } from './statistics-files.js';

/**
 * Fetches a feed's published file and opens it for import: the fetch-and-parse half of a feed run,
 * injected into services/feed.service.ts by its callers (services may not use src/import).
 */
export const openFeedFile: FeedFileOpener = async (request) => {
  const fetched = await openUrlSource(request.url, request.timeoutMs);
  const label = fetched.csv.label;
  const limit =
    request.timeoutMs >= 1000 ? `${Math.round(request.timeoutMs / 1000)} s` : `${request.timeoutMs} ms`;
  // A connection that fails or times out part-way is a located problem with the file, not a crash.
  const guarded = new PassThrough();
  fetched.csv.stream.on('error', (error: Error) =>
    guarded.destroy(
      new AppError('invalid-file', `Reading ${request.url} stopped part-way; nothing was imported.`, [
        {
          file: label,
          message: `The download stopped (${error.name === 'TimeoutError' ? `it took longer than ${limit}` : error.message}). Try again later.`,
        },
      ]),
    ),
  );
  fetched.csv.stream.pipe(guarded);
  const total = fetched.csv.sizeBytes ?? null;
  try {
    const file = await openStatisticsFile(
      { ...fetched.csv, stream: guarded },
      request.source,
      request.onBytes ? (bytes) => request.onBytes?.(bytes, total) : undefined,
    );
    return {
      file,
      fileName: label,
      url: request.url,
      digest: fetched.digest,
      discard: () => {
        fetched.close();
        guarded.destroy();
      },
    };
  } catch (error) {
    fetched.close();
    guarded.destroy();
    throw error;
  }
};
