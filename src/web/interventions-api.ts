import type { z } from 'zod';
import type {
  chainResponseSchema,
  interventionResponseSchema,
  interventionsResponseSchema,
} from '../api/interventions/intervention.schemas.js';
import { apiRequest } from './api-client.js';

/** The web app's calls to the interventions register and the signal chain. */

export type InterventionsResponse = z.output<typeof interventionsResponseSchema>;
export type InterventionSummaryBody = InterventionsResponse['interventions'][number];
export type InterventionBody = z.output<typeof interventionResponseSchema>['intervention'];
export type ChainBody = z.output<typeof chainResponseSchema>['chain'];

const query = (params: Record<string, string | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
};
const one = (id: number | string) => `/api/interventions/${encodeURIComponent(String(id))}`;

export const interventionsApi = {
  list: (params: { organisation?: string; programme?: string; status?: string }, signal?: AbortSignal) =>
    apiRequest<InterventionsResponse>('GET', `/api/interventions${query(params)}`, undefined, signal),
  get: (id: number | string, signal?: AbortSignal) =>
    apiRequest<{ intervention: InterventionBody }>('GET', one(id), undefined, signal),
  record: (body: unknown) =>
    apiRequest<{ intervention: InterventionBody }>('POST', '/api/interventions', body),
  review: (id: number, body: { reviewedOn: string; outcome: string; nextReview: string | null }) =>
    apiRequest<{ intervention: InterventionBody }>('POST', `${one(id)}/reviews`, body),
  addAction: (id: number, body: { description: string; owner: string; due: string }) =>
    apiRequest<{ intervention: InterventionBody }>('POST', `${one(id)}/actions`, body),
  actionDone: (id: number, actionId: number, doneOn: string) =>
    apiRequest<{ intervention: InterventionBody }>('POST', `${one(id)}/actions/${actionId}/done`, { doneOn }),
  exit: (id: number, body: { closedOn: string; reason: string }) =>
    apiRequest<{ intervention: InterventionBody }>('POST', `${one(id)}/exit`, body),
  chain: (
    params: { organisation: string; metric: string; period: string; methodology?: string },
    signal?: AbortSignal,
  ) => apiRequest<{ chain: ChainBody }>('GET', `/api/chain${query(params)}`, undefined, signal),
};
