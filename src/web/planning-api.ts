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
import type { PlanContent } from '../domain/planning.js';
import type { ReturnStep } from '../domain/return-workflow.js';
import { apiRequest } from './api-client.js';

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

export const planningApi = {
  rounds: (signal?: AbortSignal) => apiRequest<RoundsResponse>('GET', path('rounds'), undefined, signal),
  round: (round: string, signal?: AbortSignal) =>
    apiRequest<RoundResponse>('GET', path('rounds', round), undefined, signal),
  summary: (round: string, area: string, signal?: AbortSignal) =>
    apiRequest<RoundSummaryResponse>('GET', path('rounds', round, 'summary', area), undefined, signal),
  system: (round: string, icb: string, signal?: AbortSignal) =>
    apiRequest<SystemPlanResponse>('GET', path('rounds', round, 'systems', icb), undefined, signal),
  plan: (round: string, org: string, signal?: AbortSignal) =>
    apiRequest<{ plan: PlanWithVersions }>('GET', path('rounds', round, 'plans', org), undefined, signal),
  savePlan: (round: string, org: string, body: PlanSaveBody) =>
    apiRequest<{ plan: PlanBody }>('PUT', path('rounds', round, 'plans', org), body),
  /** Approve, accept, lock, or return for correction (with a reason). */
  advancePlan: (round: string, org: string, step: ReturnStep, reason?: string) =>
    apiRequest<{ plan: PlanBody }>(
      'POST',
      path('rounds', round, 'plans', org, step),
      reason ? { reason } : {},
    ),
  setEnvelope: (round: string, icb: string, body: EnvelopeBody) =>
    apiRequest<EnvelopeResponse>('PUT', path('rounds', round, 'envelopes', icb), body),
  variance: (round: string, org: string, signal?: AbortSignal) =>
    apiRequest<PlanVsActualResponse>('GET', path('rounds', round, 'variance', org), undefined, signal),
};
