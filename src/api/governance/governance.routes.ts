import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addAction,
  addMember,
  addPaper,
  completeAction,
  endMember,
  getBodyView,
  getMeetingView,
  listBodyViews,
  listOverdueActions,
  publishDecision,
  publishPaper,
  recordDecision,
  scheduleMeeting,
  setMeetingStatus,
  type Governor,
} from '../../services/governance.service.js';
import { actorOf } from '../../services/identity.service.js';
import type { ApiContext } from '../api-context.js';
import {
  actionBodySchema,
  actionParams,
  actionResponseSchema,
  bodiesResponseSchema,
  bodyParams,
  bodyQuerySchema,
  bodyResponseSchema,
  completeActionBodySchema,
  decisionBodySchema,
  decisionParams,
  decisionResponseSchema,
  endMemberBodySchema,
  meetingBodySchema,
  meetingCreatedResponseSchema,
  meetingIdParams,
  meetingParams,
  meetingResponseSchema,
  meetingStatusBodySchema,
  memberBodySchema,
  memberParams,
  memberResponseSchema,
  overdueQuerySchema,
  overdueResponseSchema,
  paperBodySchema,
  paperParams,
  paperResponseSchema,
  publishedResponseSchema,
} from './governance.schemas.js';

/**
 * The NHS Executive Group, the NHS Assembly and the regional boards: membership, meetings, papers,
 * decisions and actions. Reads are public except unpublished papers and decisions; changes are the
 * `govern` action on the body's scope (see services/governance.service.ts).
 */
export function governanceRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  const tags = ['governance'];
  return async (app) => {
    const governor = (request: { caller: { principal: Governor['principal'] }; id: string }): Governor => ({
      principal: request.caller.principal,
      actor: actorOf(request.caller.principal, String(request.id)),
    });

    app.get(
      '/api/governance/bodies',
      {
        schema: {
          summary: 'The governance bodies, with their next meeting and actions',
          tags,
          response: { 200: bodiesResponseSchema },
        },
      },
      async (request) => {
        const bodies = await listBodyViews(db, request.caller.principal, today());
        return { bodies, overdueActions: bodies.reduce((sum, b) => sum + b.actions.overdue, 0) };
      },
    );

    app.get(
      '/api/governance/bodies/:body',
      {
        schema: {
          summary: 'One body: members as at a date, what they represent, and its meetings',
          tags,
          params: bodyParams,
          querystring: bodyQuerySchema,
          response: { 200: bodyResponseSchema },
        },
      },
      async (request) => ({
        body: await getBodyView(
          db,
          request.caller.principal,
          request.params.body,
          today(),
          request.query.asAt,
        ),
      }),
    );

    app.post(
      '/api/governance/bodies/:body/members',
      {
        schema: {
          summary:
            'Add a member (national directors for England’s bodies, the regional director for a board)',
          tags,
          params: bodyParams,
          body: memberBodySchema,
          response: { 200: memberResponseSchema },
        },
      },
      async (request) => ({
        member: await addMember(db, governor(request), request.params.body, request.body, today()),
      }),
    );

    app.post(
      '/api/governance/members/:member/end',
      {
        schema: {
          summary: 'End a membership from a date (the first day the person is no longer a member)',
          tags,
          params: memberParams,
          body: endMemberBodySchema,
          response: { 200: memberResponseSchema },
        },
      },
      async (request) => ({
        member: await endMember(db, governor(request), request.params.member, request.body, today()),
      }),
    );

    app.post(
      '/api/governance/bodies/:body/meetings',
      {
        schema: {
          summary: 'Schedule a meeting (or record one already held)',
          tags,
          params: bodyParams,
          body: meetingBodySchema,
          response: { 200: meetingCreatedResponseSchema },
        },
      },
      async (request) => ({
        meeting: await scheduleMeeting(db, governor(request), request.params.body, request.body, today()),
      }),
    );

    app.get(
      '/api/governance/bodies/:body/meetings/:meeting',
      {
        schema: {
          summary: 'One meeting: papers, decisions with their links, and actions',
          tags,
          params: meetingParams,
          response: { 200: meetingResponseSchema },
        },
      },
      async (request) =>
        getMeetingView(db, request.caller.principal, request.params.body, request.params.meeting, today()),
    );

    app.post(
      '/api/governance/meetings/:meeting/status',
      {
        schema: {
          summary: 'Record a scheduled meeting as held or cancelled',
          tags,
          params: meetingIdParams,
          body: meetingStatusBodySchema,
          response: { 200: meetingCreatedResponseSchema },
        },
      },
      async (request) => ({
        meeting: await setMeetingStatus(db, governor(request), request.params.meeting, request.body, today()),
      }),
    );

    app.post(
      '/api/governance/meetings/:meeting/papers',
      {
        schema: {
          summary: 'Add a paper to a meeting',
          tags,
          params: meetingIdParams,
          body: paperBodySchema,
          response: { 200: paperResponseSchema },
        },
      },
      async (request) => ({
        paper: await addPaper(db, governor(request), request.params.meeting, request.body),
      }),
    );

    app.post(
      '/api/governance/papers/:paper/publish',
      {
        schema: {
          summary: 'Publish a paper',
          tags,
          params: paperParams,
          response: { 200: publishedResponseSchema },
        },
      },
      async (request) => publishPaper(db, governor(request), request.params.paper),
    );

    app.post(
      '/api/governance/meetings/:meeting/decisions',
      {
        schema: {
          summary: 'Record a decision, with links to a programme, an intervention or a standard',
          tags,
          params: meetingIdParams,
          body: decisionBodySchema,
          response: { 200: decisionResponseSchema },
        },
      },
      async (request) => ({
        decision: await recordDecision(db, governor(request), request.params.meeting, request.body, today()),
      }),
    );

    app.post(
      '/api/governance/decisions/:decision/publish',
      {
        schema: {
          summary: 'Publish a decision (it can no longer be changed, only superseded)',
          tags,
          params: decisionParams,
          response: { 200: publishedResponseSchema },
        },
      },
      async (request) => publishDecision(db, governor(request), request.params.decision),
    );

    app.post(
      '/api/governance/decisions/:decision/actions',
      {
        schema: {
          summary: 'Add an action to a decision: what, who owns it, when it is due',
          tags,
          params: decisionParams,
          body: actionBodySchema,
          response: { 200: actionResponseSchema },
        },
      },
      async (request) => ({
        action: await addAction(db, governor(request), request.params.decision, request.body, today()),
      }),
    );

    app.post(
      '/api/governance/actions/:action/complete',
      {
        schema: {
          summary: 'Record an action as completed',
          tags,
          params: actionParams,
          body: completeActionBodySchema,
          response: { 200: actionResponseSchema },
        },
      },
      async (request) => ({
        action: await completeAction(db, governor(request), request.params.action, request.body, today()),
      }),
    );

    app.get(
      '/api/governance/actions/overdue',
      {
        schema: {
          summary: 'Actions past their due date, of the decisions you may see',
          tags,
          querystring: overdueQuerySchema,
          response: { 200: overdueResponseSchema },
        },
      },
      async (request) => ({
        actions: await listOverdueActions(db, request.caller.principal, today(), request.query.body ?? null),
      }),
    );
  };
}
