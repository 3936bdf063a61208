import { z } from 'zod';
import {
  aidKinds,
  aidMatchStatuses,
  aidOfferInputSchema,
  aidProposalInputSchema,
  aidRequestInputSchema,
  aidRequestStatuses,
  aidTiers,
  aidUrgencies,
} from '../../domain/mutual-aid.js';
import { odsCodeParam } from '../organisations/organisation.schemas.js';

/** Mutual aid over HTTP: bodies are the domain's zod inputs; responses mirror the service's views. */

export const requestBodySchema = aidRequestInputSchema;
export const offerBodySchema = aidOfferInputSchema;
export const proposalBodySchema = aidProposalInputSchema;
export const idParams = z.object({ id: z.coerce.number().int().positive('must be a number, like 12') });
export const boardQuery = z.object({ region: odsCodeParam.describe('The region, like Y56') });
export const matchingQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(250)
    .default(20)
    .describe('Organisations to list (offers are all listed)'),
});
export const agreeBodySchema = z.object({
  for: odsCodeParam.describe('The side agreeing: the requester or the provider, by ODS code'),
});
export const deliveryBodySchema = z.object({
  quantity: z
    .number()
    .int('Enter a whole number')
    .min(1, 'Enter 1 or more')
    .describe('Delivered now, added to what was delivered before'),
});
export const reasonBodySchema = z.object({
  reason: z.string().max(2000).optional().describe('Why (required to withdraw)'),
});
export const recordParams = z.object({ code: odsCodeParam });

const organisationRef = z.object({ odsCode: z.string(), name: z.string() });

const summarySchema = z.object({
  id: z.number().int(),
  requester: organisationRef,
  kind: z.enum(aidKinds),
  kindLabel: z.string(),
  detail: z.string(),
  detailLabel: z.string(),
  unit: z.string(),
  unitLabel: z.string(),
  quantity: z.number().int(),
  need: z.string().describe('The need in words: "10 beds: Adult critical care"'),
  neededFrom: z.string(),
  neededTo: z.string(),
  urgency: z.enum(aidUrgencies),
  urgencyLabel: z.string(),
  status: z.enum(aidRequestStatuses),
  statusLabel: z.string(),
  allocated: z.number().int().describe('Proposed, agreed or under way'),
  agreed: z.number().int().describe('Agreed by both sides'),
  delivered: z.number().int(),
  remaining: z.number().int().describe('Still to find'),
  createdAt: z.string(),
});

const matchSchema = z.object({
  id: z.number().int(),
  offerId: z.number().int().nullable(),
  provider: organisationRef,
  quantity: z.number().int(),
  delivered: z.number().int(),
  status: z.enum(aidMatchStatuses),
  statusLabel: z.string(),
  requesterAgreed: z.object({ at: z.string(), by: z.string() }).nullable(),
  providerAgreed: z.object({ at: z.string(), by: z.string() }).nullable(),
  proposedAt: z.string(),
  proposedBy: z.string(),
  youMay: z.array(z.enum(['agree-for-requester', 'agree-for-provider', 'withdraw', 'deliver'])),
});

const eventSchema = z.object({
  id: z.number().int(),
  requestId: z.number().int().nullable(),
  offerId: z.number().int().nullable(),
  matchId: z.number().int().nullable(),
  step: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  quantity: z.number().int().nullable(),
  note: z.string().nullable(),
  occurredAt: z.string(),
  actor: z.string(),
});

const requestSchema = summarySchema.extend({
  reason: z.string(),
  statusReason: z.string().nullable(),
  intervention: z.object({ id: z.number().int(), title: z.string() }).nullable(),
  signal: z.object({ metric: z.string(), metricName: z.string(), period: z.string() }).nullable(),
  createdBy: z.string(),
  matches: z.array(matchSchema),
  history: z.array(eventSchema),
  youMay: z.array(z.enum(['propose', 'start', 'complete', 'withdraw'])),
});
export const requestResponseSchema = z.object({ request: requestSchema });

const offerSchema = z.object({
  id: z.number().int(),
  provider: organisationRef,
  kind: z.enum(aidKinds),
  kindLabel: z.string(),
  detail: z.string(),
  detailLabel: z.string(),
  unit: z.string(),
  quantity: z.number().int(),
  remaining: z.number().int(),
  offer: z.string(),
  availableFrom: z.string(),
  availableTo: z.string(),
  notes: z.string(),
  status: z.enum(['open', 'withdrawn']),
  statusReason: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export const offerResponseSchema = z.object({ offer: offerSchema });

const candidateSchema = z.object({
  organisation: z.object({ id: z.number().int(), odsCode: z.string(), name: z.string() }),
  tier: z.enum(aidTiers),
  distanceKm: z.number().nullable().describe('Between approximate postcode-area centres; null when unknown'),
  pressure: z.object({
    level: z.enum(['none', 'strained', 'excluded', 'unknown']),
    occupancy: z.number().nullable(),
    occupancyPeriod: z.string().nullable(),
    segment: z.number().nullable(),
    reason: z.string().nullable(),
  }),
  offer: z
    .object({
      id: z.number().int(),
      remaining: z.number().int(),
      availableFrom: z.string(),
      availableTo: z.string(),
    })
    .nullable(),
  excluded: z.string().nullable(),
  suggestedQuantity: z.number().int(),
});
export const matchingResponseSchema = z.object({
  request: summarySchema,
  matching: z.object({
    offers: z.array(candidateSchema),
    organisations: z.array(candidateSchema),
    excluded: z.array(candidateSchema),
    allocation: z.array(
      z.object({ offerId: z.number().int(), organisationId: z.number().int(), quantity: z.number().int() }),
    ),
    shortfall: z.number().int(),
    escalation: z.enum(aidTiers),
  }),
  notes: z.array(z.string()),
  proposable: z.array(z.string()),
});

export const scopeResponseSchema = z.object({
  regions: z.array(organisationRef),
  organisations: z.array(organisationRef),
  national: z.boolean(),
});

export const boardResponseSchema = z.object({
  region: organisationRef,
  requests: z.array(summarySchema.extend({ providers: z.array(z.string()) })),
  offers: z.array(offerSchema),
  counts: z.object({
    open: z.number().int(),
    awaitingMatch: z.number().int(),
    inProgress: z.number().int(),
    offersOpen: z.number().int(),
  }),
});

const entrySchema = z.object({
  requestId: z.number().int(),
  counterparty: organisationRef,
  kindLabel: z.string(),
  detailLabel: z.string(),
  unit: z.string(),
  agreed: z.number().int(),
  delivered: z.number().int(),
  status: z.string(),
  statusLabel: z.string(),
  neededFrom: z.string(),
  neededTo: z.string(),
});
export const recordResponseSchema = z.object({
  record: z.object({
    organisation: organisationRef,
    from: z.string(),
    to: z.string(),
    given: z.array(entrySchema),
    received: z.array(entrySchema),
    totals: z.object({
      requestsRaised: z.number().int(),
      timesGiven: z.number().int(),
      timesReceived: z.number().int(),
      deliveredGiven: z.record(z.string(), z.number()),
      deliveredReceived: z.record(z.string(), z.number()),
    }),
    summary: z.string(),
  }),
});
