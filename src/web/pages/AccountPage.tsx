import { Link, useNavigate } from 'react-router';
import { api } from '../api-client.js';
import { AuditTable } from '../components/AuditTable.js';
import { ApiErrorSummary, Loading, SummaryList, Tag, usePageTitle } from '../components/page-parts.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

/** Your account: what you may see and do, and what you have done. */
export function AccountPage() {
  const { session, refresh } = useSession();
  const navigate = useNavigate();
  const account = session?.account ?? null;
  const activity = useApi(
    (signal) =>
      account ? api.audit({ user: account.id, limit: 50 }, signal) : Promise.resolve({ events: [] }),
    [account?.id],
  );
  usePageTitle('Your account', activity.status === 'error');
  if (!session) return <Loading what="your account" />;
  if (!account)
    return (
      <>
        <h1>Your account</h1>
        <p>
          You are not signed in. <Link to="/sign-in?returnTo=/account">Sign in</Link>
        </p>
      </>
    );
  const signOut = async () => {
    await api.signOut();
    await refresh();
    void navigate('/');
  };
  return (
    <>
      {activity.status === 'error' ? <ApiErrorSummary error={activity.error} /> : null}
      <h1>{account.name}</h1>
      <SummaryList
        rows={[
          { key: 'Email address', value: account.email },
          {
            key: 'Signs in with',
            value: account.signsInWith.map((m) => (m === 'oidc' ? 'NHS identity' : 'Password')).join(', '),
          },
          {
            key: 'Administrator',
            value: account.isAdmin ? 'Yes: manages accounts, roles and machine tokens' : 'No',
          },
          {
            key: 'Roles',
            value:
              account.roles.length === 0 ? (
                'None yet: you can see published figures. Ask an administrator for a role.'
              ) : (
                <ul className="nhsuk-list">
                  {account.roles.map((r) => (
                    <li key={r.id}>
                      {r.roleLabel}, {r.scope ? `${r.scope.name} (${r.scope.odsCode})` : 'England'}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            key: 'Statutory functions',
            value:
              account.functions.length === 0
                ? 'None: records of a statutory function are hidden from you'
                : account.functions.map((f) => (
                    <Tag key={f.id} colour="blue">
                      {f.label}
                    </Tag>
                  )),
          },
        ]}
      />
      <button className="nhsuk-button nhsuk-button--secondary" type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      {activity.status === 'loading' ? <Loading what="your activity" /> : null}
      {activity.status === 'ready' ? (
        <AuditTable events={activity.data.events} caption="Your recent activity" />
      ) : null}
    </>
  );
}
