import type { z } from 'zod';
import type {
  boardResponseSchema,
  matchingResponseSchema,
  offerResponseSchema,
  recordResponseSchema,
  requestResponseSchema,
  scopeResponseSchema,
} from '../api/mutual-aid/mutual-aid.schemas.js';
import { apiRequest } from './api-client.js';

/** The web app's calls to the mutual aid API. */

export type AidScope = z.output<typeof scopeResponseSchema>;
export type AidBoard = z.output<typeof boardResponseSchema>;
export type AidBoardRequest = AidBoard['requests'][number];
export type AidOffer = z.output<typeof offerResponseSchema>['offer'];
export type AidRequest = z.output<typeof requestResponseSchema>['request'];
export type AidMatch = AidRequest['matches'][number];
export type AidMatchingResponse = z.output<typeof matchingResponseSchema>;
export type AidCandidate = AidMatchingResponse['matching']['offers'][number];
export type CollaborationRecord = z.output<typeof recordResponseSchema>['record'];

const base = '/api/mutual-aid';
type RequestAnswer = { request: AidRequest };

export const mutualAidApi = {
  scope: (signal?: AbortSignal) => apiRequest<AidScope>('GET', `${base}/scope`, undefined, signal),
  board: (region: string, signal?: AbortSignal) =>
    apiRequest<AidBoard>('GET', `${base}/board?region=${encodeURIComponent(region)}`, undefined, signal),
  request: (id: number, signal?: AbortSignal) =>
    apiRequest<RequestAnswer>('GET', `${base}/requests/${id}`, undefined, signal),
  candidates: (id: number, signal?: AbortSignal) =>
    apiRequest<AidMatchingResponse>('GET', `${base}/requests/${id}/candidates`, undefined, signal),
  raise: (body: unknown) => apiRequest<RequestAnswer>('POST', `${base}/requests`, body),
  offer: (body: unknown) => apiRequest<{ offer: AidOffer }>('POST', `${base}/offers`, body),
  propose: (id: number, body: { offerId?: number; provider?: string; quantity: number }) =>
    apiRequest<RequestAnswer>('POST', `${base}/requests/${id}/matches`, body),
  step: (id: number, step: 'start' | 'complete' | 'withdraw', reason?: string) =>
    apiRequest<RequestAnswer>('POST', `${base}/requests/${id}/${step}`, reason ? { reason } : {}),
  agree: (matchId: number, forOds: string) =>
    apiRequest<RequestAnswer>('POST', `${base}/matches/${matchId}/agree`, { for: forOds }),
  deliver: (matchId: number, quantity: number) =>
    apiRequest<RequestAnswer>('POST', `${base}/matches/${matchId}/deliveries`, { quantity }),
  withdrawMatch: (matchId: number, reason: string) =>
    apiRequest<RequestAnswer>('POST', `${base}/matches/${matchId}/withdraw`, { reason }),
  record: (code: string, signal?: AbortSignal) =>
    apiRequest<{ record: CollaborationRecord }>(
      'GET',
      `/api/organisations/${encodeURIComponent(code)}/collaboration`,
      undefined,
      signal,
    ),
};
