import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/Layout.js';
import { AboutPage } from './pages/AboutPage.js';
import { AccountabilityPage } from './pages/AccountabilityPage.js';
import { ChainPage } from './pages/ChainPage.js';
import { InterventionPage } from './pages/InterventionPage.js';
import { InterventionsPage } from './pages/InterventionsPage.js';
import { NewInterventionPage } from './pages/NewInterventionPage.js';
import { AccountPage } from './pages/AccountPage.js';
import { AdminTokensPage } from './pages/AdminTokensPage.js';
import { AdminUserPage } from './pages/AdminUserPage.js';
import { AdminUsersPage } from './pages/AdminUsersPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { BenchmarkPage } from './pages/BenchmarkPage.js';
import { AsNowPage } from './pages/AsNowPage.js';
import { ImportsPage } from './pages/ImportsPage.js';
import { InboxPage } from './pages/InboxPage.js';
import { MetricPage } from './pages/MetricPage.js';
import { MetricsPage } from './pages/MetricsPage.js';
import { CoveragePage } from './pages/CoveragePage.js';
import { EnglandPage } from './pages/EnglandPage.js';
import { GovernanceBodyPage } from './pages/GovernanceBodyPage.js';
import { GovernanceMeetingPage } from './pages/GovernanceMeetingPage.js';
import { GovernancePage } from './pages/GovernancePage.js';
import { MutualAidBoardPage } from './pages/MutualAidBoardPage.js';
import { MutualAidCollaborationPage } from './pages/MutualAidCollaborationPage.js';
import { MutualAidOfferFormPage, MutualAidRequestFormPage } from './pages/MutualAidFormPage.js';
import { MutualAidRequestPage } from './pages/MutualAidRequestPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { OrganisationPage } from './pages/OrganisationPage.js';
import { OversightPage } from './pages/OversightPage.js';
import { PlanningRoundPage } from './pages/PlanningRoundPage.js';
import { PlanningRoundsPage } from './pages/PlanningRoundsPage.js';
import { PlanPage } from './pages/PlanPage.js';
import { PlanVariancePage } from './pages/PlanVariancePage.js';
import { ProgrammePage } from './pages/ProgrammePage.js';
import { ProgrammesPage } from './pages/ProgrammesPage.js';
import { SegmentationPage } from './pages/SegmentationPage.js';
import { ReportPage } from './pages/ReportPage.js';
import { RestructuresPage } from './pages/RestructuresPage.js';
import { ReturnPage } from './pages/ReturnPage.js';
import { ReturnsPage } from './pages/ReturnsPage.js';
import { SearchPage } from './pages/SearchPage.js';
import { SetUpPage } from './pages/SetUpPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { DeclarationPage } from './pages/DeclarationPage.js';
import { StandardPage } from './pages/StandardPage.js';
import { StandardsPage } from './pages/StandardsPage.js';
import { SubmitReturnPage } from './pages/SubmitReturnPage.js';
import { SystemPlanPage } from './pages/SystemPlanPage.js';
import { TemplatesPage } from './pages/TemplatesPage.js';
import { SessionProvider } from './session.js';

/** Every view has its own URL (organisation, date and filters in it), so any page can be shared. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Layout>
          <Routes>
            <Route path="/" element={<EnglandPage />} />
            <Route path="/organisations/:code" element={<OrganisationPage />} />
            <Route path="/organisations/:code/report" element={<ReportPage />} />
            <Route path="/organisations/:code/oversight" element={<OversightPage />} />
            <Route path="/organisations/:code/inbox" element={<InboxPage />} />
            <Route path="/oversight" element={<SegmentationPage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/hierarchy/events" element={<RestructuresPage />} />
            <Route path="/hierarchy/as-now" element={<AsNowPage />} />
            <Route path="/metrics" element={<MetricsPage />} />
            <Route path="/metrics/:code" element={<MetricPage />} />
            <Route path="/metrics/:code/benchmark" element={<BenchmarkPage />} />
            <Route path="/imports" element={<ImportsPage />} />
            <Route path="/about" element={<AboutPage />} />
            <Route path="/returns" element={<ReturnsPage />} />
            <Route path="/collections" element={<TemplatesPage />} />
            <Route path="/collections/:code" element={<CoveragePage />} />
            <Route path="/returns/new" element={<SubmitReturnPage />} />
            <Route path="/returns/:id" element={<ReturnPage />} />
            <Route path="/planning" element={<PlanningRoundsPage />} />
            <Route path="/planning/:round" element={<PlanningRoundPage />} />
            <Route path="/planning/:round/systems/:icb" element={<SystemPlanPage />} />
            <Route path="/planning/:round/plans/:org" element={<PlanPage />} />
            <Route path="/planning/:round/variance/:org" element={<PlanVariancePage />} />
            <Route path="/programmes" element={<ProgrammesPage />} />
            <Route path="/programmes/:code" element={<ProgrammePage />} />
            <Route path="/standards" element={<StandardsPage />} />
            <Route path="/standards/:code" element={<StandardPage />} />
            <Route path="/organisations/:code/declarations/:standard" element={<DeclarationPage />} />
            <Route path="/mutual-aid" element={<MutualAidBoardPage />} />
            <Route path="/mutual-aid/new" element={<MutualAidRequestFormPage />} />
            <Route path="/mutual-aid/offers/new" element={<MutualAidOfferFormPage />} />
            <Route path="/mutual-aid/requests/:id" element={<MutualAidRequestPage />} />
            <Route path="/organisations/:code/collaboration" element={<MutualAidCollaborationPage />} />
            <Route path="/governance" element={<GovernancePage />} />
            <Route path="/governance/:body" element={<GovernanceBodyPage />} />
            <Route path="/governance/:body/meetings/:meeting" element={<GovernanceMeetingPage />} />
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/setup" element={<SetUpPage />} />
            <Route path="/account" element={<AccountPage />} />
            <Route path="/admin/users" element={<AdminUsersPage />} />
            <Route path="/admin/users/:id" element={<AdminUserPage />} />
            <Route path="/admin/tokens" element={<AdminTokensPage />} />
            <Route path="/admin/audit" element={<AuditPage />} />
            <Route path="/accountability" element={<AccountabilityPage />} />
            <Route path="/interventions" element={<InterventionsPage />} />
            <Route path="/interventions/new" element={<NewInterventionPage />} />
            <Route path="/interventions/:id" element={<InterventionPage />} />
            <Route path="/chain" element={<ChainPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Layout>
      </SessionProvider>
    </BrowserRouter>
  );
}
