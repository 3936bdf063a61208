import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isIsoDate } from '../../domain/iso-date.js';
import {
  memberPositionLabels,
  memberPositions,
  sectorLabels,
  sectors,
  type MemberPosition,
  type Sector,
} from '../../domain/governance.js';
import type { Problem } from '../../domain/errors.js';
import { ApiError } from '../api-client.js';
import {
  exactFieldError,
  fieldError,
  RadioField,
  SelectField,
  TextField,
  useSubmit,
} from '../components/form-parts.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  SummaryList,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatCount, formatLongDate } from '../format.js';
import { governanceApi, type BodyDetail, type GovernanceMember, type NewMember } from '../governance-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';
import { kindLabel, MeetingStatusTag, placeLabel } from './GovernanceParts.js';

/**
 * Who sits on this body, whom do they represent, and when does it meet? Members as at a date (with the
 * regional directors the hierarchy names), counted by sector or organisation; then its meetings. Those who
 * may govern the body add and end memberships and schedule meetings here.
 */
export function GovernanceBodyPage() {
  const { body: code = '' } = useParams();
  const [params] = useSearchParams();
  const asAtParam = params.get('asAt');
  const asAt = asAtParam && isIsoDate(asAtParam) ? asAtParam : null;
  const { session } = useSession();
  const [version, setVersion] = useState(0);
  const body = useApi(
    (signal) => governanceApi.body(code, asAt, signal),
    [code, asAt, session?.account?.id, version],
  );
  usePageTitle(body.status === 'ready' ? body.data.body.name : 'Governance body', body.status === 'error');
  if (body.status === 'loading') return <Loading what="the body" />;
  if (body.status === 'error')
    return (
      <>
        <ApiErrorSummary error={body.error} />
        <h1>Governance body</h1>
        <p>
          <Link to="/governance">See every governance body</Link>
        </p>
      </>
    );
  const b = body.data.body;
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to="/governance">
              Governance bodies
            </Link>
          </li>
        </ol>
      </nav>
      <h1>{b.name}</h1>
      <p className="nhsuk-lede-text" data-testid="body-lede">
        {b.members.length === 0
          ? `No members are recorded on ${formatLongDate(b.asAt)}.`
          : `${formatCount(b.members.length)} member${b.members.length === 1 ? '' : 's'} on ${formatLongDate(b.asAt)}, representing ${b.representation.length} ${b.representation.length === 1 ? 'sector or organisation' : 'sectors or organisations'}.`}{' '}
        {b.nextMeeting
          ? `Next meeting ${formatLongDate(b.nextMeeting.meetsOn)}.`
          : 'No meeting is scheduled.'}
      </p>
      <SummaryList
        rows={[
          { key: 'Kind', value: kindLabel(b.kind) },
          {
            key: 'Covers',
            value: b.scope.odsCode === 'X24' ? 'England' : `${b.scope.name} (${b.scope.odsCode})`,
          },
          { key: 'Purpose', value: b.purpose },
          {
            key: 'Overdue actions',
            value: `${formatCount(b.actions.overdue)} of ${formatCount(b.actions.open + b.actions.overdue)} open`,
          },
        ]}
      />
      <AsAtForm asAt={b.asAt} code={b.code} />
      <Representation body={b} />
      <Members members={b.members} asAt={b.asAt} />
      <Meetings body={b} />
      {b.canGovern ? (
        <>
          <AddMemberForm code={b.code} onDone={() => setVersion((v) => v + 1)} />
          <EndMemberForm body={b} onDone={() => setVersion((v) => v + 1)} />
          <ScheduleForm code={b.code} onDone={() => setVersion((v) => v + 1)} />
        </>
      ) : null}
    </>
  );
}

function AsAtForm({ asAt, code }: { asAt: string; code: string }) {
  const navigate = useNavigate();
  const [value, setValue] = useState(asAt);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!isIsoDate(value)) {
      setError('Enter a real date, for example 2024-04-01');
      return;
    }
    setError(undefined);
    navigate(`/governance/${code}?asAt=${value}`);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="as-at-form">
      <TextField
        id="members-as-at"
        label="Show the members on"
        type="date"
        value={value}
        onChange={setValue}
        error={error}
      />
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Show members
      </button>
    </form>
  );
}

const represents = (m: GovernanceMember) =>
  m.sector
    ? sectorLabels[m.sector]
    : m.organisation
      ? `${m.organisation.name} (${m.organisation.odsCode})`
      : 'Not known';

function Representation({ body }: { body: BodyDetail }) {
  if (body.representation.length === 0) return null;
  return (
    <TableContainer label="Members by what they represent">
      <table className="nhsuk-table" data-testid="representation-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          Members by sector or organisation, {formatLongDate(body.asAt)}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Sector or organisation
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Members
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {body.representation.map((group) => (
            <tr className="nhsuk-table__row" key={group.key}>
              <td className="nhsuk-table__cell">{group.label}</td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{formatCount(group.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}

function Members({ members, asAt }: { members: GovernanceMember[]; asAt: string }) {
  return (
    <>
      <h2>Members on {formatLongDate(asAt)}</h2>
      {members.length === 0 ? (
        <p>No members are recorded on this date.</p>
      ) : (
        <TableContainer label="Members">
          <table className="nhsuk-table" data-testid="members-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Members, chairs first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Position
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Represents
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Member since
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {members.map((m) => (
                <tr className="nhsuk-table__row" key={`${m.source}-${m.id ?? m.personName}-${m.validFrom}`}>
                  <td className="nhsuk-table__cell">
                    {m.personName}
                    {m.source === 'hierarchy' ? (
                      <>
                        {' '}
                        <Tag colour="white">Regional director</Tag>
                      </>
                    ) : null}
                  </td>
                  <td className="nhsuk-table__cell">{memberPositionLabels[m.position]}</td>
                  <td className="nhsuk-table__cell">{represents(m)}</td>
                  <td className="nhsuk-table__cell">{formatLongDate(m.validFrom)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}

function Meetings({ body }: { body: BodyDetail }) {
  return (
    <>
      <h2>Meetings</h2>
      {body.meetings.length === 0 ? (
        <p>No meetings are recorded.</p>
      ) : (
        <TableContainer label="Meetings">
          <table className="nhsuk-table" data-testid="meetings-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Meetings, latest first</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Date
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Meeting
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Where
                </th>
                <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
                  Decisions
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {body.meetings.map((m) => (
                <tr className="nhsuk-table__row" key={m.id}>
                  <td className="nhsuk-table__cell">{formatLongDate(m.meetsOn)}</td>
                  <td className="nhsuk-table__cell">
                    <Link to={`/governance/${body.code}/meetings/${m.id}`}>{m.title}</Link>
                  </td>
                  <td className="nhsuk-table__cell">
                    <MeetingStatusTag status={m.status} />
                  </td>
                  <td className="nhsuk-table__cell">{placeLabel(m.location)}</td>
                  <td className="nhsuk-table__cell nhsuk-table__cell--numeric">
                    {m.decisions === 0 ? <Empty>None</Empty> : formatCount(m.decisions)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableContainer>
      )}
    </>
  );
}

function ScheduleForm({ code, onDone }: { code: string; onDone: () => void }) {
  const [meetsOn, setMeetsOn] = useState('');
  const [title, setTitle] = useState('');
  const [location, setLocation] = useState('virtual');
  const { error, busy, submit: send } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send(
      () => governanceApi.schedule(code, { meetsOn, title, location }),
      () => {
        setMeetsOn('');
        setTitle('');
        onDone();
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid="schedule-form">
      <h2>Schedule a meeting</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{ meetsOn: 'meeting-date', title: 'meeting-title', location: 'meeting-location' }}
        />
      ) : null}
      <TextField
        id="meeting-date"
        label="Date"
        type="date"
        value={meetsOn}
        onChange={setMeetsOn}
        error={fieldError(error, 'meetsOn')}
        hint="A past date records a meeting already held."
      />
      <TextField
        id="meeting-title"
        label="Title"
        value={title}
        onChange={setTitle}
        error={fieldError(error, 'title')}
      />
      <TextField
        id="meeting-location"
        label="Where"
        hint='A place, or "virtual"'
        value={location}
        onChange={setLocation}
        error={fieldError(error, 'location')}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Schedule meeting
      </button>
    </form>
  );
}

type RepresentsKind = 'organisation' | 'sector';

/**
 * The choices the server cannot locate well: an unanswered radio or sector would come back as one
 * "invalid input" about the whole of `represents`, so they are asked for here, beside their fields.
 */
function unansweredChoices(
  position: MemberPosition | '',
  kind: RepresentsKind | '',
  sector: Sector | '',
): Problem[] {
  const problems: Problem[] = [];
  if (position === '') problems.push({ field: 'position', message: "Choose the member's position" });
  if (kind === '')
    problems.push({
      field: 'represents',
      message: 'Choose whether the member represents an organisation or a sector',
    });
  if (kind === 'sector' && sector === '')
    problems.push({ field: 'represents.sector', message: 'Choose the sector the member represents' });
  return problems;
}

function AddMemberForm({ code, onDone }: { code: string; onDone: () => void }) {
  const [personName, setPersonName] = useState('');
  const [position, setPosition] = useState<MemberPosition | ''>('');
  const [kind, setKind] = useState<RepresentsKind | ''>('');
  const [organisation, setOrganisation] = useState('');
  const [sector, setSector] = useState<Sector | ''>('');
  const [validFrom, setValidFrom] = useState('');
  const { error, setError, busy, submit: send } = useSubmit();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const represents: NewMember['represents'] | null =
      kind === 'organisation' ? { organisation } : kind === 'sector' && sector !== '' ? { sector } : null;
    if (position === '' || represents === null) {
      setError(
        new ApiError(
          'The membership is not valid: correct the fields listed.',
          400,
          unansweredChoices(position, kind, sector),
        ),
      );
      return;
    }
    await send(
      () => governanceApi.addMember(code, { personName, position, represents, validFrom }),
      () => {
        setPersonName('');
        setPosition('');
        setKind('');
        setOrganisation('');
        setSector('');
        setValidFrom('');
        onDone();
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid="member-form">
      <h2>Add a member</h2>
      {error ? (
        <ApiErrorSummary
          error={error}
          fieldIds={{
            personName: 'member-name',
            position: 'member-position',
            represents: 'member-represents',
            'represents.organisation': 'member-organisation',
            'represents.sector': 'member-sector',
            validFrom: 'member-from',
          }}
        />
      ) : null}
      <TextField
        id="member-name"
        label="Name"
        value={personName}
        onChange={setPersonName}
        error={fieldError(error, 'personName')}
      />
      <RadioField
        id="member-position"
        legend="Position"
        value={position}
        onChange={setPosition}
        error={fieldError(error, 'position')}
        options={memberPositions.map((p) => ({ value: p, text: memberPositionLabels[p] }))}
      />
      <RadioField
        id="member-represents"
        legend="Represents"
        hint="An organisation of the hierarchy, such as a region or a trust, or a sector, such as patient organisations"
        value={kind}
        onChange={setKind}
        error={exactFieldError(error, 'represents')}
        options={[
          {
            value: 'organisation',
            text: 'An organisation',
            reveals: (
              <TextField
                id="member-organisation"
                label="ODS code of the organisation"
                hint="For example, Y56 for the London region"
                width={10}
                value={organisation}
                onChange={setOrganisation}
                error={exactFieldError(error, 'represents.organisation')}
              />
            ),
          },
          {
            value: 'sector',
            text: 'A sector',
            reveals: (
              <SelectField
                id="member-sector"
                label="Sector"
                value={sector}
                onChange={(value) => setSector(sectors.find((s) => s === value) ?? '')}
                error={exactFieldError(error, 'represents.sector')}
                options={[
                  { value: '', text: 'Choose a sector' },
                  ...sectors.map((s) => ({ value: s, text: sectorLabels[s] })),
                ]}
              />
            ),
          },
        ]}
      />
      <TextField
        id="member-from"
        label="Member from"
        type="date"
        hint="The first day of the membership"
        value={validFrom}
        onChange={setValidFrom}
        error={fieldError(error, 'validFrom')}
      />
      <button className="nhsuk-button" type="submit" disabled={busy}>
        Add member
      </button>
    </form>
  );
}

/** Ends a recorded membership (the regional directors the hierarchy names change there, not here). */
function EndMemberForm({ body, onDone }: { body: BodyDetail; onDone: () => void }) {
  const endable = body.members.filter(
    (m): m is GovernanceMember & { id: number } =>
      m.source === 'recorded' && m.id !== null && m.validTo === null,
  );
  const [member, setMember] = useState('');
  const [validTo, setValidTo] = useState('');
  const { error, setError, busy, submit: send } = useSubmit();
  if (endable.length === 0) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = endable.find((m) => String(m.id) === member);
    if (!chosen) {
      setError(
        new ApiError('The end of the membership is not valid: correct the fields listed.', 400, [
          { field: 'member', message: 'Choose the member whose membership ends' },
        ]),
      );
      return;
    }
    await send(
      () => governanceApi.endMember(chosen.id, { validTo }),
      () => {
        setMember('');
        setValidTo('');
        onDone();
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate data-testid="end-member-form">
      <h2>End a membership</h2>
      {error ? (
        <ApiErrorSummary error={error} fieldIds={{ member: 'end-member', validTo: 'end-member-date' }} />
      ) : null}
      <SelectField
        id="end-member"
        label="Member"
        hint={`Members on ${formatLongDate(body.asAt)} whose membership has no end date`}
        value={member}
        onChange={setMember}
        error={fieldError(error, 'member')}
        options={[
          { value: '', text: 'Choose a member' },
          ...endable.map((m) => ({
            value: String(m.id),
            text: `${m.personName}, ${memberPositionLabels[m.position].toLowerCase()} since ${formatLongDate(m.validFrom)}`,
          })),
        ]}
      />
      <TextField
        id="end-member-date"
        label="First day no longer a member"
        type="date"
        hint="For a last day of 31 March, enter 1 April"
        value={validTo}
        onChange={setValidTo}
        error={fieldError(error, 'validTo')}
      />
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        End membership
      </button>
    </form>
  );
}
