import { Link, useParams } from 'react-router-dom';
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type IndexedTx } from '../../api.ts';
import { formatNumber, shortHash } from '../../components/format.ts';
import { usePolling } from '../../components/usePolling.ts';
import { Hash, LoadError } from './common.tsx';
import { ExplorerSearch } from './Search.tsx';

interface AccountAnswer { address: string; txCount: number; txs: IndexedTx[]; indexPending: number }

export function AccountPage() {
  const { t } = useTranslation();
  const { address = '' } = useParams();
  const r = usePolling(() => api.get<AccountAnswer>(`/api/explorer/accounts/${encodeURIComponent(address)}?limit=100`), 10_000, [address]);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ExplorerSearch />
      <LoadError error={r.error} />
      <Card title={t('explorer.account')} loading={r.loading && r.data === null}>
        <Descriptions column={1} bordered size="small" items={[
          { key: 'address', label: t('explorer.address'), children: <Hash value={address.toLowerCase()} /> },
          { key: 'count', label: t('explorer.txsSent'), children: formatNumber(r.data?.txCount) },
        ]} />
        {(r.data?.indexPending ?? 0) > 0 && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('explorer.indexPending', { count: r.data?.indexPending })} />}
      </Card>
      <Card title={t('explorer.accountTxs')}>
        <Table<IndexedTx> rowKey="txId" size="small" dataSource={r.data?.txs ?? []} scroll={{ x: true }} pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: t('explorer.txId'), dataIndex: 'txId', render: (id: string) => <Link to={`/explorer/txs/${id}`}><Typography.Text code>{shortHash(id, 12)}</Typography.Text></Link> },
            { title: t('common.height'), dataIndex: 'height', render: (h: number) => <Link to={`/explorer/blocks/${h}`}>{formatNumber(h)}</Link> },
            { title: t('explorer.call'), key: 'call', render: (_, tx) => `${tx.contract}.${tx.method}` },
            { title: t('common.status'), dataIndex: 'status', render: (s: string | null) => (s === null ? '-' : <Tag color={s === 'ok' ? 'green' : 'red'}>{t(`explorer.status.${s}`)}</Tag>) },
          ]} />
      </Card>
    </Space>
  );
}
