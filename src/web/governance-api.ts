import type { z } from 'zod';
import type {
  actionBodySchema,
  actionResponseSchema,
  bodiesResponseSchema,
  bodyResponseSchema,
  decisionBodySchema,
  decisionResponseSchema,
  endMemberBodySchema,
  meetingBodySchema,
  meetingCreatedResponseSchema,
  meetingResponseSchema,
  meetingStatusBodySchema,
  memberBodySchema,
  memberResponseSchema,
  overdueResponseSchema,
  paperBodySchema,
  paperResponseSchema,
  publishedResponseSchema,
} from '../api/governance/governance.schemas.js';
import { apiRequest } from './api-client.js';

/** The web app's calls to the governance API: bodies, members, meetings, papers, decisions, actions. */

export type BodiesResponse = z.output<typeof bodiesResponseSchema>;
export type BodySummary = BodiesResponse['bodies'][number];
export type BodyDetail = z.output<typeof bodyResponseSchema>['body'];
export type GovernanceMember = BodyDetail['members'][number];
export type MeetingResponse = z.output<typeof meetingResponseSchema>;
export type DecisionBody = MeetingResponse['decisions'][number];
export type ActionBody = DecisionBody['actions'][number];
export type OverdueResponse = z.output<typeof overdueResponseSchema>;
export type NewMeeting = z.input<typeof meetingBodySchema>;
export type NewDecision = z.input<typeof decisionBodySchema>;
export type NewAction = z.input<typeof actionBodySchema>;
export type NewMember = z.input<typeof memberBodySchema>;
export type MemberEnd = z.input<typeof endMemberBodySchema>;
export type NewPaper = z.input<typeof paperBodySchema>;
export type MeetingStatusChange = z.input<typeof meetingStatusBodySchema>;

const path = (...parts: Array<string | number>) =>
  `/api/governance/${parts.map((p) => encodeURIComponent(String(p))).join('/')}`;

export const governanceApi = {
  bodies: (signal?: AbortSignal) => apiRequest<BodiesResponse>('GET', path('bodies'), undefined, signal),
  body: (code: string, asAt: string | null, signal?: AbortSignal) =>
    apiRequest<{ body: BodyDetail }>(
      'GET',
      `${path('bodies', code)}${asAt ? `?asAt=${encodeURIComponent(asAt)}` : ''}`,
      undefined,
      signal,
    ),
  meeting: (code: string, id: number, signal?: AbortSignal) =>
    apiRequest<MeetingResponse>('GET', path('bodies', code, 'meetings', id), undefined, signal),
  overdue: (code: string | null, signal?: AbortSignal) =>
    apiRequest<OverdueResponse>(
      'GET',
      `${path('actions', 'overdue')}${code ? `?body=${encodeURIComponent(code)}` : ''}`,
      undefined,
      signal,
    ),
  schedule: (code: string, body: NewMeeting) =>
    apiRequest<z.output<typeof meetingCreatedResponseSchema>>('POST', path('bodies', code, 'meetings'), body),
  decide: (meeting: number, body: NewDecision) =>
    apiRequest<z.output<typeof decisionResponseSchema>>('POST', path('meetings', meeting, 'decisions'), body),
  publishDecision: (decision: number) =>
    apiRequest<z.output<typeof publishedResponseSchema>>('POST', path('decisions', decision, 'publish'), {}),
  addAction: (decision: number, body: NewAction) =>
    apiRequest<z.output<typeof actionResponseSchema>>('POST', path('decisions', decision, 'actions'), body),
  addMember: (code: string, body: NewMember) =>
    apiRequest<z.output<typeof memberResponseSchema>>('POST', path('bodies', code, 'members'), body),
  endMember: (member: number, body: MemberEnd) =>
    apiRequest<z.output<typeof memberResponseSchema>>('POST', path('members', member, 'end'), body),
  setMeetingStatus: (meeting: number, body: MeetingStatusChange) =>
    apiRequest<z.output<typeof meetingCreatedResponseSchema>>(
      'POST',
      path('meetings', meeting, 'status'),
      body,
    ),
  addPaper: (meeting: number, body: NewPaper) =>
    apiRequest<z.output<typeof paperResponseSchema>>('POST', path('meetings', meeting, 'papers'), body),
  publishPaper: (paper: number) =>
    apiRequest<z.output<typeof publishedResponseSchema>>('POST', path('papers', paper, 'publish'), {}),
  completeAction: (action: number, completedOn: string) =>
    apiRequest<z.output<typeof actionResponseSchema>>('POST', path('actions', action, 'complete'), {
      completedOn,
    }),
};
