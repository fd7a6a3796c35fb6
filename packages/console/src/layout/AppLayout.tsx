/** The frame of every page: side menu (only what the user may open), top bar (chain, language, user), breadcrumb. */
import { useMemo, useState } from 'react';
import { Link, Outlet, matchPath, useLocation, useNavigate } from 'react-router-dom';
import { Avatar, Breadcrumb, Button, Dropdown, Grid, Layout, Menu, Space, Tag, Tooltip, Typography, App as AntApp } from 'antd';
import type { MenuProps } from 'antd';
import { GlobalOutlined, HomeOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth.tsx';
import { setLanguage, type Language } from '../i18n/index.ts';
import { PAGES } from '../pages/registry.tsx';
import type { PageDef } from '../pages/types.ts';
import { roleName } from '../pages/roles.ts';

const { Header, Sider, Content, Footer } = Layout;

function Logo({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <div style={{ height: 64, display: 'flex', alignItems: 'center', gap: 10, padding: collapsed ? '0 20px' : '0 20px', color: '#fff', overflow: 'hidden', whiteSpace: 'nowrap' }}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {!collapsed && <span style={{ fontSize: 16, fontWeight: 600, letterSpacing: 1 }}>{t('app.shortTitle')}</span>}
    </div>
  );
}

function currentPage(pathname: string): PageDef | undefined {
  return PAGES.find((p) => matchPath({ path: p.path, end: true }, pathname) !== null);
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { me, logout, canAny } = useAuth();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  // Folded from the start on a narrow screen (below Ant Design's lg breakpoint), where the menu overlays the page.
  const [collapsed, setCollapsed] = useState(() => window.matchMedia('(max-width: 991.98px)').matches);
  const page = currentPage(location.pathname);

  const menuItems = useMemo<MenuProps['items']>(() => {
    const groups: { key: PageDef['group']; label: string }[] = [
      { key: 'chain', label: t('menu.groupChain') },
      { key: 'apps', label: t('menu.groupApps') },
      { key: 'system', label: t('menu.groupSystem') },
    ];
    return groups.flatMap((g) => {
      const pages = PAGES.filter((p) => p.menu && p.group === g.key && canAny(p.permissions));
      if (pages.length === 0) return [];
      return [{
        type: 'group' as const, key: g.key, label: collapsed && !narrow ? null : g.label,
        children: pages.map((p) => ({ key: p.key, icon: p.icon, label: <Link to={p.path} data-testid={`menu-${p.key}`}>{t(p.titleKey)}</Link> })),
      }];
    });
  }, [t, canAny, collapsed, narrow]);

  const selected = page === undefined ? [] : [page.parent ?? page.key];
  const crumbs = useMemo(() => {
    const trail: PageDef[] = [];
    for (let p = page; p !== undefined; p = p.parent === undefined ? undefined : PAGES.find((x) => x.key === p!.parent)) trail.unshift(p);
    return [
      { title: <Link to="/"><HomeOutlined /> {t('menu.home')}</Link> },
      ...trail.map((p, i) => ({ title: i === trail.length - 1 ? t(p.titleKey) : <Link to={p.path}>{t(p.titleKey)}</Link> })),
      ...(page === undefined && location.pathname === '/account' ? [{ title: t('account.title') }] : []),
    ];
  }, [page, t, location.pathname]);

  if (me === null) return null;
  const userMenu: MenuProps['items'] = [
    { key: 'account', icon: <KeyOutlined />, label: t('account.title'), onClick: () => navigate('/account') },
    { type: 'divider' },
    {
      key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true,
      onClick: () => void logout().then(() => message.success(t('auth.loggedOut'))),
    },
  ];
  const langMenu: MenuProps['items'] = [
    { key: 'zh-CN', label: '简体中文' },
    { key: 'en-US', label: 'English' },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        collapsedWidth={narrow ? 0 : 72}
        trigger={null}
        width={224}
        style={narrow ? { position: 'fixed', top: 0, bottom: 0, zIndex: 20, overflow: 'hidden' } : { zIndex: 20 }}
      >
        <div className="sider-inner">
          <Logo collapsed={collapsed} />
          <Menu theme="dark" mode="inline" selectedKeys={selected} items={menuItems} onClick={() => narrow && setCollapsed(true)} />
        </div>
      </Sider>
      <Layout>
        <Header style={{ padding: '0 16px', display: 'flex', alignItems: 'center', gap: 12, borderBottom: '1px solid #e8ecf2', position: 'sticky', top: 0, zIndex: 10 }}>
          <Button type="text" aria-label={t('menu.toggle')} icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />} onClick={() => setCollapsed(!collapsed)} />
          <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{t('app.title')}</Typography.Text>
          <div style={{ flex: 1 }} />
          {!narrow && (
            <Tooltip title={t('header.chainTip')}>
              <Tag color="blue" data-testid="chain-tag">{me.chain.chainId} · {me.chain.suite === 'gm' ? t('header.suiteGm') : t('header.suiteIntl')}</Tag>
            </Tooltip>
          )}
          <Dropdown trigger={['click']} menu={{ items: langMenu, selectable: true, selectedKeys: [i18n.language], onClick: ({ key }) => setLanguage(key as Language) }}>
            <Button type="text" icon={<GlobalOutlined />} data-testid="language-switch">{narrow ? null : i18n.language === 'en-US' ? 'English' : '简体中文'}</Button>
          </Dropdown>
          <Dropdown menu={{ items: userMenu }}>
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Avatar size="small" style={{ backgroundColor: '#1456c8' }} icon={<UserOutlined />} />
              {!narrow && <span>{me.user.displayName}</span>}
              {!narrow && me.user.roles.slice(0, 2).map((r) => <Tag key={r} color="geekblue" style={{ marginInlineEnd: 0 }}>{roleName(t, r)}</Tag>)}
            </Space>
          </Dropdown>
        </Header>
        <Content style={{ padding: narrow ? 12 : 20 }}>
          <Breadcrumb items={crumbs} style={{ marginBottom: 16 }} />
          <Outlet />
        </Content>
        <Footer style={{ textAlign: 'center', color: '#8a94a6', padding: '12px 16px' }}>
          {t('app.footer', { organization: me.user.organization })}
        </Footer>
      </Layout>
    </Layout>
  );
}
