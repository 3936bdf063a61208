import type { AuditEvent } from '../api-client.js';
import { Empty, TableContainer } from './page-parts.js';

const actionLabels: Record<string, string> = {
  'user.create': 'Account created',
  'user.disable': 'Account disabled',
  'user.enable': 'Account enabled',
  'user.link-identity': 'NHS identity linked',
  'role.grant': 'Role granted',
  'role.revoke': 'Role revoked',
  'function.grant': 'Statutory function granted',
  'function.revoke': 'Statutory function revoked',
  'session.sign-in': 'Signed in',
  'session.sign-out': 'Signed out',
  'session.sign-in-refused': 'Sign-in refused',
  'token.create': 'Machine token created',
  'token.revoke': 'Machine token revoked',
  'submission.create': 'Return saved as a draft',
  'submission.update': 'Return changed',
  'submission.submit': 'Return submitted',
  'submission.resubmit': 'Return resubmitted after lock',
  'submission.approve': 'Return approved',
  'submission.accept': 'Return accepted',
  'submission.lock': 'Return locked',
  'submission.return': 'Return returned for correction',
  'submission.publish': 'Return published',
  'submission.read': 'Return read',
  'submission.versions-read': 'Return versions read',
  'submission.history-read': 'Return history read',
  'submission.export': 'Return downloaded',
  'submission.list': 'Returns listed',
  'statistics.import': 'Statistics imported',
  'ods.import': 'ODS reference files imported',
  'quarantine.resolve': 'Quarantined code resolved',
  'peer-group.create': 'Peer group created',
  'demo.load': 'Demo dataset loaded',
  'reference.load': 'NHS England structure loaded',
  'catalogue.update': 'Metric catalogue brought up to date',
};

export function describeAction(action: string): string {
  if (actionLabels[action]) return actionLabels[action];
  if (action.startsWith('hierarchy.')) return `Hierarchy: ${action.slice('hierarchy.'.length)}`;
  return action;
}

/** "status: submitted; values: {…}" rather than raw JSON, shortened for the table. */
function describeChange(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([key, v]) => `${key}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join('; ')
      : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}

/** Audit events as a table: when, who, what, which record, and what changed. */
export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  if (events.length === 0) return <p>{caption}: nothing recorded yet.</p>;
  return (
    <TableContainer label={caption}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              When (UTC)
            </th>
            <th className="nhsuk-table__header" scope="col">
              Who
            </th>
            <th className="nhsuk-table__header" scope="col">
              What
            </th>
            <th className="nhsuk-table__header" scope="col">
              Record
            </th>
            <th className="nhsuk-table__header" scope="col">
              Change
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {events.map((event) => (
            <tr className="nhsuk-table__row" key={event.id} data-testid="audit-row">
              <td className="nhsuk-table__cell">{event.occurredAt.slice(0, 19).replace('T', ' ')}</td>
              <td className="nhsuk-table__cell">{event.actor.label}</td>
              <td className="nhsuk-table__cell">{describeAction(event.action)}</td>
              <td className="nhsuk-table__cell">
                {event.recordId ? `${event.recordType} ${event.recordId}` : <Empty>{event.recordType}</Empty>}
              </td>
              <td className="nhsuk-table__cell app-audit-change">
                {event.before !== null && event.before !== undefined ? (
                  <>
                    <span className="nhsuk-u-visually-hidden">Before: </span>
                    <del>{describeChange(event.before)}</del>{' '}
                  </>
                ) : null}
                <span className="nhsuk-u-visually-hidden">After: </span>
                {describeChange(event.after) || <Empty>No details</Empty>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
