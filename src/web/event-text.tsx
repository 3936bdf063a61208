import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { HierarchyEventBody } from './api-client.js';

type Participant = HierarchyEventBody['participants'][number];

function names(participants: Participant[], date: string): ReactNode {
  return participants.map((p, index) => (
    <span key={`${p.odsCode}-${p.role}`}>
      {index > 0 ? (index === participants.length - 1 ? ' and ' : ', ') : ''}
      <Link to={`/organisations/${p.odsCode}?asAt=${date}`}>{p.name}</Link>
    </span>
  ));
}

function describeChanges(details: Record<string, unknown>): string {
  const before = (details.before ?? {}) as Record<string, unknown>;
  const after = (details.after ?? {}) as Record<string, unknown>;
  return Object.keys(after)
    .map((field) => `${field} from ${String(before[field] ?? 'none')} to ${String(after[field] ?? 'none')}`)
    .join('; ');
}

/** Says what an event meant for one organisation, in words: "Merged into X", "Y joined", "Moved from A to B". */
export function describeEventFor(event: HierarchyEventBody, odsCode: string): ReactNode {
  const mine = event.participants.filter((p) => p.odsCode === odsCode).map((p) => p.role);
  const withRole = (role: string) =>
    event.participants.filter((p) => p.role === role && p.odsCode !== odsCode);
  const date = event.effectiveDate;
  const is = (role: string) => mine.includes(role as Participant['role']);
  switch (event.type) {
    case 'open':
      if (is('subject')) {
        const parent = withRole('new-parent');
        return parent.length > 0 ? <>Opened, part of {names(parent, date)}</> : 'Opened';
      }
      return <>{names(withRole('subject'), date)} opened here</>;
    case 'close':
      return is('subject') ? 'Closed' : <>{names(withRole('subject'), date)} closed</>;
    case 'reparent':
      if (is('subject')) {
        const from = withRole('old-parent');
        return (
          <>
            Moved {from.length > 0 ? <>from {names(from, date)} </> : null}to{' '}
            {names(withRole('new-parent'), date)}
          </>
        );
      }
      return is('new-parent') ? (
        <>{names(withRole('subject'), date)} joined</>
      ) : (
        <>{names(withRole('subject'), date)} left</>
      );
    case 'revise':
      return `Details changed: ${describeChanges(event.details)}`;
    case 'merge':
    case 'absorb': {
      const verb = event.type === 'merge' ? 'Merged into' : 'Absorbed by';
      if (is('predecessor'))
        return (
          <>
            {verb} {names(withRole('successor'), date)}
          </>
        );
      if (is('successor')) {
        return event.type === 'merge' ? (
          <>Formed by the merger of {names(withRole('predecessor'), date)}</>
        ) : (
          <>Absorbed {names(withRole('predecessor'), date)}</>
        );
      }
      if (is('moved-child'))
        return (
          <>
            Moved to {names(withRole('successor'), date)} when its parent{' '}
            {event.type === 'merge' ? 'merged' : 'was absorbed'}
          </>
        );
      return (
        <>
          {names(withRole('successor'), date)} formed here by the merger of{' '}
          {names(withRole('predecessor'), date)}
        </>
      );
    }
    case 'split':
      if (is('predecessor')) return <>Split between {names(withRole('successor'), date)}</>;
      return <>Formed from the split of {names(withRole('predecessor'), date)}</>;
    case 'succession':
      return is('predecessor') ? (
        <>Successor recorded: {names(withRole('successor'), date)}</>
      ) : (
        <>Recorded as successor of {names(withRole('predecessor'), date)}</>
      );
    case 'role-assigned':
      return `${String(event.details.role ?? 'Role').replace('-', ' ')}: ${String(event.details.holder ?? '')}`.replace(
        /^./,
        (c) => c.toUpperCase(),
      );
  }
}
