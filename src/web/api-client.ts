import type { z } from 'zod';
import type {
  eventsResponseSchema,
  pathResponseSchema,
  profileResponseSchema,
  searchResponseSchema,
  successionsResponseSchema,
  treeResponseSchema,
} from '../api/organisations/organisation.schemas.js';
import type {
  catalogueResponseSchema,
  dashboardResponseSchema,
  importsResponseSchema,
  leagueResponseSchema,
  rollupResponseSchema,
} from '../api/metrics/metric.schemas.js';
import type { Problem } from '../domain/errors.js';

/** The web app's only way to the server: typed calls to the JSON API (types come from the API's schemas). */

export type TreeResponse = z.output<typeof treeResponseSchema>;
export type TreeNode = TreeResponse['root'];
export type ProfileResponse = z.output<typeof profileResponseSchema>;
export type OrganisationSummary = ProfileResponse['organisation'];
export type PathResponse = z.output<typeof pathResponseSchema>;
export type EventsResponse = z.output<typeof eventsResponseSchema>;
export type HierarchyEventBody = EventsResponse['events'][number];
export type SearchResponse = z.output<typeof searchResponseSchema>;
export type SuccessionsResponse = z.output<typeof successionsResponseSchema>;
export type CatalogueResponse = z.output<typeof catalogueResponseSchema>;
export type MetricBody = CatalogueResponse['metrics'][number];
export type RollupResponse = z.output<typeof rollupResponseSchema>;
export type SeriesPoint = RollupResponse['series'][number]['points'][number];
export type LeagueResponse = z.output<typeof leagueResponseSchema>;
export type DashboardResponse = z.output<typeof dashboardResponseSchema>;
export type ImportsResponse = z.output<typeof importsResponseSchema>;

export interface SeriesParams {
  org?: string;
  from?: string;
  to?: string;
  period?: 'month' | 'quarter' | 'financial-year';
  structure?: 'as-at-period' | 'as-at' | 'as-now';
  asAt?: string;
}

export interface MetaResponse {
  meta: { demoData: boolean; notice: string | null };
  service: string;
  version: string;
  engine: 'pglite' | 'postgres';
  today: string;
  organisations: Record<string, number>;
  hierarchyEvents: number;
  successions: number;
}

/** A failed API call, carrying the server's message and located problems for the error summary. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('The service could not be reached. Check your connection and try again.', 0, []);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { message?: string; problems?: Problem[] } } | null)?.error;
    throw new ApiError(
      error?.message ?? `The service answered ${response.status}.`,
      response.status,
      error?.problems ?? [],
    );
  }
  return body as T;
}

export const api = {
  meta: (signal?: AbortSignal) => getJson<MetaResponse>('/api/meta', signal),
  tree: (
    params: { asAt?: string; root?: string; depth?: number; structure?: 'as-at' | 'as-now' },
    signal?: AbortSignal,
  ) => getJson<TreeResponse>(`/api/hierarchy/tree${query(params)}`, signal),
  organisation: (code: string, asAt: string | undefined, signal?: AbortSignal) =>
    getJson<ProfileResponse>(`/api/organisations/${encodeURIComponent(code)}${query({ asAt })}`, signal),
  successors: (code: string, signal?: AbortSignal) =>
    getJson<SuccessionsResponse>(`/api/organisations/${encodeURIComponent(code)}/successors`, signal),
  organisationEvents: (code: string, signal?: AbortSignal) =>
    getJson<EventsResponse>(
      `/api/organisations/${encodeURIComponent(code)}/events${query({ limit: 200 })}`,
      signal,
    ),
  search: (
    params: { q: string; asAt?: string; kind?: string; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) => getJson<SearchResponse>(`/api/organisations${query(params)}`, signal),
  timeline: (
    params: { from?: string; to?: string; type?: string; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) => getJson<EventsResponse>(`/api/hierarchy/events${query(params)}`, signal),
  metrics: (signal?: AbortSignal) => getJson<CatalogueResponse>('/api/metrics', signal),
  series: (code: string, params: SeriesParams, signal?: AbortSignal) =>
    getJson<RollupResponse>(`/api/metrics/${encodeURIComponent(code)}/series${query({ ...params })}`, signal),
  seriesCsvUrl: (code: string, params: SeriesParams) =>
    `/api/metrics/${encodeURIComponent(code)}/series.csv${query({ ...params })}`,
  rollup: (params: SeriesParams & { metrics: string }, signal?: AbortSignal) =>
    getJson<RollupResponse>(`/api/rollup${query({ ...params })}`, signal),
  league: (
    code: string,
    params: { period: string; level: string; periodType?: string },
    signal?: AbortSignal,
  ) => getJson<LeagueResponse>(`/api/metrics/${encodeURIComponent(code)}/league${query(params)}`, signal),
  leagueCsvUrl: (code: string, params: { period: string; level: string; periodType?: string }) =>
    `/api/metrics/${encodeURIComponent(code)}/league.csv${query(params)}`,
  dashboard: (params: { org: string; metrics?: string; from?: string; to?: string }, signal?: AbortSignal) =>
    getJson<DashboardResponse>(`/api/dashboard${query({ ...params })}`, signal),
  imports: (signal?: AbortSignal) => getJson<ImportsResponse>('/api/imports', signal),
};
