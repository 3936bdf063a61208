import { userInfo } from 'node:os';
import type { Db } from '../db/database.js';
import type { Actor } from '../domain/audit.js';
import type { Principal } from '../domain/access.js';
import { actorOf, principalForEmail } from '../services/identity.service.js';

/**
 * The person at the command line. Whoever can run `oversight` against the database holds the database
 * itself, so the command line acts as an operator; the audit trail names their operating-system user.
 */
export function operatorActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No user name (some containers): the audit event still says it came from the command line.
  }
  return { kind: 'operator', id: user, label: `Command line (${user})` };
}

/** The account named by `--as`, acting as itself: its principal, and the actor the audit trail names. */
export async function callerAs(db: Db, email: string): Promise<{ principal: Principal; actor: Actor }> {
  const principal = await principalForEmail(db, email);
  return { principal, actor: actorOf(principal) };
}

/** The account named by an optional `--as`, or null: the operator, who holds the database and sees all. */
export async function principalAs(db: Db, email: string | undefined): Promise<Principal | null> {
  return email ? principalForEmail(db, email) : null;
}

/** The caller an optional `--as` names, or the operator (no principal) when it is left out. */
export async function callerAsOrOperator(
  db: Db,
  email: string | undefined,
): Promise<{ principal: Principal | null; actor: Actor }> {
  return email ? callerAs(db, email) : { principal: null, actor: operatorActor() };
}
