import type { Succession } from './hierarchy-event.js';
import type { IsoDate } from './iso-date.js';

/**
 * How an ODS code maps onto today's organisations. ODS records only immediate successors, so chains
 * are followed (RM2 → R0A; RW6 → R0A and RM3) until an organisation that is open today is reached.
 */
export interface SuccessionResolution {
  /** current: open today itself; succeeded: one current successor; split: several; unresolved: none. */
  status: 'current' | 'succeeded' | 'split' | 'unresolved';
  /** Codes of the organisations open today that the code maps to. */
  currentCodes: string[];
  /** Codes where a chain ended without reaching an open organisation (closed, or not known here). */
  deadEndCodes: string[];
  /** The successions followed, in the order they were followed. */
  steps: Succession[];
}

export function indexSuccessionsByPredecessor(successions: Iterable<Succession>): Map<string, Succession[]> {
  const index = new Map<string, Succession[]>();
  for (const succession of successions) {
    const list = index.get(succession.predecessorCode) ?? [];
    list.push(succession);
    index.set(succession.predecessorCode, list);
  }
  return index;
}

export function resolveCurrentSuccessors(
  startCode: string,
  successorsOf: Map<string, Succession[]>,
  isOpenToday: (odsCode: string) => boolean,
  today: IsoDate,
): SuccessionResolution {
  if (isOpenToday(startCode)) {
    return { status: 'current', currentCodes: [startCode], deadEndCodes: [], steps: [] };
  }
  const current = new Set<string>();
  const deadEnds = new Set<string>();
  const steps: Succession[] = [];
  const visited = new Set<string>([startCode]);
  const queue = [startCode];
  while (queue.length > 0) {
    const code = queue.shift() as string;
    if (code !== startCode && isOpenToday(code)) {
      current.add(code);
      continue;
    }
    const next = (successorsOf.get(code) ?? []).filter((s) => s.effectiveDate <= today);
    if (next.length === 0) {
      deadEnds.add(code);
      continue;
    }
    for (const succession of next) {
      steps.push(succession);
      if (!visited.has(succession.successorCode)) {
        visited.add(succession.successorCode);
        queue.push(succession.successorCode);
      }
    }
  }
  const currentCodes = [...current].sort();
  const status = currentCodes.length === 0 ? 'unresolved' : currentCodes.length === 1 ? 'succeeded' : 'split';
  return { status, currentCodes, deadEndCodes: [...deadEnds].sort(), steps };
}
