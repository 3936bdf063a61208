import { createHash } from 'node:crypto';

/**
 * The audit trail's rules: who acted, and the tamper-evident chain. Each event's hash covers its
 * content and the previous event's hash, so changing, removing or reordering an event breaks every
 * hash after it.
 */

export const actorKinds = ['user', 'token', 'operator', 'public', 'system'] as const;
export type ActorKind = (typeof actorKinds)[number];

/** Who made a change (or read a restricted record), and the request it came in on. */
export interface Actor {
  kind: ActorKind;
  /** The user or token id; the operating-system user for the command line. */
  id: string | null;
  label: string;
  requestId?: string | null;
}

/** Changes made by the platform itself (migrations, the demo dataset, tests). */
export const systemActor: Actor = { kind: 'system', id: null, label: 'NHS Oversight (system)' };

export interface AuditEntry {
  action: string;
  recordType: string;
  recordId: string | null;
  before: unknown;
  after: unknown;
}

export interface ChainedAuditEvent extends AuditEntry {
  occurredAt: string;
  actor: Actor;
  previousHash: string;
  hash: string;
}

export const genesisHash = 'genesis';

/** JSON with object keys sorted, so the same value always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const loneSurrogateOrNul = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

/**
 * Text as PostgreSQL stores it: a lone surrogate half becomes U+FFFD and NUL cannot be stored at all, so
 * either would make the stored event differ from what was hashed (or fail to store).
 */
export function storableText(text: string): string {
  return text.replace(loneSurrogateOrNul, '\uFFFD');
}

/** Makes a value what the database will give back from jsonb: plain JSON, no undefined, dates as text. */
export function toStoredJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
    typeof v === 'string' ? storableText(v) : v,
  ) as unknown;
}

function storableActor(actor: Actor): Actor {
  return {
    kind: actor.kind,
    id: actor.id === null ? null : storableText(actor.id),
    label: storableText(actor.label),
    requestId: actor.requestId ? storableText(actor.requestId) : null,
  };
}

export function hashAuditEvent(event: Omit<ChainedAuditEvent, 'hash'>): string {
  const content = canonicalJson({
    previousHash: event.previousHash,
    occurredAt: event.occurredAt,
    actorKind: event.actor.kind,
    actorId: event.actor.id,
    actorLabel: event.actor.label,
    requestId: event.actor.requestId ?? null,
    action: event.action,
    recordType: event.recordType,
    recordId: event.recordId,
    before: event.before,
    after: event.after,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** Links new entries onto the chain after `previousHash`. */
export function chainAuditEntries(
  previousHash: string,
  actor: Actor,
  occurredAt: string,
  entries: AuditEntry[],
): ChainedAuditEvent[] {
  const chained: ChainedAuditEvent[] = [];
  let previous = previousHash;
  for (const entry of entries) {
    const event = {
      action: storableText(entry.action),
      recordType: storableText(entry.recordType),
      recordId: entry.recordId === null ? null : storableText(entry.recordId),
      before: toStoredJson(entry.before),
      after: toStoredJson(entry.after),
      actor: storableActor(actor),
      occurredAt,
      previousHash: previous,
    };
    const hash = hashAuditEvent(event);
    chained.push({ ...event, hash });
    previous = hash;
  }
  return chained;
}

export type ChainProblem = { id: number; problem: string };

/**
 * Checks stored events in order against the chain: each must follow the one before and hash to its
 * stored hash. Returns the first problem, or null.
 */
export function checkAuditChain(
  previousHash: string,
  events: Array<ChainedAuditEvent & { id: number }>,
): { lastHash: string; checked: number; problem: ChainProblem | null } {
  let previous = previousHash;
  let checked = 0;
  for (const event of events) {
    if (event.previousHash !== previous)
      return {
        lastHash: previous,
        checked,
        problem: {
          id: event.id,
          problem: `Event ${event.id} does not follow the event before it: an event was removed, inserted or reordered.`,
        },
      };
    if (hashAuditEvent(event) !== event.hash)
      return {
        lastHash: previous,
        checked,
        problem: {
          id: event.id,
          problem: `Event ${event.id} has been changed since it was recorded: its content no longer matches its hash.`,
        },
      };
    previous = event.hash;
    checked += 1;
  }
  return { lastHash: previous, checked, problem: null };
}
