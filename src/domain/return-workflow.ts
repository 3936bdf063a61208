import type { Action } from './access.js';

/**
 * The life of a return: the organisation submits it, its ICB approves it, its region accepts it and then
 * locks it. Anyone at a step may return it for correction (with a reason), which hands it back to the
 * organisation. After lock a correction is a resubmission with a reason: a new version that goes round
 * again while reporting keeps using the last accepted one.
 */

export const returnStatuses = ['draft', 'submitted', 'approved', 'accepted', 'locked', 'returned'] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

export const returnStatusLabels: Record<ReturnStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted, awaiting ICB approval',
  approved: 'Approved by the ICB, awaiting regional acceptance',
  accepted: 'Accepted by the region',
  locked: 'Locked',
  returned: 'Returned for correction',
};

/** The steps people take on a return after it is saved (submitting is saving with submit set). */
export const returnSteps = ['approve', 'accept', 'lock', 'return'] as const;
export type ReturnStep = (typeof returnSteps)[number];

export const returnStepLabels: Record<ReturnStep, string> = {
  approve: 'approve',
  accept: 'accept',
  lock: 'lock',
  return: 'return for correction',
};

/** States in which the organisation may change the values (a draft, or a return handed back to it). */
export function isEditable(status: ReturnStatus): boolean {
  return status === 'draft' || status === 'returned';
}

/** Whose turn it is, in words, for messages that say why a step cannot be taken now. */
const waitingOn: Record<ReturnStatus, string> = {
  draft: 'is a draft: the organisation has not submitted it',
  submitted: 'is waiting for its ICB to approve it',
  approved: 'is waiting for its region to accept it',
  accepted: 'has been accepted and is waiting to be locked',
  locked: 'is locked: a correction is a resubmission with a reason',
  returned: 'has been returned to the organisation for correction',
};

export function describeState(status: ReturnStatus): string {
  return waitingOn[status];
}

export type StepOutcome =
  { ok: true; to: ReturnStatus; action: Action; needsReason: boolean } | { ok: false; message: string };

/** Where a step takes a return from its current state, and which access action it needs. */
export function planStep(status: ReturnStatus, step: ReturnStep): StepOutcome {
  switch (step) {
    case 'approve':
      if (status === 'submitted') return { ok: true, to: 'approved', action: 'approve', needsReason: false };
      break;
    case 'accept':
      if (status === 'approved') return { ok: true, to: 'accepted', action: 'accept', needsReason: false };
      break;
    case 'lock':
      if (status === 'accepted') return { ok: true, to: 'locked', action: 'accept', needsReason: false };
      break;
    case 'return':
      // Returned by whoever holds it now: the ICB while it is submitted, the region after that.
      if (status === 'submitted') return { ok: true, to: 'returned', action: 'approve', needsReason: true };
      if (status === 'approved' || status === 'accepted')
        return { ok: true, to: 'returned', action: 'accept', needsReason: true };
      break;
  }
  return { ok: false, message: `It cannot be ${pastTense[step]}: it ${waitingOn[status]}.` };
}

const pastTense: Record<ReturnStep, string> = {
  approve: 'approved',
  accept: 'accepted',
  lock: 'locked',
  return: 'returned for correction',
};

/** The steps open at a state (for buttons and for the CLI's help), whoever may take them. */
export function openSteps(status: ReturnStatus): ReturnStep[] {
  return returnSteps.filter((step) => planStep(status, step).ok);
}

export interface ValueChange {
  item: string;
  before: number | null;
  after: number | null;
}

/** What changed from one version's values to the next: changed, added and removed items, in item order. */
export function diffValues(
  before: Readonly<Record<string, number | null>>,
  after: Readonly<Record<string, number | null>>,
): ValueChange[] {
  const items = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: ValueChange[] = [];
  for (const item of items) {
    const a = before[item] ?? null;
    const b = after[item] ?? null;
    if (a !== b) changes.push({ item, before: a, after: b });
  }
  return changes;
}
