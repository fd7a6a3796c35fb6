/** Every page of the console: its route, menu entry, breadcrumb parent and the permissions that open it. */
import { AlertOutlined, ApartmentOutlined, AuditOutlined, BlockOutlined, DashboardOutlined, TeamOutlined } from '@ant-design/icons';
import { appPages } from '../apps/index.tsx';
import type { PageDef } from './types.ts';
import { DashboardPage } from './Dashboard.tsx';
import { ExplorerPage } from './explorer/Explorer.tsx';
import { BlockPage } from './explorer/BlockPage.tsx';
import { TxPage } from './explorer/TxPage.tsx';
import { AccountPage } from './explorer/AccountPage.tsx';
import { NetworkPage } from './Network.tsx';
import { MonitorPage } from './Monitor.tsx';
import { AuditPage } from './Audit.tsx';
import { AccessPage } from './Access.tsx';

const CORE_PAGES: PageDef[] = [
  { key: 'dashboard', path: '/dashboard', titleKey: 'menu.dashboard', icon: <DashboardOutlined />, permissions: ['dashboard:read'], element: <DashboardPage />, menu: true, group: 'chain' },
  { key: 'explorer', path: '/explorer', titleKey: 'menu.explorer', icon: <BlockOutlined />, permissions: ['explorer:read'], element: <ExplorerPage />, menu: true, group: 'chain' },
  { key: 'explorer-block', path: '/explorer/blocks/:id', titleKey: 'explorer.block', permissions: ['explorer:read'], element: <BlockPage />, menu: false, group: 'chain', parent: 'explorer' },
  { key: 'explorer-tx', path: '/explorer/txs/:id', titleKey: 'explorer.tx', permissions: ['explorer:read'], element: <TxPage />, menu: false, group: 'chain', parent: 'explorer' },
  { key: 'explorer-account', path: '/explorer/accounts/:address', titleKey: 'explorer.account', permissions: ['explorer:read'], element: <AccountPage />, menu: false, group: 'chain', parent: 'explorer' },
  { key: 'network', path: '/network', titleKey: 'menu.network', icon: <ApartmentOutlined />, permissions: ['nodes:read', 'orgs:read'], element: <NetworkPage />, menu: true, group: 'chain' },
  { key: 'monitor', path: '/monitor', titleKey: 'menu.monitor', icon: <AlertOutlined />, permissions: ['monitor:read'], element: <MonitorPage />, menu: true, group: 'chain' },
  { key: 'audit', path: '/audit', titleKey: 'menu.audit', icon: <AuditOutlined />, permissions: ['audit:read'], element: <AuditPage />, menu: true, group: 'system' },
  { key: 'access', path: '/access', titleKey: 'menu.access', icon: <TeamOutlined />, permissions: ['users:read', 'roles:read'], element: <AccessPage />, menu: true, group: 'system' },
];

export const PAGES: PageDef[] = [...CORE_PAGES, ...appPages];
