import { useEffect, useState } from 'react';
import { ApiError } from './api-client.js';

export type ApiState<T> =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; data: T };

/**
 * Loads data for a page; a newer request (changed deps) cancels the older one. The result is kept
 * with the deps it was loaded for, so a page shows "loading" again as soon as its deps change.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): ApiState<T> {
  const key = JSON.stringify(deps);
  const [result, setResult] = useState<{ key: string; state: ApiState<T> } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setResult({ key, state: { status: 'ready', data } }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({
          key,
          state: {
            status: 'error',
            error: error instanceof ApiError ? error : new ApiError(String(error), 0, []),
          },
        });
      },
    );
    return () => controller.abort();
    // The caller lists what the request depends on; `key` is those deps.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result && result.key === key ? result.state : { status: 'loading' };
}
