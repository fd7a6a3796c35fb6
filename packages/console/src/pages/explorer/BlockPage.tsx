import { Link, useParams } from 'react-router-dom';
import { Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Block, type IndexedTx } from '../../api.ts';
import { formatNumber, formatTime, shortHash } from '../../components/format.ts';
import { usePolling } from '../../components/usePolling.ts';
import { Hash, LoadError } from './common.tsx';
import { ExplorerSearch } from './Search.tsx';

interface BlockAnswer { block: Block; proposer: string | null; signers: string[]; txs: IndexedTx[]; txsShown: number }

export function BlockPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const r = usePolling(() => api.get<BlockAnswer>(`/api/explorer/blocks/${encodeURIComponent(id)}`), null, [id]);
  const b = r.data?.block;
  const h = b?.header;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ExplorerSearch />
      <LoadError error={r.error} />
      <Card title={<span>{t('explorer.block')} {h ? `#${formatNumber(h.height)}` : ''}</span>} loading={r.loading}
        extra={h && (
          <Space>
            {h.height > 1 && <Link to={`/explorer/blocks/${h.height - 1}`}>‹ {t('explorer.prevBlock')}</Link>}
            <Link to={`/explorer/blocks/${h.height + 1}`}>{t('explorer.nextBlock')} ›</Link>
          </Space>
        )}>
        {h && (
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={[
            { key: 'height', label: t('common.height'), children: formatNumber(h.height) },
            { key: 'time', label: t('common.time'), children: formatTime(h.timeMs) },
            { key: 'hash', label: t('explorer.hash'), span: 2, children: <Hash value={h.hash} /> },
            { key: 'prev', label: t('explorer.prevHash'), span: 2, children: h.height > 1 ? <Link to={`/explorer/blocks/${h.prevHash}`}><Typography.Text code>{h.prevHash}</Typography.Text></Link> : <Typography.Text code>{h.prevHash}</Typography.Text> },
            { key: 'proposer', label: t('explorer.proposer'), children: r.data?.proposer ?? `#${h.proposerIndex}` },
            { key: 'txs', label: t('dashboard.txs'), children: h.txCount },
            { key: 'signers', label: t('explorer.signers'), span: 2, children: <Space wrap>{(r.data?.signers ?? []).map((s) => <Tag key={s} color="blue">{s}</Tag>)}{b?.certificate && <Typography.Text type="secondary">{t('explorer.round', { round: b.certificate.round })}</Typography.Text>}</Space> },
            { key: 'txRoot', label: t('explorer.txRoot'), span: 2, children: <Typography.Text code>{h.txRoot}</Typography.Text> },
            { key: 'resultsRoot', label: t('explorer.resultsRoot'), span: 2, children: <Typography.Text code>{h.resultsRoot}</Typography.Text> },
            { key: 'stateRoot', label: t('explorer.stateRoot'), span: 2, children: <Typography.Text code>{h.stateRoot}</Typography.Text> },
            { key: 'validatorsHash', label: t('explorer.validatorsHash'), span: 2, children: <Typography.Text code>{h.validatorsHash}</Typography.Text> },
          ]} />
        )}
      </Card>
      {b && b.txIds.length > 0 && (
        <Card title={t('explorer.txsInBlock', { count: b.txIds.length })}>
          <Table<IndexedTx> rowKey="txId" size="small" dataSource={r.data?.txs ?? []} scroll={{ x: true }} pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { title: '#', dataIndex: 'index', width: 60 },
              { title: t('explorer.txId'), dataIndex: 'txId', render: (id: string) => <Link to={`/explorer/txs/${id}`}><Typography.Text code>{shortHash(id, 12)}</Typography.Text></Link> },
              { title: t('explorer.call'), key: 'call', render: (_, tx) => (tx.contract === null ? '…' : `${tx.contract}.${tx.method}`) },
              { title: t('common.status'), dataIndex: 'status', render: (s: string | null) => (s === null ? '-' : <Tag color={s === 'ok' ? 'green' : 'red'}>{t(`explorer.status.${s}`)}</Tag>) },
            ]} />
        </Card>
      )}
    </Space>
  );
}
