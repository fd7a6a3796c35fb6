import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { AuthProvider, useAuth } from './auth.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { LoginPage } from './pages/Login.tsx';
import { ChangePasswordPage } from './pages/ChangePassword.tsx';
import { ForbiddenPage, NotFoundPage } from './pages/Results.tsx';
import { PAGES } from './pages/registry.tsx';

/** Government blue, compact radii: the look of the provincial platforms this console sits beside. */
const THEME = {
  algorithm: theme.defaultAlgorithm,
  token: { colorPrimary: '#1456c8', colorInfo: '#1456c8', borderRadius: 4, fontFamily: "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" },
  components: { Layout: { siderBg: '#0b2350', headerBg: '#ffffff', triggerBg: '#08193b' }, Menu: { darkItemBg: '#0b2350', darkSubMenuItemBg: '#08193b', darkItemSelectedBg: '#1456c8' } },
};

/** After signing in, go back to the page that sent the visitor to the login page. */
function AfterLogin({ home }: { home: string }) {
  const from = (useLocation().state as { from?: string } | null)?.from;
  return <Navigate to={from !== undefined && from !== '/login' && from !== '/' ? from : home} replace />;
}

function Routed() {
  const { me, loading, canAny } = useAuth();
  if (loading) return <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}><Spin size="large" /></div>;
  if (me === null) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: window.location.pathname }} />} />
      </Routes>
    );
  }
  if (me.user.mustChangePassword) return <ChangePasswordPage forced />;
  const home = PAGES.find((p) => p.menu && canAny(p.permissions));
  return (
    <Routes>
      <Route path="/login" element={<AfterLogin home={home?.path ?? '/account'} />} />
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to={home?.path ?? '/account'} replace />} />
        {PAGES.map((p) => (
          <Route key={p.key} path={p.path} element={canAny(p.permissions) ? p.element : <ForbiddenPage />} />
        ))}
        <Route path="/account" element={<ChangePasswordPage forced={false} />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = i18n.t('app.title');
  }, [i18n, i18n.language]);
  return (
    <ConfigProvider locale={i18n.language === 'en-US' ? enUS : zhCN} theme={THEME}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Routed />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
