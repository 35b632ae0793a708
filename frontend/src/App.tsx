import { useCallback, useEffect, useMemo, useState } from "react";
import { BrowserRouter, Link, Navigate, NavLink, Outlet, Route, Routes } from "react-router-dom";
import { setApiLanguage } from "./api/client";
import { label } from "./labels";
import { LanguageSwitch } from "./LanguageSwitch";
import { initialLanguage, LanguageContext, useT, type Language } from "./i18n";
import { AccountPage, SetPasswordPage } from "./pages/Account";
import { AuditPage } from "./pages/Audit";
import { BranchesPage, BranchPage } from "./pages/Branches";
import { SegmentsPage } from "./pages/Segments";
import { CaseFormPage } from "./pages/CaseForm";
import { CasePage } from "./pages/Case";
import { CasesPage } from "./pages/Cases";
import { DedupePage } from "./pages/Dedupe";
import { ImportPage } from "./pages/Import";
import { LoginPage } from "./pages/Login";
import { OverviewPage } from "./pages/Overview";
import { PeoplePage } from "./pages/People";
import { PersonPage } from "./pages/Person";
import { PreferencesPage } from "./pages/Preferences";
import { AreaDataPage, OfficePage, OfficesPage } from "./pages/Offices";
import { NewPersonPage } from "./pages/PersonForm";
import { UserPage, UsersPage } from "./pages/Users";
import { SessionProvider, useSession } from "./session";

export function App() {
  const [language, setLanguageState] = useState<Language>(() => {
    const first = initialLanguage();
    setApiLanguage(first);
    return first;
  });
  // stable, so pages may depend on it; the API hears the new language before the next request
  const setLanguage = useCallback((value: Language) => {
    localStorage.setItem("achterban.language", value);
    setApiLanguage(value);
    setLanguageState(value);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const languageState = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);

  return (
    <LanguageContext.Provider value={languageState}>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/preferences/:token" element={<PreferencesPage />} />
            <Route path="/set-password/:token" element={<SetPasswordPage />} />
            <Route path="/form" element={<CaseFormPage />} />
            <Route path="/form/embed" element={<CaseFormPage embedded />} />
            <Route element={<Shell />}>
              <Route index element={<OverviewPage />} />
              <Route path="people" element={<PeoplePage />} />
              <Route path="people/new" element={<NewPersonPage />} />
              <Route path="people/:personId" element={<PersonPage />} />
              <Route path="imports" element={<ImportPage />} />
              <Route path="duplicates" element={<DedupePage />} />
              <Route path="cases" element={<CasesPage />} />
              <Route path="cases/:caseId" element={<CasePage />} />
              <Route path="audit" element={<AuditPage />} />
              <Route path="offices" element={<OfficesPage />} />
              <Route path="offices/:officeId" element={<OfficePage />} />
              <Route path="areas" element={<AreaDataPage />} />
              <Route path="branches" element={<BranchesPage />} />
              <Route path="branches/:branchId" element={<BranchPage />} />
              <Route path="segments" element={<SegmentsPage />} />
              <Route path="users" element={<UsersPage />} />
              <Route path="users/:userId" element={<UserPage />} />
              <Route path="account" element={<AccountPage />} />
            </Route>
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </LanguageContext.Provider>
  );
}

function Shell() {
  const t = useT();
  const { session, loading, signOut, can } = useSession();
  if (loading) return <p className="loading">{t("loading")}</p>;
  if (!session) return <Navigate to="/login" replace />;
  return (
    <div className="shell">
      <header>
        <span className="brand">{t("appName")}</span>
        <span className="user">
          <Link to="/account" data-testid="current-user" title={t("myAccount")}>
            {session.user.name}
          </Link>
          <span className="role">{label(t, "userRole", session.user.role)}</span>
        </span>
        <LanguageSwitch />
        <button type="button" onClick={() => void signOut()}>
          {t("signOut")}
        </button>
      </header>
      <nav aria-label={t("mainNavigation")}>
        <NavLink to="/" end>
          {t("overview")}
        </NavLink>
        {can("people.read") && <NavLink to="/people" end>{t("people")}</NavLink>}
        {can("people.import") && <NavLink to="/imports">{t("imports")}</NavLink>}
        {can("people.write") && <NavLink to="/duplicates">{t("duplicates")}</NavLink>}
        {can("cases.read") && <NavLink to="/cases" end>{t("cases")}</NavLink>}
        {can("audit.read") && <NavLink to="/audit">{t("auditLog")}</NavLink>}
        {can("offices.manage") && <NavLink to="/offices">{t("offices")}</NavLink>}
        {can("offices.manage") && <NavLink to="/areas">{t("areasNav")}</NavLink>}
        {can("branches.read") && <NavLink to="/branches">{t("branches")}</NavLink>}
        {can("segments.manage") && <NavLink to="/segments">{t("segments")}</NavLink>}
        {can("users.read") && <NavLink to="/users">{t("staff")}</NavLink>}
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
