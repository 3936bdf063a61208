import { Link } from 'react-router';
import { usePageTitle } from '../components/page-parts.js';
import { interventionsApi } from '../interventions-api.js';
import { useSession } from '../session.js';
import { useApi } from '../use-api.js';

const sections = [
  {
    href: '/standards',
    title: 'Comply or explain',
    text: 'Best-practice standards, and whether every board, governing body and ICS has declared that it complies or explained why not.',
  },
  {
    href: '/interventions',
    title: 'Interventions',
    text: 'One register of support and regulatory interventions, each linked to the signal in the data that triggered it.',
  },
  {
    href: '/programmes',
    title: 'National programmes',
    text: 'Cancer, mental health, digital, urgent and emergency care: one lifecycle, with contributions, milestones and reviews.',
  },
  {
    href: '/governance',
    title: 'NHS Executive Group, NHS Assembly and regional boards',
    text: 'Who sits on each body, its meetings, papers, decisions and actions.',
  },
  {
    href: '/mutual-aid',
    title: 'Mutual aid',
    text: 'Capacity offered and asked for between organisations, matched locally first, and the record of the duty to collaborate.',
  },
];

/**
 * Who is accountable for what, and is it being done? The way into comply-or-explain, interventions,
 * national programmes, governance and mutual aid, with the open interventions the reader can see.
 */
export function AccountabilityPage() {
  const { session } = useSession();
  const open = useApi((signal) => interventionsApi.list({ status: 'open' }, signal), [session?.account?.id]);
  usePageTitle('Accountability');
  const overdue = open.status === 'ready' ? open.data.interventions.filter((i) => i.reviewOverdue).length : 0;
  return (
    <>
      <h1>Accountability</h1>
      <p className="nhsuk-lede-text" data-testid="accountability-lede">
        {open.status === 'ready'
          ? `${open.data.interventions.length} open intervention${open.data.interventions.length === 1 ? '' : 's'} you can see, ${overdue} with a review overdue.`
          : 'Standards, interventions, programmes, governance and mutual aid in one place.'}
      </p>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        {sections.map((s) => (
          <li className="nhsuk-grid-column-one-half nhsuk-card-group__item" key={s.href}>
            <div className="nhsuk-card nhsuk-card--clickable">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-m">
                  <Link className="nhsuk-card__link" to={s.href}>
                    {s.title}
                  </Link>
                </h2>
                <p className="nhsuk-card__description">{s.text}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
