import { userInfo } from 'node:os';
import type { Actor } from '../domain/audit.js';

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
