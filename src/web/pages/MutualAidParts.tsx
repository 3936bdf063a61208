import type { AidRequestStatus } from '../../domain/mutual-aid.js';
import { Tag } from '../components/page-parts.js';

/** Shared parts of the mutual aid pages: status and urgency tags (always with words), quantities. */

const statusColours: Record<AidRequestStatus, 'grey' | 'blue' | 'aqua-green' | 'green' | 'white' | 'orange'> =
  {
    requested: 'orange',
    matched: 'blue',
    agreed: 'aqua-green',
    'in-progress': 'white',
    completed: 'green',
    withdrawn: 'grey',
  };

export function AidStatusTag({ status, label }: { status: AidRequestStatus; label: string }) {
  return <Tag colour={statusColours[status]}>{label}</Tag>;
}

export function UrgencyTag({ urgency, label }: { urgency: string; label: string }) {
  return urgency === 'critical' ? (
    <Tag colour="red">{label}</Tag>
  ) : urgency === 'urgent' ? (
    <Tag colour="yellow">{label}</Tag>
  ) : (
    <Tag colour="grey">{label}</Tag>
  );
}

export function formatNumber(value: number): string {
  return value.toLocaleString('en-GB');
}
