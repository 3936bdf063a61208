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
  memberFiguresResponseSchema,
  peerGroupsResponseSchema,
  reportResponseSchema,
  rollupResponseSchema,
  spcResponseSchema,
} from '../api/metrics/metric.schemas.js';
import type { benchmarkPeerKinds, benchmarkResponseSchema } from '../api/metrics/benchmark.schemas.js';
import type {
  accountSchema,
  auditResponseSchema,
  auditVerifyResponseSchema,
  newTokenResponseSchema,
  sessionResponseSchema,
  tokensResponseSchema,
  usersResponseSchema,
} from '../api/access/access.schemas.js';
import type {
  submissionHistoryResponseSchema,
  submissionSchema,
  submissionsResponseSchema,
  submissionVersionsResponseSchema,
} from '../api/submissions/submission.schemas.js';
import type {
  judgementBodySchema,
  methodologiesResponseSchema,
  segmentsResponseSchema,
  systemResponseSchema,
} from '../api/oversight/oversight.schemas.js';
import type {
  coverageResponseSchema,
  inboxResponseSchema,
  burdenResponseSchema,
  lineageResponseSchema,
  templatesResponseSchema,
} from '../api/templates/template.schemas.js';
import type { Problem } from '../domain/errors.js';
import type { ReturnFormat } from '../domain/return-document.js';
import type { ReturnStep } from '../domain/return-workflow.js';

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
export type MemberFiguresResponse = z.output<typeof memberFiguresResponseSchema>;
export type SpcResponse = z.output<typeof spcResponseSchema>;
export type ReportResponse = z.output<typeof reportResponseSchema>;
export type BenchmarkResponse = z.output<typeof benchmarkResponseSchema>;
export type BenchmarkStanding = BenchmarkResponse['national'];
export type BenchmarkPeerKind = (typeof benchmarkPeerKinds)[number];
export type PeerGroupsResponse = z.output<typeof peerGroupsResponseSchema>;
export type SegmentsResponse = z.output<typeof segmentsResponseSchema>;
export type SegmentRow = SegmentsResponse['rows'][number];
export type SystemResponse = z.output<typeof systemResponseSchema>;
export type MethodologiesResponse = z.output<typeof methodologiesResponseSchema>;
export type JudgementBody = z.input<typeof judgementBodySchema>;
export type TemplatesResponse = z.output<typeof templatesResponseSchema>;
export type CollectionTemplateBody = TemplatesResponse['templates'][number];
export type LineageResponse = z.output<typeof lineageResponseSchema>;
export type BurdenResponse = z.output<typeof burdenResponseSchema>;
export type InboxResponse = z.output<typeof inboxResponseSchema>;
export type CoverageResponse = z.output<typeof coverageResponseSchema>;

/** Which segmentation: a methodology (and version), trusts or ICBs, and a quarter. */
export interface SegmentsParams {
  methodology?: string;
  version?: number;
  level?: 'nhs-trust' | 'icb';
  period?: string;
  until?: string;
  org?: string;
}

/** The benchmark request: an organisation, a period and a way of choosing peers. */
export interface BenchmarkParams {
  org: string;
  period?: string;
  periodType?: 'month' | 'quarter' | 'financial-year';
  peers?: BenchmarkPeerKind;
  sizeMetric?: string;
  group?: string;
  /** Comma-separated metric codes. */
  attributes?: string;
  k?: number;
}

export type SessionResponse = z.output<typeof sessionResponseSchema>;
export type Account = z.output<typeof accountSchema>;
export type UsersResponse = z.output<typeof usersResponseSchema>;
export type TokensResponse = z.output<typeof tokensResponseSchema>;
export type MachineToken = TokensResponse['tokens'][number];
export type NewTokenResponse = z.output<typeof newTokenResponseSchema>;
export type AuditResponse = z.output<typeof auditResponseSchema>;
export type AuditEvent = AuditResponse['events'][number];
export type AuditVerifyResponse = z.output<typeof auditVerifyResponseSchema>;
export type Submission = z.output<typeof submissionSchema>;
export type SubmissionsResponse = z.output<typeof submissionsResponseSchema>;
export type SubmissionHistoryResponse = z.output<typeof submissionHistoryResponseSchema>;
export type SubmissionVersionsResponse = z.output<typeof submissionVersionsResponseSchema>;
export type SubmissionVersion = SubmissionVersionsResponse['versions'][number];
export type ReturnWarning = Submission['warnings'][number];

/** A return as the form sends it: every item of the template, null where left blank. */
export interface SubmissionBody {
  template: string;
  organisation: string;
  periodStart: string;
  statutoryFunction?: string | null;
  values: Record<string, number | null>;
  explanations?: Record<string, string>;
  submit: boolean;
  reason?: string;
  /** How the values were entered; the versions of a return say so. */
  source?: 'json' | 'web';
}

/** A return file as the upload sends it: the file's bytes, what it is a return of, and whether to submit. */
export interface SubmissionUpload {
  template: string;
  fileName: string;
  submit: boolean;
  reason?: string;
}

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

/** Any failure as an ApiError, so pages show every error the same way. */
export function toApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(String(caught), 0, []);
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

// The signed-in session's CSRF token, sent with every change (the session module keeps it current).
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>('GET', path, undefined, signal);
}

async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return requestJson<T>(method, path, body);
}

/** Bytes sent as they are (an uploaded file), not as JSON. */
class RawBody {
  constructor(readonly bytes: ArrayBuffer) {}
}

async function requestJson<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined)
    headers['content-type'] = body instanceof RawBody ? 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: body instanceof RawBody ? body.bytes : JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('The service could not be reached. Check your connection and try again.', 0, []);
  }
  const answer: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = (answer as { error?: { message?: string; problems?: Problem[] } } | null)?.error;
    throw new ApiError(
      error?.message ?? `The service answered ${response.status}.`,
      response.status,
      error?.problems ?? [],
    );
  }
  return answer as T;
}

/**
 * One JSON request to any resource of the API, for the web app's feature modules (interventions, standards,
 * programmes, governance, mutual aid): the same errors, cookie and CSRF token as every other call.
 */
export function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return requestJson<T>(method, path, body, signal);
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
  dashboard: (
    params: { org: string; metrics?: string; from?: string; to?: string; until?: string },
    signal?: AbortSignal,
  ) => getJson<DashboardResponse>(`/api/dashboard${query({ ...params })}`, signal),
  imports: (signal?: AbortSignal) => getJson<ImportsResponse>('/api/imports', signal),
  report: (params: { org: string; until?: string }, signal?: AbortSignal) =>
    getJson<ReportResponse>(`/api/report${query({ ...params })}`, signal),
  reportPdfUrl: (params: { org: string; until?: string }) => `/api/report.pdf${query({ ...params })}`,
  spc: (code: string, params: SeriesParams & { rebase?: string }, signal?: AbortSignal) =>
    getJson<SpcResponse>(`/api/metrics/${encodeURIComponent(code)}/spc${query({ ...params })}`, signal),
  benchmark: (code: string, params: BenchmarkParams, signal?: AbortSignal) =>
    getJson<BenchmarkResponse>(
      `/api/metrics/${encodeURIComponent(code)}/benchmark${query({ ...params })}`,
      signal,
    ),
  peerGroups: (signal?: AbortSignal) => getJson<PeerGroupsResponse>('/api/peer-groups', signal),
  methodologies: (signal?: AbortSignal) =>
    getJson<MethodologiesResponse>('/api/oversight/methodologies', signal),
  segments: (params: SegmentsParams, signal?: AbortSignal) =>
    getJson<SegmentsResponse>(`/api/oversight/segments${query({ ...params })}`, signal),
  systemOversight: (
    params: { org: string; methodology?: string; period?: string; until?: string },
    signal?: AbortSignal,
  ) => getJson<SystemResponse>(`/api/oversight/system${query({ ...params })}`, signal),
  templates: (signal?: AbortSignal) => getJson<TemplatesResponse>('/api/templates', signal),
  lineage: (signal?: AbortSignal) => getJson<LineageResponse>('/api/data-items/lineage', signal),
  coverage: (code: string, period: string | undefined, signal?: AbortSignal) =>
    getJson<CoverageResponse>(
      `/api/templates/${encodeURIComponent(code)}/coverage${query({ period })}`,
      signal,
    ),
  inbox: (code: string, signal?: AbortSignal) =>
    getJson<InboxResponse>(`/api/organisations/${encodeURIComponent(code)}/inbox`, signal),
  burden: (code: string, year: string | undefined, signal?: AbortSignal) =>
    getJson<BurdenResponse>(
      `/api/organisations/${encodeURIComponent(code)}/burden${query({ year })}`,
      signal,
    ),
  recordJudgement: (body: JudgementBody) =>
    sendJson<{ row: SegmentRow }>('POST', '/api/oversight/judgements', body),
  memberFigures: (params: { org: string; asAt?: string; metrics?: string }, signal?: AbortSignal) =>
    getJson<MemberFiguresResponse>(`/api/dashboard/members${query({ ...params })}`, signal),
  session: (signal?: AbortSignal) => getJson<SessionResponse>('/api/session', signal),
  signIn: (body: { email: string; password: string }) =>
    sendJson<SessionResponse>('POST', '/api/session', body),
  signOut: () => sendJson<null>('POST', '/api/session/sign-out'),
  setUp: (body: { email: string; name: string; password: string }) =>
    sendJson<SessionResponse>('POST', '/api/setup', body),
  users: (signal?: AbortSignal) => getJson<UsersResponse>('/api/users', signal),
  user: (id: number, signal?: AbortSignal) => getJson<Account>(`/api/users/${id}`, signal),
  createUser: (body: { email: string; name: string; password?: string; isAdmin?: boolean }) =>
    sendJson<Account>('POST', '/api/users', body),
  setUserDisabled: (id: number, disabled: boolean) =>
    sendJson<Account>('POST', `/api/users/${id}/disabled`, { disabled }),
  grantRole: (id: number, body: { role: string; scope?: string }) =>
    sendJson<Account>('POST', `/api/users/${id}/roles`, body),
  revokeRole: (id: number, grantId: number) =>
    sendJson<Account>('DELETE', `/api/users/${id}/roles/${grantId}`),
  grantFunction: (id: number, fn: string) =>
    sendJson<Account>('POST', `/api/users/${id}/functions`, { function: fn }),
  revokeFunction: (id: number, grantId: number) =>
    sendJson<Account>('DELETE', `/api/users/${id}/functions/${grantId}`),
  tokens: (signal?: AbortSignal) => getJson<TokensResponse>('/api/tokens', signal),
  createToken: (body: { name: string; organisation: string; templates: string[] }) =>
    sendJson<NewTokenResponse>('POST', '/api/tokens', body),
  revokeToken: (id: number) => sendJson<MachineToken>('POST', `/api/tokens/${id}/revoke`),
  audit: (
    params: { user?: number; recordType?: string; recordId?: string; before?: number; limit?: number },
    signal?: AbortSignal,
  ) => getJson<AuditResponse>(`/api/audit${query({ ...params })}`, signal),
  verifyAudit: () => getJson<AuditVerifyResponse>('/api/audit/verify'),
  submissions: (params: { org?: string }, signal?: AbortSignal) =>
    getJson<SubmissionsResponse>(`/api/submissions${query(params)}`, signal),
  submission: (id: number, signal?: AbortSignal) => getJson<Submission>(`/api/submissions/${id}`, signal),
  submissionHistory: (id: number, signal?: AbortSignal) =>
    getJson<SubmissionHistoryResponse>(`/api/submissions/${id}/history`, signal),
  submissionVersions: (id: number, signal?: AbortSignal) =>
    getJson<SubmissionVersionsResponse>(`/api/submissions/${id}/versions`, signal),
  saveSubmission: (body: SubmissionBody) => sendJson<Submission>('PUT', '/api/submissions', body),
  uploadSubmission: (upload: SubmissionUpload, bytes: ArrayBuffer) =>
    sendJson<Submission>(
      'POST',
      `/api/submissions/upload${query({ ...upload, submit: String(upload.submit) })}`,
      new RawBody(bytes),
    ),
  /** Approve, accept, lock, or return for correction (with a reason). */
  advanceSubmission: (id: number, step: ReturnStep, reason?: string) =>
    sendJson<Submission>('POST', `/api/submissions/${id}/${step}`, reason ? { reason } : {}),
  publishSubmission: (id: number) => sendJson<Submission>('POST', `/api/submissions/${id}/publish`),
  submissionExportUrl: (id: number, format: ReturnFormat, version?: number) =>
    `/api/submissions/${id}/export${query({ format, version })}`,
  blankTemplateUrl: (code: string, params: { format: ReturnFormat; org: string; period: string }) =>
    `/api/templates/${encodeURIComponent(code)}/download${query(params)}`,
};
