import { z } from 'zod';
import { roles, statutoryFunctions } from '../../domain/access.js';
import { actorKinds } from '../../domain/audit.js';

/** Sign-in, accounts and grants, machine tokens and the audit trail. */

export const accountSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  signsInWith: z.array(z.enum(['password', 'oidc'])),
  disabled: z.boolean(),
  roles: z.array(
    z.object({
      id: z.number().int(),
      role: z.enum(roles),
      roleLabel: z.string(),
      scope: z.object({ odsCode: z.string(), name: z.string() }).nullable().describe('null: all of England'),
    }),
  ),
  functions: z.array(
    z.object({ id: z.number().int(), function: z.enum(statutoryFunctions), label: z.string() }),
  ),
});
export type AccountDto = z.infer<typeof accountSchema>;

export const sessionResponseSchema = z.object({
  account: accountSchema.nullable().describe('null when not signed in'),
  csrfToken: z.string().nullable().describe('Send as the x-csrf-token header with every change'),
  setUpRequired: z.boolean().describe('No account exists yet: the first one becomes the administrator'),
  identityProvider: z.object({ label: z.string(), startUrl: z.string() }).nullable(),
});
export type SessionDto = z.infer<typeof sessionResponseSchema>;

export const signInBodySchema = z.object({
  email: z.string().min(1, 'Enter your email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1000),
});

export const setUpBodySchema = z.object({
  email: z.string().min(1, 'Enter an email address').max(320),
  name: z.string().min(1, 'Enter your name').max(200),
  password: z.string().min(1, 'Enter a password').max(1000),
});

export const newUserBodySchema = z.object({
  email: z.string().min(1).max(320),
  name: z.string().min(1).max(200),
  password: z
    .string()
    .max(1000)
    .optional()
    .describe('Leave out for people who sign in with the identity provider'),
  isAdmin: z.boolean().optional(),
});

export const userIdParams = z.object({ id: z.coerce.number().int().positive() });
export const grantParams = z.object({
  id: z.coerce.number().int().positive(),
  grantId: z.coerce.number().int().positive(),
});
export const roleGrantBodySchema = z.object({
  role: z
    .string()
    .min(1)
    .describe(`One of ${roles.join(', ')}`),
  scope: z
    .string()
    .max(10)
    .optional()
    .describe('ODS code of the region, ICB or organisation; empty for England'),
});
export const functionGrantBodySchema = z.object({
  function: z
    .string()
    .min(1)
    .describe(`One of ${statutoryFunctions.join(', ')}`),
});
export const disableBodySchema = z.object({ disabled: z.boolean() });

export const usersResponseSchema = z.object({ users: z.array(accountSchema) });

export const tokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  odsCode: z.string(),
  templates: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: z.enum(['active', 'revoked']),
});
export const tokensResponseSchema = z.object({ tokens: z.array(tokenSchema) });
export const newTokenBodySchema = z.object({
  name: z.string().min(1).max(200),
  organisation: z.string().min(1).max(10).describe('ODS code of the organisation the token submits for'),
  templates: z.array(z.string().max(60)).min(1).max(50),
});
export const newTokenResponseSchema = z.object({
  token: z.string().describe('Shown once: store it in the sending system now'),
  details: tokenSchema,
});
export const tokenIdParams = z.object({ id: z.coerce.number().int().positive() });

export const auditEventSchema = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actor: z.object({
    kind: z.enum(actorKinds),
    id: z.string().nullable(),
    label: z.string(),
    requestId: z.string().nullable().optional(),
  }),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  previousHash: z.string(),
  hash: z.string(),
});
export type AuditEventDto = z.infer<typeof auditEventSchema>;
export const auditQuerySchema = z.object({
  user: z.coerce.number().int().positive().optional(),
  recordType: z.string().max(40).optional(),
  recordId: z.string().max(40).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const auditResponseSchema = z.object({ events: z.array(auditEventSchema) });
export const auditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  problem: z.object({ id: z.number().int().nullable(), message: z.string() }).nullable(),
  durationMs: z.number(),
});
