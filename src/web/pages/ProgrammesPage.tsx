import { Link } from 'react-router';
import { programmeStageLabels, programmeStages, type ProgrammeStage } from '../../domain/programme.js';
import {
  ApiErrorSummary,
  Empty,
  Loading,
  TableContainer,
  Tag,
  usePageTitle,
} from '../components/page-parts.js';
import { formatLongDate } from '../format.js';
import { programmesApi, type ProgrammeSummaryBody } from '../programmes-api.js';
import { useApi } from '../use-api.js';

/** One colour per stage everywhere (tags are adjectives, with the word always printed). */
export const stageColours: Record<ProgrammeStage, 'grey' | 'blue' | 'green' | 'orange' | 'white'> = {
  proposed: 'grey',
  established: 'blue',
  'in-delivery': 'green',
  'under-review': 'orange',
  closed: 'white',
};

export function StageTag({ stage }: { stage: ProgrammeStage }) {
  return <Tag colour={stageColours[stage]}>{programmeStageLabels[stage]}</Tag>;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Which national programmes there are, where each stands in its lifecycle, and what needs attention: the
 * next review (overdue ones said so) and milestones past their due date.
 */
export function ProgrammesPage() {
  const list = useApi((signal) => programmesApi.list(signal), []);
  usePageTitle('National programmes', list.status === 'error');
  if (list.status === 'loading') return <Loading what="the national programmes" />;
  if (list.status === 'error')
    return (
      <>
        <ApiErrorSummary error={list.error} />
        <h1>National programmes</h1>
      </>
    );
  const programmes = list.data.programmes;
  const overdue = programmes.filter((p) => p.overdueMilestones.length > 0);
  const lateReviews = programmes.filter((p) => p.reviewOverdue);
  const byStage = programmeStages
    .map((stage) => ({ stage, programmes: programmes.filter((p) => p.stage === stage) }))
    .filter((group) => group.programmes.length > 0);
  return (
    <>
      <h1>National programmes</h1>
      <p className="nhsuk-lede-text" data-testid="programmes-lede">
        {programmes.length === 0
          ? 'There are no national programmes yet: national directors propose them.'
          : `${plural(programmes.length, 'national programme', 'national programmes')}: ${byStage
              .map((g) => `${g.programmes.length} ${programmeStageLabels[g.stage].toLowerCase()}`)
              .join(', ')}. ${
              overdue.length === 0
                ? 'No milestone is overdue'
                : `${plural(overdue.length, 'programme has', 'programmes have')} overdue milestones`
            }${lateReviews.length > 0 ? `; ${plural(lateReviews.length, 'review is', 'reviews are')} overdue` : ''}.`}
      </p>
      <p>
        Every national programme follows one lifecycle: proposed, established, in delivery, under review, and
        closed. Regions and integrated care boards (ICBs) record what they contribute; national directors
        record milestones and reviews. Programmes are public information.
      </p>
      {byStage.map((group) => (
        <StageTable key={group.stage} stage={group.stage} programmes={group.programmes} />
      ))}
    </>
  );
}

function StageTable({ stage, programmes }: { stage: ProgrammeStage; programmes: ProgrammeSummaryBody[] }) {
  return (
    <TableContainer label={`Programmes ${programmeStageLabels[stage].toLowerCase()}`}>
      <table className="nhsuk-table" data-testid={`programmes-${stage}`}>
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">
          {programmeStageLabels[stage]} ({programmes.length})
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Programme
            </th>
            <th className="nhsuk-table__header" scope="col">
              National director
            </th>
            <th className="nhsuk-table__header" scope="col">
              Next review
            </th>
            <th className="nhsuk-table__header" scope="col">
              Overdue milestones
            </th>
            <th className="nhsuk-table__header nhsuk-table__header--numeric" scope="col">
              Contributions
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {programmes.map((p) => (
            <tr className="nhsuk-table__row" key={p.code} data-testid={`programme-${p.code}`}>
              <td className="nhsuk-table__cell">
                <Link to={`/programmes/${p.code}`}>{p.name}</Link>
              </td>
              <td className="nhsuk-table__cell">{p.nationalDirector}</td>
              <td className="nhsuk-table__cell">
                {p.nextReview ? (
                  <>
                    {formatLongDate(p.nextReview)}
                    {p.reviewOverdue ? (
                      <>
                        {' '}
                        <Tag colour="red">Overdue</Tag>
                      </>
                    ) : null}
                  </>
                ) : (
                  <Empty>None scheduled</Empty>
                )}
              </td>
              <td className="nhsuk-table__cell">
                {p.overdueMilestones.length === 0 ? (
                  <Empty>None</Empty>
                ) : (
                  <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                    {p.overdueMilestones.map((m) => (
                      <li key={`${m.title}|${m.due}`}>
                        {m.title} <span className="app-secondary">(due {formatLongDate(m.due)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="nhsuk-table__cell nhsuk-table__cell--numeric">{p.contributions}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableContainer>
  );
}
