import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, Card, Col, Row, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { ApartmentOutlined, BlockOutlined, ClockCircleOutlined, FieldTimeOutlined, SwapOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type Dashboard, type IndexedBlock, type IndexedTx, type Series, type Validator } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { formatAgo, formatClock, formatMs, formatNumber, shortHash } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { errorText } from './errors.ts';

const SUMMARY_MS = 3000;
const SERIES_MS = 10_000;

function StatCard({ title, value, icon, suffix, testId, precision }: { title: string; value: number | string; icon: React.ReactNode; suffix?: string; testId: string; precision?: number }) {
  return (
    <Card size="small" style={{ height: '100%' }}>
      <Statistic title={<Space>{icon}{title}</Space>} value={value} suffix={suffix} precision={precision} data-testid={testId} />
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const [auto, setAuto] = useState(true);
  const summary = usePolling(() => api.get<Dashboard>('/api/dashboard'), auto ? SUMMARY_MS : null, [auto]);
  const series = usePolling(() => api.get<Series>('/api/dashboard/series?minutes=15'), auto ? SERIES_MS : null, [auto]);
  const d = summary.data;

  const tpsOption = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: (series.data?.tps ?? []).map((p) => formatClock(p.timeMs)), boundaryGap: false },
    yAxis: { type: 'value', name: 'TPS', minInterval: 1 },
    series: [{ name: 'TPS', type: 'line', smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 }, data: (series.data?.tps ?? []).map((p) => Math.round(p.tps * 10) / 10), color: '#1456c8' }],
  }), [series.data]);

  const blockOption = useMemo(() => {
    const blocks = series.data?.blocks ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('dashboard.blockTime'), t('dashboard.txsPerBlock')], top: 0 },
      grid: { left: 56, right: 48, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: blocks.map((b) => b.height) },
      yAxis: [{ type: 'value', name: 's' }, { type: 'value', name: t('dashboard.txs'), minInterval: 1 }],
      series: [
        { name: t('dashboard.blockTime'), type: 'line', showSymbol: false, data: blocks.map((b) => Math.round(b.blockTimeMs / 10) / 100), color: '#13a8a8' },
        { name: t('dashboard.txsPerBlock'), type: 'bar', yAxisIndex: 1, data: blocks.map((b) => b.txCount), color: '#7aa7f0' },
      ],
    };
  }, [series.data, t]);

  const validatorColumns = [
    { title: t('dashboard.validator'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { title: t('common.organization'), dataIndex: 'organization' },
    {
      title: t('common.status'), dataIndex: 'online',
      render: (_: boolean, v: Validator) => (v.online ? <Badge status="success" text={t('common.online')} /> : <Badge status="error" text={t('common.offline')} />),
    },
    { title: t('common.height'), dataIndex: 'height', render: (h: number | null) => formatNumber(h) },
    { title: t('dashboard.lastSigned'), dataIndex: 'lastSignedHeight', render: (h: number | null) => formatNumber(h) },
    { title: t('dashboard.address'), dataIndex: 'address', responsive: ['lg' as const], render: (a: string) => <Typography.Text code copyable={{ text: a }}>{shortHash(a, 6)}</Typography.Text> },
  ];
  const blockColumns = [
    { title: t('common.height'), dataIndex: 'height', render: (h: number) => <Link to={`/explorer/blocks/${h}`}>{formatNumber(h)}</Link> },
    { title: t('explorer.hash'), dataIndex: 'hash', responsive: ['md' as const], render: (h: string) => <Typography.Text code>{shortHash(h, 6)}</Typography.Text> },
    { title: t('dashboard.txs'), dataIndex: 'txCount' },
    { title: t('explorer.proposer'), dataIndex: 'proposer', responsive: ['lg' as const] },
    { title: t('common.time'), dataIndex: 'timeMs', render: (ms: number) => formatAgo(ms) },
  ];
  const txColumns = [
    { title: t('explorer.txId'), dataIndex: 'txId', render: (id: string) => <Link to={`/explorer/txs/${id}`}><Typography.Text code>{shortHash(id, 6)}</Typography.Text></Link> },
    { title: t('common.height'), dataIndex: 'height', render: (h: number) => <Link to={`/explorer/blocks/${h}`}>{h}</Link> },
    { title: t('explorer.call'), key: 'call', responsive: ['md' as const], render: (_: unknown, tx: IndexedTx) => (tx.contract ? `${tx.contract}.${tx.method}` : '…') },
    { title: t('common.status'), dataIndex: 'status', render: (s: string | null) => (s === null ? '-' : <Tag color={s === 'ok' ? 'green' : 'red'}>{t(`explorer.status.${s}`)}</Tag>) },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.dashboard')}</Typography.Title>
        <div style={{ flex: 1 }} />
        <Space>
          <Typography.Text type="secondary" data-testid="dashboard-updated">
            {summary.updatedMs === null ? '' : t('dashboard.updatedAt', { time: formatClock(summary.updatedMs) })}
          </Typography.Text>
          <Switch checked={auto} onChange={setAuto} checkedChildren={t('dashboard.autoRefresh')} unCheckedChildren={t('dashboard.paused')} />
        </Space>
      </div>
      {summary.error !== null && <Alert type="error" showIcon title={errorText(t, summary.error)} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}><StatCard testId="stat-height" title={t('dashboard.height')} value={d?.height ?? 0} icon={<BlockOutlined />} /></Col>
        <Col xs={12} md={8} xl={4}><StatCard testId="stat-txs" title={t('dashboard.txTotal')} value={d?.txTotal ?? 0} icon={<SwapOutlined />} /></Col>
        <Col xs={12} md={8} xl={4}><StatCard testId="stat-tps" title={t('dashboard.tps')} value={d?.tpsLastMinute ?? 0} precision={1} icon={<FieldTimeOutlined />} /></Col>
        <Col xs={12} md={8} xl={4}><StatCard testId="stat-blocktime" title={t('dashboard.blockTimeAvg')} value={d?.blockTimeAvgMs == null ? '-' : formatMs(d.blockTimeAvgMs)} icon={<ClockCircleOutlined />} /></Col>
        <Col xs={12} md={8} xl={4}><StatCard testId="stat-nodes" title={t('dashboard.nodesOnline')} value={d === null ? '-' : `${d.nodesOnline} / ${d.nodesTotal}`} icon={<ApartmentOutlined />} /></Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={<Space><WarningOutlined />{t('dashboard.alertsFiring')}</Space>} value={d?.alertsFiring ?? 0}
              styles={{ content: { color: (d?.alertsFiring ?? 0) > 0 ? '#cf1322' : undefined } }} />
            {(d?.alertsFiring ?? 0) > 0 && <Link to="/monitor">{t('dashboard.seeAlerts')}</Link>}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.tpsChart')} size="small" extra={<Tooltip title={t('dashboard.tpsChartTip')}><Typography.Text type="secondary">{t('dashboard.last15')}</Typography.Text></Tooltip>}>
            <Chart option={tpsOption} testId="chart-tps" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.blockChart')} size="small" extra={<Typography.Text type="secondary">{t('dashboard.last15')}</Typography.Text>}>
            <Chart option={blockOption} testId="chart-blocktime" />
          </Card>
        </Col>
      </Row>
      <Card title={t('dashboard.validators')} size="small" extra={d && <Typography.Text type="secondary">{t('dashboard.consensusAt', { height: d.consensus.height, round: d.consensus.round, step: d.consensus.step })}</Typography.Text>}>
        <Table<Validator> rowKey="name" size="small" pagination={false} columns={validatorColumns} dataSource={d?.validators ?? []} loading={summary.loading && d === null} scroll={{ x: true }} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.recentBlocks')} size="small" extra={<Link to="/explorer">{t('common.more')}</Link>}>
            <Table<IndexedBlock> rowKey="height" size="small" pagination={false} columns={blockColumns} dataSource={d?.recentBlocks ?? []} data-testid="recent-blocks" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.recentTxs')} size="small" extra={<Link to="/explorer?tab=txs">{t('common.more')}</Link>}>
            <Table<IndexedTx> rowKey="txId" size="small" pagination={false} columns={txColumns} dataSource={d?.recentTxs ?? []} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
