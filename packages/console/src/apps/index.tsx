/**
 * Pages of the apps hosted by the gateway (evidence, …). Each app appends its PageDefs here: they join the menu
 * (shown only to users holding the page's permission), the routes and the breadcrumb. Their API lives under
 * /api/apps/<app>/ on the gateway, which checks the same permissions on the server.
 */
import { FileSearchOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { PageDef } from '../pages/types.ts';
import { EvidenceRecordPage, EvidenceRecordsPage } from './evidence.tsx';

export const appPages: PageDef[] = [
  { key: 'evidence-records', path: '/apps/evidence/records', titleKey: 'apps.evidence.records', icon: <FileSearchOutlined />, permissions: ['evidence:read'], element: <EvidenceRecordsPage />, menu: true, group: 'apps' },
  { key: 'evidence-record', path: '/apps/evidence/record', titleKey: 'apps.evidence.recordTitle', icon: <SafetyCertificateOutlined />, permissions: ['evidence:record'], element: <EvidenceRecordPage />, menu: true, group: 'apps' },
];
