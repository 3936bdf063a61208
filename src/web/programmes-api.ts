import type { z } from 'zod';
import type {
  contributionResponseSchema,
  programmeResponseSchema,
  programmesResponseSchema,
} from '../api/programmes/programme.schemas.js';
import type { ContributionStatus, ProgrammeStage, ReviewDecision } from '../domain/programme.js';
import { apiRequest, ApiError } from './api-client.js';

/** The web app's calls to the national programmes API, and to the interventions linked to a programme. */

export type ProgrammesResponse = z.output<typeof programmesResponseSchema>;
export type ProgrammeSummaryBody = ProgrammesResponse['programmes'][number];
export type ProgrammeBody = z.output<typeof programmeResponseSchema>['programme'];
export type ProgrammeMetricBody = ProgrammeBody['metrics'][number];
export type ContributionBody = z.output<typeof contributionResponseSchema>['contribution'];

/** An intervention that led to a programme, as GET /api/interventions?programme= answers (only those the caller may see). */
export interface LinkedIntervention {
  id: number;
  organisation: { odsCode: string; name: string };
  kindLabel: string;
  title: string;
  status: string;
  openedOn: string;
  signal: { summary: string };
}

const path = (...parts: string[]) => `/api/programmes/${parts.map(encodeURIComponent).join('/')}`;

export const programmesApi = {
  list: (signal?: AbortSignal) => apiRequest<ProgrammesResponse>('GET', '/api/programmes', undefined, signal),
  get: (code: string, signal?: AbortSignal) =>
    apiRequest<{ programme: ProgrammeBody }>('GET', path(code), undefined, signal),
  move: (code: string, body: { to: ProgrammeStage | ''; reason: string }) =>
    apiRequest<{ programme: ProgrammeBody }>('POST', path(code, 'stage'), body),
  contribute: (code: string, org: string, body: { commitment: string; status: ContributionStatus | '' }) =>
    apiRequest<{ contribution: ContributionBody }>('PUT', path(code, 'contributions', org), body),
  recordReview: (
    code: string,
    reviewId: number,
    body: { heldOn: string; outcome: string; decision: ReviewDecision | ''; nextReview?: string },
  ) =>
    apiRequest<{ programme: ProgrammeBody }>(
      'POST',
      path(code, 'reviews', String(reviewId), 'outcome'),
      body,
    ),
  scheduleReview: (code: string, scheduledFor: string) =>
    apiRequest<{ programme: ProgrammeBody }>('POST', path(code, 'reviews'), { scheduledFor }),
  addMilestone: (code: string, body: { title: string; due: string }) =>
    apiRequest<{ programme: ProgrammeBody }>('POST', path(code, 'milestones'), body),
  completeMilestone: (code: string, id: number, completedOn: string) =>
    apiRequest<{ programme: ProgrammeBody }>('POST', path(code, 'milestones', String(id), 'complete'), {
      completedOn,
    }),
  /**
   * The interventions that led to this programme. Until the interventions API answers (404), the page
   * shows the section's empty state; any other failure is reported.
   */
  interventions: async (code: string, signal?: AbortSignal): Promise<LinkedIntervention[]> => {
    try {
      const answer = await apiRequest<{ interventions?: LinkedIntervention[] }>(
        'GET',
        `/api/interventions?programme=${encodeURIComponent(code)}`,
        undefined,
        signal,
      );
      return answer.interventions ?? [];
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  },
};
