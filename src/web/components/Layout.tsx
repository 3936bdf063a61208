import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, type MetaResponse } from '../api-client.js';
import { useSession } from '../session.js';

function NhsLogo() {
  return (
    <svg
      className="nhsuk-header__logo"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 200 80"
      height="40"
      width="100"
      focusable="false"
      role="img"
      aria-label="NHS"
    >
      <title>NHS</title>
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

function SearchIcon() {
  return (
    <svg
      className="nhsuk-icon nhsuk-icon--search"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      focusable="false"
      aria-hidden="true"
    >
      <path d="m20.7 18.9-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 10.6a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z" />
    </svg>
  );
}

const navigation = [
  { href: '/', text: 'England' },
  { href: '/metrics', text: 'Metrics' },
  { href: '/oversight', text: 'Oversight' },
  { href: '/returns', text: 'Returns' },
  { href: '/planning', text: 'Planning' },
  { href: '/accountability', text: 'Accountability' },
  { href: '/mutual-aid', text: 'Mutual aid' },
  { href: '/hierarchy/events', text: 'Restructures and changes' },
  { href: '/hierarchy/as-now', text: 'History as now' },
  { href: '/search', text: 'Find an organisation' },
];

/** The NHS.UK page frame: skip link, header with search, demo-data banner, main content and footer. */
export function Layout({ children }: { children: ReactNode }) {
  const [meta, setMeta] = useState<MetaResponse | null>(null);
  const { session } = useSession();
  const account = session?.account ?? null;
  const [params] = useSearchParams();
  const location = useLocation();
  const asAt = params.get('asAt') ?? '';
  const currentSection = (href: string) =>
    href === '/' ? location.pathname === '/' : location.pathname.startsWith(href);
  useEffect(() => {
    const controller = new AbortController();
    api.meta(controller.signal).then(setMeta, () => undefined);
    return () => controller.abort();
  }, []);

  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <header className="nhsuk-header" role="banner">
        <div className="nhsuk-header__container nhsuk-width-container">
          <div className="nhsuk-header__service">
            <Link className="nhsuk-header__service-logo" to="/" aria-label="NHS Oversight homepage">
              <NhsLogo />
              <span className="nhsuk-header__service-name">NHS Oversight</span>
            </Link>
          </div>
          <search className="nhsuk-header__search">
            <form className="nhsuk-header__search-form" id="search" action="/search" method="get" noValidate>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor="search-field">
                  Find an organisation by name or ODS code
                </label>
                <div className="nhsuk-input-wrapper">
                  <input
                    className="nhsuk-input"
                    id="search-field"
                    name="q"
                    type="search"
                    autoComplete="off"
                    placeholder="Name or ODS code"
                  />
                  {asAt ? <input type="hidden" name="asAt" value={asAt} /> : null}
                  <button
                    className="nhsuk-button nhsuk-button--icon nhsuk-button--small"
                    type="submit"
                    aria-label="Search"
                  >
                    <SearchIcon />
                  </button>
                </div>
              </div>
            </form>
          </search>
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              {account ? (
                <>
                  <li className="nhsuk-header__account-item">
                    <Link className="nhsuk-header__account-link" to="/account" data-testid="account-link">
                      {account.name}
                    </Link>
                  </li>
                  {account.isAdmin ? (
                    <li className="nhsuk-header__account-item">
                      <Link className="nhsuk-header__account-link" to="/admin/users">
                        Manage access
                      </Link>
                    </li>
                  ) : null}
                </>
              ) : (
                <li className="nhsuk-header__account-item">
                  <Link
                    className="nhsuk-header__account-link"
                    to={`/sign-in?returnTo=${encodeURIComponent(location.pathname)}`}
                  >
                    Sign in
                  </Link>
                </li>
              )}
            </ul>
          </nav>
        </div>
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {navigation.map((item) => (
                <li
                  className={`nhsuk-header__navigation-item${currentSection(item.href) ? ' nhsuk-header__navigation-item--current' : ''}`}
                  key={item.href}
                >
                  <Link
                    className="nhsuk-header__navigation-link"
                    to={item.href}
                    aria-current={currentSection(item.href) ? 'page' : undefined}
                  >
                    {item.text}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      </header>
      <div className="nhsuk-width-container">
        {meta?.meta.demoData ? (
          <div
            className="nhsuk-notification-banner nhsuk-u-margin-top-4 nhsuk-u-margin-bottom-0"
            role="region"
            aria-labelledby="demo-banner-title"
            data-testid="demo-banner"
          >
            <div className="nhsuk-notification-banner__header">
              <h2 className="nhsuk-notification-banner__title" id="demo-banner-title">
                Demonstration data
              </h2>
            </div>
            <div className="nhsuk-notification-banner__content">
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{meta.meta.notice}</p>
            </div>
          </div>
        ) : null}
        <main className="nhsuk-main-wrapper" id="maincontent" tabIndex={-1}>
          {children}
        </main>
      </div>
      <footer className="nhsuk-footer" role="contentinfo">
        <div className="nhsuk-width-container">
          <div className="nhsuk-footer__meta">
            <h2 className="nhsuk-u-visually-hidden">Support links</h2>
            <ul className="nhsuk-footer__list">
              <li className="nhsuk-footer__list-item">
                <a className="nhsuk-footer__list-item-link" href="/api/openapi.json">
                  API (OpenAPI 3)
                </a>
              </li>
              <li className="nhsuk-footer__list-item">
                <Link className="nhsuk-footer__list-item-link" to="/imports">
                  Imports and quarantine
                </Link>
              </li>
              <li className="nhsuk-footer__list-item">
                <Link className="nhsuk-footer__list-item-link" to="/about">
                  About the data
                </Link>
              </li>
            </ul>
            <p className="nhsuk-body-s">
              {meta
                ? `NHS Oversight ${meta.version}, ${meta.engine === 'postgres' ? 'PostgreSQL' : 'embedded database'}. `
                : ''}
              Published NHS data is © NHS England, Open Government Licence v3.0.
            </p>
          </div>
        </div>
      </footer>
    </>
  );
}
