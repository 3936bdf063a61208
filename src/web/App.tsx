import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/Layout.js';
import { AboutPage } from './pages/AboutPage.js';
import { AsNowPage } from './pages/AsNowPage.js';
import { ImportsPage } from './pages/ImportsPage.js';
import { MetricPage } from './pages/MetricPage.js';
import { MetricsPage } from './pages/MetricsPage.js';
import { EnglandPage } from './pages/EnglandPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { OrganisationPage } from './pages/OrganisationPage.js';
import { RestructuresPage } from './pages/RestructuresPage.js';
import { SearchPage } from './pages/SearchPage.js';

/** Every view has its own URL (organisation, date and filters in it), so any page can be shared. */
export function App() {
  return (
    <BrowserRouter>
      <Layout>
        <Routes>
          <Route path="/" element={<EnglandPage />} />
          <Route path="/organisations/:code" element={<OrganisationPage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/hierarchy/events" element={<RestructuresPage />} />
          <Route path="/hierarchy/as-now" element={<AsNowPage />} />
          <Route path="/metrics" element={<MetricsPage />} />
          <Route path="/metrics/:code" element={<MetricPage />} />
          <Route path="/imports" element={<ImportsPage />} />
          <Route path="/about" element={<AboutPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Layout>
    </BrowserRouter>
  );
}
