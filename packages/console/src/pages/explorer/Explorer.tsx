import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Block, type IndexedTx } from '../../api.ts';
import { formatAgo, formatNumber, formatTime, shortHash } from '../../components/format.ts';
import { usePolling } from '../../components/usePolling.ts';
import { ExplorerSearch } from './Search.tsx';

const PAGE = 20;

function BlocksTab() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [latest, setLatest] = useState<number | null>(null);
  // Page 1 follows the chain head; other pages stay on the heights they showed.
  const from = page === 1 || latest === null ? undefined : Math.max(1, latest - (page - 1) * PAGE);
  const blocks = usePolling(async () => {
    const r = await api.get<{ blocks: Block[]; latest: number }>(`/api/explorer/blocks?limit=${PAGE}${from === undefined ? '' : `&from=${from}`}`);
    if (page === 1) setLatest(r.latest);
    return r;
  }, page === 1 ? 5000 : null, [page, from]);
  return (
    <Table<Block>
      rowKey={(b) => b.header.height}
      size="middle"
      loading={blocks.loading && blocks.data === null}
      dataSource={blocks.data?.blocks ?? []}
      scroll={{ x: true }}
      pagination={{ current: page, pageSize: PAGE, total: latest ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('explorer.blocksTotal', { count: n }) }}
      columns={[
        { title: t('common.height'), render: (_, b) => <Link to={`/explorer/blocks/${b.header.height}`}>{formatNumber(b.header.height)}</Link> },
        { title: t('explorer.hash'), render: (_, b) => <Typography.Text code>{shortHash(b.header.hash, 10)}</Typography.Text> },
        { title: t('dashboard.txs'), render: (_, b) => b.header.txCount },
        { title: t('explorer.signers'), responsive: ['md'], render: (_, b) => b.certificate?.signers.length ?? '-' },
        { title: t('common.time'), render: (_, b) => <span title={formatTime(b.header.timeMs)}>{formatAgo(b.header.timeMs)}</span> },
      ]}
    />
  );
}

function TxsTab() {
  const { t } = useTranslation();
  const txs = usePolling(() => api.get<{ txs: IndexedTx[] }>('/api/explorer/txs?limit=50'), 5000);
  return (
    <Table<IndexedTx>
      rowKey="txId"
      size="middle"
      loading={txs.loading && txs.data === null}
      dataSource={txs.data?.txs ?? []}
      scroll={{ x: true }}
      pagination={{ pageSize: PAGE, showSizeChanger: false }}
      columns={[
        { title: t('explorer.txId'), dataIndex: 'txId', render: (id: string) => <Link to={`/explorer/txs/${id}`}><Typography.Text code>{shortHash(id, 10)}</Typography.Text></Link> },
        { title: t('common.height'), dataIndex: 'height', render: (h: number) => <Link to={`/explorer/blocks/${h}`}>{formatNumber(h)}</Link> },
        { title: t('explorer.call'), key: 'call', render: (_, tx) => (tx.contract === null ? <Typography.Text type="secondary">{t('explorer.indexing')}</Typography.Text> : <Tag>{tx.contract}.{tx.method}</Tag>) },
        { title: t('explorer.sender'), dataIndex: 'sender', responsive: ['md'], render: (a: string | null) => (a === null ? '-' : <Link to={`/explorer/accounts/${a}`}><Typography.Text code>{shortHash(a, 6)}</Typography.Text></Link>) },
        { title: t('common.status'), dataIndex: 'status', render: (s: string | null) => (s === null ? '-' : <Tag color={s === 'ok' ? 'green' : 'red'}>{t(`explorer.status.${s}`)}</Tag>) },
      ]}
    />
  );
}

export function ExplorerPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'txs' ? 'txs' : 'blocks';
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.explorer')}</Typography.Title>
        <ExplorerSearch autoFocus />
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>{t('explorer.searchHint')}</Typography.Text>
      </Card>
      <Card>
        <Tabs activeKey={tab} onChange={(k) => setParams(k === 'txs' ? { tab: 'txs' } : {})}
          items={[
            { key: 'blocks', label: t('explorer.latestBlocks'), children: <BlocksTab /> },
            { key: 'txs', label: t('explorer.latestTxs'), children: <TxsTab /> },
          ]} />
      </Card>
    </Space>
  );
}
