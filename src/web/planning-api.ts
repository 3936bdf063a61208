import type { z } from 'zod';
import type {
  envelopeBodySchema,
  envelopeResponseSchema,
  planResponseSchema,
  planVsActualResponseSchema,
  planWithVersionsResponseSchema,
  roundResponseSchema,
  roundsResponseSchema,
  roundSummaryResponseSchema,
  systemPlanResponseSchema,
} from '../api/planning/planning.schemas.js';
import type { Problem } from '../domain/errors.js';
import type { PlanContent } from '../domain/planning.js';
import type { ReturnStep } from '../domain/return-workflow.js';
import { api, ApiError } from './api-client.js';

/** The web app's calls to the planning API: rounds, plans and their steps, envelopes, systems, plan v actual. */

export type RoundsResponse = z.output<typeof roundsResponseSchema>;
export type PlanningRoundBody = RoundsResponse['rounds'][number];
export type RoundResponse = z.output<typeof roundResponseSchema>;
export type PlanWithVersions = z.output<typeof planWithVersionsResponseSchema>['plan'];
export type PlanBody = z.output<typeof planResponseSchema>['plan'];
export type PlanImpact = NonNullable<PlanBody['impact']>;
export type SystemPlanResponse = z.output<typeof systemPlanResponseSchema>;
export type SystemMember = SystemPlanResponse['members'][number];
export type FlowMismatch = SystemPlanResponse['mismatches'][number];
export type SystemDriverBody = SystemPlanResponse['position']['drivers'][number];
export type RoundSummaryResponse = z.output<typeof roundSummaryResponseSchema>;
export type RoundSystemRow = RoundSummaryResponse['systems'][number];
export type PlanVsActualResponse = z.output<typeof planVsActualResponseSchema>;
export type VariancePoint = PlanVsActualResponse['items'][number]['series'][number];
export type EnvelopeBody = z.input<typeof envelopeBodySchema>;
export type EnvelopeResponse = z.output<typeof envelopeResponseSchema>;

/** A plan as the form sends it: every item's 12 months (null where blank) and the flows. */
export interface PlanSaveBody {
  content: PlanContent;
  submit: boolean;
  reason?: string;
}

const path = (...parts: string[]) => `/api/planning/${parts.map(encodeURIComponent).join('/')}`;

/**
 * The same request as api-client's (JSON, same-origin cookie, the server's message and located problems as
 * an ApiError), which keeps its helpers to itself. Changes send the session's CSRF token, read fresh from
 * the session endpoint so this module needs no copy of it.
 */
async function request<T>(method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown, signal?: AbortSignal) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const { csrfToken } = await api.session(signal);
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError('The service could not be reached. Check your connection and try again.', 0, []);
  }
  const answer: unknown = await response.json().catch(() => null);
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

export const planningApi = {
  rounds: (signal?: AbortSignal) => request<RoundsResponse>('GET', path('rounds'), undefined, signal),
  round: (round: string, signal?: AbortSignal) =>
    request<RoundResponse>('GET', path('rounds', round), undefined, signal),
  summary: (round: string, area: string, signal?: AbortSignal) =>
    request<RoundSummaryResponse>('GET', path('rounds', round, 'summary', area), undefined, signal),
  system: (round: string, icb: string, signal?: AbortSignal) =>
    request<SystemPlanResponse>('GET', path('rounds', round, 'systems', icb), undefined, signal),
  plan: (round: string, org: string, signal?: AbortSignal) =>
    request<{ plan: PlanWithVersions }>('GET', path('rounds', round, 'plans', org), undefined, signal),
  savePlan: (round: string, org: string, body: PlanSaveBody) =>
    request<{ plan: PlanBody }>('PUT', path('rounds', round, 'plans', org), body),
  /** Approve, accept, lock, or return for correction (with a reason). */
  advancePlan: (round: string, org: string, step: ReturnStep, reason?: string) =>
    request<{ plan: PlanBody }>('POST', path('rounds', round, 'plans', org, step), reason ? { reason } : {}),
  setEnvelope: (round: string, icb: string, body: EnvelopeBody) =>
    request<EnvelopeResponse>('PUT', path('rounds', round, 'envelopes', icb), body),
  variance: (round: string, org: string, signal?: AbortSignal) =>
    request<PlanVsActualResponse>('GET', path('rounds', round, 'variance', org), undefined, signal),
};
