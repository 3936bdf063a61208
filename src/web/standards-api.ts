import type { z } from 'zod';
import type {
  declarationResponseSchema,
  overdueResponseSchema,
  publishDeclarationsResponseSchema,
  standardResponseSchema,
  registerResponseSchema,
  standardDetailResponseSchema,
  standardsResponseSchema,
} from '../api/standards/standard.schemas.js';
import type { StandardInput } from '../domain/standard.js';
import { apiRequest } from './api-client.js';

/** The web app's calls to the comply-or-explain API: standards, adoption, declarations and the register. */

export type StandardsResponse = z.output<typeof standardsResponseSchema>;
export type StandardListItem = StandardsResponse['standards'][number];
export type StandardDetailResponse = z.output<typeof standardDetailResponseSchema>;
export type AdoptionBody = StandardDetailResponse['adoption']['england'];
export type DeclarationBody = StandardDetailResponse['declarations'][number];
export type DeclarationResponse = z.output<typeof declarationResponseSchema>;
export type RegisterResponse = z.output<typeof registerResponseSchema>;
export type OverdueResponse = z.output<typeof overdueResponseSchema>;
export type PublishDeclarationsResponse = z.output<typeof publishDeclarationsResponseSchema>;
export type StandardResponse = z.output<typeof standardResponseSchema>;

/** A declaration as the form sends it; the server checks it and answers with located problems. */
export interface DeclarationSaveBody {
  position: string | undefined;
  evidence: string;
  explanation: string;
  plan: Array<{ description: string; owner: string; due: string }>;
}

const path = (...parts: string[]) =>
  `/api/standards${parts.map((p) => `/${encodeURIComponent(p)}`).join('')}`;

export const standardsApi = {
  list: (signal?: AbortSignal) => apiRequest<StandardsResponse>('GET', path(), undefined, signal),
  detail: (code: string, signal?: AbortSignal) =>
    apiRequest<StandardDetailResponse>('GET', path(code), undefined, signal),
  create: (body: StandardInput) => apiRequest<StandardResponse>('POST', path(), body),
  publish: (code: string) => apiRequest<StandardResponse>('POST', path(code, 'publish'), {}),
  publishDeclarations: (code: string) =>
    apiRequest<PublishDeclarationsResponse>('POST', path(code, 'declarations', 'publish'), {}),
  declaration: (code: string, org: string, signal?: AbortSignal) =>
    apiRequest<DeclarationResponse>('GET', path(code, 'declarations', org), undefined, signal),
  declare: (code: string, org: string, body: DeclarationSaveBody) =>
    apiRequest<DeclarationResponse>('PUT', path(code, 'declarations', org), body),
  register: (code?: string, signal?: AbortSignal) =>
    apiRequest<RegisterResponse>(
      'GET',
      `${path('register')}${code ? `?standard=${encodeURIComponent(code)}` : ''}`,
      undefined,
      signal,
    ),
};
