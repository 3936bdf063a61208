import type { ActionState, BodyKind, MeetingStatus } from '../../domain/governance.js';
import { bodyKindLabels, meetingStatusLabels, virtualLocation } from '../../domain/governance.js';
import { Tag } from '../components/page-parts.js';
import { formatLongDate } from '../format.js';

/** Small pieces the governance pages share: tags in words, places and dates. */

const meetingColours: Record<MeetingStatus, 'blue' | 'green' | 'grey'> = {
  scheduled: 'blue',
  held: 'green',
  cancelled: 'grey',
};

export function MeetingStatusTag({ status }: { status: MeetingStatus }) {
  return <Tag colour={meetingColours[status]}>{meetingStatusLabels[status]}</Tag>;
}

export function ActionStateTag({ state, daysOverdue }: { state: ActionState; daysOverdue: number }) {
  if (state === 'overdue')
    return (
      <Tag colour="red">
        Overdue{daysOverdue > 0 ? ` by ${daysOverdue} day${daysOverdue === 1 ? '' : 's'}` : ''}
      </Tag>
    );
  if (state === 'completed') return <Tag colour="green">Completed</Tag>;
  return <Tag colour="blue">Open</Tag>;
}

export function PublishedTag({ published }: { published: boolean }) {
  return published ? <Tag colour="green">Published</Tag> : <Tag colour="yellow">Not published</Tag>;
}

export const kindLabel = (kind: BodyKind) => bodyKindLabels[kind];

export const placeLabel = (location: string) =>
  location.toLowerCase() === virtualLocation ? 'Virtual (online)' : location;

export const meetingLine = (meeting: { meetsOn: string; title: string }) =>
  `${meeting.title}, ${formatLongDate(meeting.meetsOn)}`;
