import type { Executor } from '../db/database.js';
import { findOrganisationByCode, listPathAt } from '../db/organisation.repository.js';
import { decide, type Action, type Principal, type ProtectedRecord } from '../domain/access.js';
import { AppError, notFound } from '../domain/errors.js';
import { todayIsoDate, type IsoDate } from '../domain/iso-date.js';
import { nationalBody } from '../domain/nhs-england-structure.js';

/**
 * Applies the one policy (domain/access.ts) to stored records: finds the record's place in the
 * hierarchy as at its own date, then decides.
 */

export interface RecordFacts {
  organisationId: number;
  /** The date the record is about (a return's period): its place in the hierarchy is taken then. */
  date: IsoDate;
  published: boolean;
  statutoryFunction: ProtectedRecord['statutoryFunction'];
  template: string | null;
}

/** Paths are looked up once per organisation and date within a request. */
export type PathCache = Map<string, number[]>;

export async function protectedRecord(
  ex: Executor,
  facts: RecordFacts,
  cache: PathCache = new Map(),
): Promise<ProtectedRecord> {
  const key = `${facts.organisationId}|${facts.date}`;
  let path = cache.get(key);
  if (!path) {
    path = (await listPathAt(ex, facts.organisationId, facts.date)).map((o) => o.id);
    // A record dated outside its organisation's lifetime still belongs to the organisation itself.
    if (path.length === 0) path = [facts.organisationId];
    cache.set(key, path);
  }
  return {
    path,
    published: facts.published,
    statutoryFunction: facts.statutoryFunction,
    template: facts.template,
  };
}

export async function isAllowed(
  ex: Executor,
  principal: Principal,
  action: Action,
  facts: RecordFacts,
  cache?: PathCache,
): Promise<boolean> {
  return decide(principal, action, await protectedRecord(ex, facts, cache)).allowed;
}

/**
 * Throws unless allowed. A refused read looks like a missing record (records of a statutory function,
 * or another organisation's, are invisible); a refused change says why.
 */
export async function authorise(
  ex: Executor,
  principal: Principal,
  action: Action,
  facts: RecordFacts,
  describe: string,
): Promise<void> {
  const decision = decide(principal, action, await protectedRecord(ex, facts));
  if (decision.allowed) return;
  if (principal.kind === 'public') throw new AppError('unauthenticated', `Sign in to ${action} ${describe}.`);
  if (action === 'read') throw notFound(`There is no ${describe}, or you do not have access to it.`);
  throw new AppError('forbidden', `You cannot ${action} ${describe}: ${decision.reason}`);
}

/**
 * National settings (oversight methodologies, collection templates): the `configure` action on England,
 * which national directors hold. The command line acts as the operator and does not come here.
 */
export async function authoriseConfiguration(
  ex: Executor,
  principal: Principal,
  describe: string,
): Promise<void> {
  const england = await findOrganisationByCode(ex, nationalBody.code);
  if (!england) throw new Error('the reference structure has no England');
  await authorise(
    ex,
    principal,
    'configure',
    {
      organisationId: england.id,
      date: todayIsoDate(),
      published: false,
      statutoryFunction: null,
      template: null,
    },
    describe,
  );
}
