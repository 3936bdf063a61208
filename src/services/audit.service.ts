import type { Db } from '../db/database.js';
import {
  countAuditEvents,
  findAuditEvents,
  listAuditEventsAfter,
  readAuditChainHead,
  type StoredAuditEvent,
} from '../db/audit.repository.js';
import { findSubmission } from '../db/submission.repository.js';
import type { Principal } from '../domain/access.js';
import { isAllowed, type PathCache } from './access.service.js';
import { submissionFacts } from './submission.service.js';
import { checkAuditChain, genesisHash, type ActorKind } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';

/** Reading and checking the audit trail. Appending happens in each use-case's own transaction. */

export interface AuditVerification {
  ok: boolean;
  events: number;
  /** The first event that breaks the chain, and why. */
  problem: { id: number | null; message: string } | null;
  durationMs: number;
}

const pageSize = 5000;

/**
 * Recomputes every hash in order and checks each link, up to the chain's head as it stood when the
 * check began (events appended meanwhile are left for the next check), and that the chain ends there.
 */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
): Promise<AuditVerification> {
  const started = Date.now();
  const head = await readAuditChainHead(db);
  const total = await countAuditEvents(db);
  let previous = genesisHash;
  let afterId = 0;
  let checked = 0;
  let lastId: number | null = null;
  const result = (problem: AuditVerification['problem']): AuditVerification => ({
    ok: problem === null,
    events: checked,
    problem,
    durationMs: Date.now() - started,
  });
  while (head.lastId !== null && afterId < head.lastId) {
    const page = (await listAuditEventsAfter(db, afterId, pageSize)).filter(
      (e) => e.id <= (head.lastId ?? 0),
    );
    if (page.length === 0) break;
    const outcome = checkAuditChain(previous, page);
    checked += outcome.checked;
    if (outcome.problem) return result({ id: outcome.problem.id, message: outcome.problem.problem });
    previous = outcome.lastHash;
    lastId = page[page.length - 1]?.id ?? lastId;
    afterId = lastId ?? afterId;
    onProgress?.(checked, Math.min(total, checked + (head.lastId ?? 0) - afterId));
  }
  if (head.lastHash !== previous || head.lastId !== lastId)
    return result({
      id: lastId,
      message: `The chain ends at event ${lastId ?? 'none'}, but its head records event ${head.lastId ?? 'none'}: events at the end were removed or added outside the application.`,
    });
  return result(null);
}

export interface AuditQuery {
  userId?: number | undefined;
  recordType?: string | undefined;
  recordId?: string | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** Administrators see every event; anyone signed in sees their own. */
export async function listAuditEvents(
  db: Db,
  principal: Principal,
  query: AuditQuery,
): Promise<StoredAuditEvent[]> {
  if (principal.kind === 'public') throw new AppError('unauthenticated', 'Sign in to see the audit trail.');
  const own = principal.kind === 'user' && query.userId === principal.userId && !query.recordType;
  if (!(principal.kind === 'user' && principal.isAdmin) && !own)
    throw new AppError(
      'forbidden',
      'Only administrators can see the whole audit trail; you can see your own activity.',
    );
  const actorKind: ActorKind | undefined = query.userId !== undefined ? 'user' : undefined;
  const events = await findAuditEvents(db, {
    ...(actorKind ? { actorKind, actorId: String(query.userId) } : {}),
    ...(query.recordType ? { recordType: query.recordType } : {}),
    ...(query.recordId ? { recordId: query.recordId } : {}),
    ...(query.beforeId ? { beforeId: query.beforeId } : {}),
    limit: Math.min(query.limit ?? 100, 500),
  });
  return redactReturnsOutOfReach(db, principal, events);
}

/**
 * Administration gives no access to data: events about returns the viewer may not read keep who and
 * when, but not the values (or list of returns) they carried.
 */
async function redactReturnsOutOfReach(
  db: Db,
  principal: Principal,
  events: StoredAuditEvent[],
): Promise<StoredAuditEvent[]> {
  const readable = new Map<string, boolean>();
  const cache: PathCache = new Map();
  const redacted = { redacted: 'You do not have access to this return.' };
  const out: StoredAuditEvent[] = [];
  for (const event of events) {
    if (event.recordType !== 'submission') {
      out.push(event);
      continue;
    }
    if (event.recordId === null) {
      out.push({ ...event, before: null, after: redacted });
      continue;
    }
    let allowed = readable.get(event.recordId);
    if (allowed === undefined) {
      const record = await findSubmission(db, Number(event.recordId));
      allowed = record ? await isAllowed(db, principal, 'read', submissionFacts(record), cache) : false;
      readable.set(event.recordId, allowed);
    }
    out.push(
      allowed
        ? event
        : {
            ...event,
            before: event.before === null ? null : redacted,
            after: event.after === null ? null : redacted,
          },
    );
  }
  return out;
}

/** For the command line, which is trusted like an administrator (it holds the database itself). */
export async function listAuditEventsAsOperator(db: Db, query: AuditQuery): Promise<StoredAuditEvent[]> {
  return findAuditEvents(db, {
    ...(query.userId !== undefined ? { actorKind: 'user' as const, actorId: String(query.userId) } : {}),
    ...(query.recordType ? { recordType: query.recordType } : {}),
    ...(query.recordId ? { recordId: query.recordId } : {}),
    limit: Math.min(query.limit ?? 100, 5000),
  });
}
