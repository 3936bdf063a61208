import type { Executor } from '../db/database.js';
import { listAllOrganisationCodes } from '../db/organisation.repository.js';
import { listAllSuccessions } from '../db/succession.repository.js';

export type CodeClass = 'organisation' | 'successor' | 'unknown';

/**
 * Tells whether figures for an ODS code can be placed: it is an organisation here, or ODS successions
 * lead from it to one (a trust closed before the ODS extract, say). Anything else goes to quarantine.
 */
export async function buildCodeClassifier(ex: Executor): Promise<(odsCode: string) => CodeClass> {
  const organisations = new Set(await listAllOrganisationCodes(ex));
  const successors = new Map<string, string[]>();
  for (const s of await listAllSuccessions(ex)) {
    successors.set(s.predecessorCode, [...(successors.get(s.predecessorCode) ?? []), s.successorCode]);
  }
  const memo = new Map<string, CodeClass>();
  return (odsCode) => {
    const known = memo.get(odsCode);
    if (known) return known;
    let result: CodeClass = 'unknown';
    if (organisations.has(odsCode)) result = 'organisation';
    else {
      const seen = new Set([odsCode]);
      const queue = [odsCode];
      while (queue.length > 0 && result === 'unknown') {
        for (const next of successors.get(queue.shift() as string) ?? []) {
          if (seen.has(next)) continue;
          if (organisations.has(next)) {
            result = 'successor';
            break;
          }
          seen.add(next);
          queue.push(next);
        }
      }
    }
    memo.set(odsCode, result);
    return result;
  };
}
