import type { Db } from '../db/database.js';
import {
  countAuditEvents,
  findAuditEvents,
  listAuditEventsAfter,
  readAuditChainHead,
  type StoredAuditEvent,
} from '../db/audit.repository.js';
import type { Principal } from '../domain/access.js';
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

/** Recomputes every hash in order and checks each link, and that the chain ends where its head says. */
export async function verifyAuditChain(
  db: Db,
  onProgress?: (checked: number, total: number) => void,
): Promise<AuditVerification> {
  const started = Date.now();
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
  for (;;) {
    const page = await listAuditEventsAfter(db, afterId, pageSize);
    if (page.length === 0) break;
    const { lastHash, problem } = checkAuditChain(previous, page);
    if (problem) return result({ id: problem.id, message: problem.problem });
    checked += page.length;
    previous = lastHash;
    lastId = page[page.length - 1]?.id ?? lastId;
    afterId = lastId ?? afterId;
    onProgress?.(checked, total);
  }
  const head = await readAuditChainHead(db);
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
  return findAuditEvents(db, {
    ...(actorKind ? { actorKind, actorId: String(query.userId) } : {}),
    ...(query.recordType ? { recordType: query.recordType } : {}),
    ...(query.recordId ? { recordId: query.recordId } : {}),
    ...(query.beforeId ? { beforeId: query.beforeId } : {}),
    limit: Math.min(query.limit ?? 100, 500),
  });
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
