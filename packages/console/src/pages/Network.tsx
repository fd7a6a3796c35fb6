import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Badge, Button, Card, Col, Collapse, Descriptions, Modal, Progress, Row, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined, MinusCircleOutlined, PlusCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, type CertificateView, type HostStats, type NodeSnapshot, type Organization } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { formatAgo, formatBytes, formatDate, formatMs, formatNumber, formatTime, shortHash } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { LoadError } from './explorer/common.tsx';

const DAY_MS = 24 * 3600_000;

function NodesTab() {
  const { t } = useTranslation();
  const r = usePolling(() => api.get<{ nodes: NodeSnapshot[] }>('/api/nodes'), 3000);
  return (
    <>
      <LoadError error={r.error} />
      <Table<NodeSnapshot> rowKey="name" size="middle" dataSource={r.data?.nodes ?? []} loading={r.loading && r.data === null} pagination={false} scroll={{ x: true }}
        columns={[
          { title: t('network.node'), dataIndex: 'name', render: (n: string, s) => <Space orientation="vertical" size={0}><Typography.Text strong>{n}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.url}</Typography.Text></Space> },
          { title: t('common.organization'), dataIndex: 'organization', render: (o: string | null) => o ?? '-' },
          {
            title: t('common.status'), key: 'status',
            render: (_, s) => (s.reachable
              ? <Badge status="success" text={t('common.online')} />
              : <Tooltip title={s.lastError}><Badge status="error" text={`${t('common.offline')} ${s.downSinceMs ? `· ${formatAgo(s.downSinceMs)}` : ''}`} /></Tooltip>),
          },
          { title: t('common.height'), key: 'height', render: (_, s) => formatNumber(s.status?.height) },
          { title: t('network.consensus'), key: 'consensus', responsive: ['lg'], render: (_, s) => (s.status ? `${s.status.consensus.height} / r${s.status.consensus.round} / ${s.status.consensus.step}` : '-') },
          { title: t('network.peers'), key: 'peers', render: (_, s) => (s.status ? `${s.status.peers.filter((p) => p.connected).length} / ${s.status.peers.length}` : '-') },
          { title: t('network.mempool'), key: 'mempool', render: (_, s) => (s.status ? formatNumber(s.status.mempool.txs) : '-') },
          { title: t('network.version'), key: 'version', responsive: ['md'], render: (_, s) => s.status?.version ?? '-' },
          {
            title: t('network.nodeHost'), key: 'host', responsive: ['md'],
            render: (_, s) => (s.host === null ? '-' : (
              <Space orientation="vertical" size={0} style={{ fontSize: 12 }}>
                <span>CPU {s.host.cpuPercent === null ? '-' : `${s.host.cpuPercent}%`} · {t('network.memory')} {percent(s.host.memoryUsedBytes, s.host.memoryTotalBytes)}%</span>
                <span>{t('network.disk')} {formatBytes(s.host.diskUsedBytes)} / {formatBytes(s.host.diskTotalBytes)}</span>
              </Space>
            )),
          },
          { title: t('network.latency'), dataIndex: 'latencyMs', responsive: ['md'], render: (ms: number | null) => formatMs(ms) },
          { title: t('network.lastBlock'), key: 'lastBlock', responsive: ['lg'], render: (_, s) => (s.status ? formatAgo(s.status.lastBlockTimeMs) : '-') },
        ]} />
    </>
  );
}

function percent(used: number | null, total: number | null): number {
  return used === null || total === null || total === 0 ? 0 : Math.round((used / total) * 1000) / 10;
}

function HostTab() {
  const { t } = useTranslation();
  const r = usePolling(() => api.get<{ host: HostStats }>('/api/host'), 5000);
  const h = r.data?.host;
  const color = (p: number) => (p > 90 ? '#cf1322' : p > 75 ? '#fa8c16' : '#1456c8');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('network.hostNote')} />
      <LoadError error={r.error} />
      {h && (
        <>
          <Row gutter={[16, 16]}>
            {[
              { key: 'cpu', label: t('network.cpu'), p: h.cpuPercent ?? 0, detail: t('network.cores', { count: h.cpuCount }) },
              { key: 'mem', label: t('network.memory'), p: percent(h.memoryUsedBytes, h.memoryTotalBytes), detail: `${formatBytes(h.memoryUsedBytes)} / ${formatBytes(h.memoryTotalBytes)}` },
              { key: 'disk', label: t('network.disk'), p: percent(h.diskUsedBytes, h.diskTotalBytes), detail: `${formatBytes(h.diskUsedBytes)} / ${formatBytes(h.diskTotalBytes)}` },
            ].map((x) => (
              <Col xs={24} md={8} key={x.key}>
                <Card size="small" style={{ textAlign: 'center' }}>
                  <Typography.Text strong>{x.label}</Typography.Text>
                  <div style={{ margin: '12px 0' }}><Progress type="dashboard" percent={x.p} strokeColor={color(x.p)} /></div>
                  <Typography.Text type="secondary">{x.detail}</Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} items={[
            { key: 'host', label: t('network.hostname'), children: h.hostname },
            { key: 'load', label: t('network.load'), children: h.loadAverage.map((l) => l.toFixed(2)).join(' / ') },
            { key: 'uptime', label: t('network.uptime'), children: t('network.uptimeValue', { days: Math.floor(h.uptimeSeconds / 86400), hours: Math.floor((h.uptimeSeconds % 86400) / 3600) }) },
            { key: 'rss', label: t('network.gatewayMemory'), children: formatBytes(h.processRssBytes) },
            { key: 'disk', label: t('network.diskPath'), children: <Typography.Text code>{h.diskPath}</Typography.Text> },
          ]} />
        </>
      )}
    </Space>
  );
}

function expiryTag(t: TFunction, notAfterMs: number) {
  const days = Math.floor((notAfterMs - Date.now()) / DAY_MS);
  if (days < 0) return <Tag color="red">{t('network.expired')}</Tag>;
  if (days < 30) return <Tag color="orange">{t('network.expiresIn', { count: days })}</Tag>;
  return <Tag color="green">{t('network.valid')}</Tag>;
}

function CertificateModal({ cert, onClose }: { cert: CertificateView | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={cert !== null} onCancel={onClose} title={cert?.label} width={760} footer={[
      <Button key="dl" icon={<DownloadOutlined />} href={cert ? `/api/orgs/certificates/${cert.fingerprint}` : undefined}>{t('network.downloadPem')}</Button>,
      <Button key="close" type="primary" onClick={onClose}>{t('common.close')}</Button>,
    ]}>
      {cert && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} bordered size="small" items={[
            { key: 'kind', label: t('network.certKind'), children: t(`network.kinds.${cert.kind}`) },
            { key: 'subject', label: t('network.subject'), children: cert.subject },
            { key: 'issuer', label: t('network.issuer'), children: cert.issuer },
            { key: 'serial', label: t('network.serial'), children: <Typography.Text code>{cert.serialNumber}</Typography.Text> },
            { key: 'alg', label: t('network.algorithm'), children: cert.signatureAlgorithm },
            { key: 'validity', label: t('network.validity'), children: <span>{formatTime(cert.notBeforeMs)} — {formatTime(cert.notAfterMs)} {expiryTag(t, cert.notAfterMs)}</span> },
            { key: 'fp', label: t('network.fingerprint'), children: <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>{cert.fingerprint}</Typography.Text> },
          ]} />
          <pre style={{ background: '#f6f8fb', padding: 12, fontSize: 11, maxHeight: 220, overflow: 'auto', margin: 0 }}>{cert.pem}</pre>
        </Space>
      )}
    </Modal>
  );
}

function OrgsTab({ highlight }: { highlight: string | null }) {
  const { t } = useTranslation();
  const r = usePolling(() => api.get<{ organization: string; organizations: Organization[]; governance: { available: boolean } }>('/api/orgs'), null);
  const [open, setOpen] = useState<CertificateView | null>(null);
  useEffect(() => {
    if (highlight === null || r.data === null) return;
    const c = r.data.organizations.flatMap((o) => o.certificates).find((x) => x.fingerprint === highlight);
    if (c !== undefined) setOpen(c);
  }, [highlight, r.data]);
  const governance = (
    <Space wrap>
      <Tooltip title={t('network.governanceComing')}><Button icon={<PlusCircleOutlined />} disabled>{t('network.addOrg')}</Button></Tooltip>
      <Tooltip title={t('network.governanceComing')}><Button icon={<MinusCircleOutlined />} danger disabled>{t('network.removeOrg')}</Button></Tooltip>
    </Space>
  );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('network.governanceTitle')} description={t('network.governanceComing')} action={governance} />
      <LoadError error={r.error} />
      {r.data && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('network.orgCount')} value={r.data.organizations.length} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title={t('network.validatorCount')} value={r.data.organizations.reduce((a, o) => a + o.validators.length, 0)} /></Card></Col>
        </Row>
      )}
      <Collapse defaultActiveKey={r.data ? [r.data.organization] : undefined} key={r.data ? 'loaded' : 'loading'}
        items={(r.data?.organizations ?? []).map((o) => ({
          key: o.id,
          label: <Space wrap><Typography.Text strong>{o.name}</Typography.Text><Tag>{o.id}</Tag>{o.id === r.data?.organization && <Tag color="blue">{t('network.thisOrg')}</Tag>}<Typography.Text type="secondary">{t('network.validatorsOf', { names: o.validators.map((v) => v.name).join(', ') })}</Typography.Text></Space>,
          children: (
            <Table<CertificateView> rowKey="fingerprint" size="small" pagination={false} dataSource={o.certificates} scroll={{ x: true }}
              rowClassName={(c) => (c.fingerprint === highlight ? 'ant-table-row-selected' : '')}
              columns={[
                { title: t('network.certificate'), dataIndex: 'label', render: (l: string, c) => <Space><Typography.Text>{l}</Typography.Text>{c.isCA && <Tag color="purple">CA</Tag>}</Space> },
                { title: t('network.subject'), dataIndex: 'subject', responsive: ['lg'] },
                { title: t('network.notAfter'), dataIndex: 'notAfterMs', render: (ms: number) => <Space>{formatDate(ms)}{expiryTag(t, ms)}</Space> },
                { title: t('network.fingerprint'), dataIndex: 'fingerprint', responsive: ['md'], render: (f: string) => <Typography.Text code>{shortHash(f, 8)}</Typography.Text> },
                {
                  title: t('common.actions'), key: 'actions',
                  render: (_, c) => (
                    <Space>
                      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(c)}>{t('common.view')}</Button>
                      <Button size="small" icon={<DownloadOutlined />} href={`/api/orgs/certificates/${c.fingerprint}`}>PEM</Button>
                    </Space>
                  ),
                },
              ]} />
          ),
        }))} />
      <CertificateModal cert={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

export function NetworkPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tabs = [
    ...(can('nodes:read') ? [{ key: 'nodes', label: t('network.nodes'), children: <NodesTab /> }, { key: 'host', label: t('network.host'), children: <HostTab /> }] : []),
    ...(can('orgs:read') ? [{ key: 'orgs', label: t('network.orgs'), children: <OrgsTab highlight={params.get('cert')} /> }] : []),
  ];
  const active = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : tabs[0]?.key;
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.network')}</Typography.Title>
      <Tabs activeKey={active} onChange={(k) => setParams({ tab: k })} items={tabs} />
    </Card>
  );
}
