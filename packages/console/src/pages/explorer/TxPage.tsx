import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Space, Tag, Typography, App as AntApp } from 'antd';
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type TxRecord } from '../../api.ts';
import { formatNumber, formatTime } from '../../components/format.ts';
import { usePolling } from '../../components/usePolling.ts';
import { errorText } from '../errors.ts';
import { Hash, Json, LoadError } from './common.tsx';
import { ExplorerSearch } from './Search.tsx';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function TxPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { id = '' } = useParams();
  const r = usePolling(() => api.get<{ record: TxRecord }>(`/api/explorer/txs/${encodeURIComponent(id)}`), null, [id]);
  const [proof, setProof] = useState<unknown>(null);
  const [proofBusy, setProofBusy] = useState(false);
  const rec = r.data?.record;

  const loadProof = async () => {
    setProofBusy(true);
    try {
      setProof(await api.get(`/api/explorer/txs/${id}/proof`));
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setProofBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <ExplorerSearch />
      <LoadError error={r.error} />
      <Card title={t('explorer.tx')} loading={r.loading} data-testid="tx-detail"
        extra={rec && <Tag color={rec.receipt.status === 'ok' ? 'green' : 'red'} data-testid="tx-status">{t(`explorer.status.${rec.receipt.status}`)}</Tag>}>
        {rec && (
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" items={[
            { key: 'id', label: t('explorer.txId'), span: 2, children: <Hash value={rec.tx.txId} /> },
            { key: 'height', label: t('common.height'), children: <Link to={`/explorer/blocks/${rec.height}`}>{formatNumber(rec.height)}</Link> },
            { key: 'index', label: t('explorer.indexInBlock'), children: rec.index },
            { key: 'block', label: t('explorer.blockHash'), span: 2, children: <Link to={`/explorer/blocks/${rec.blockHash}`}><Typography.Text code>{rec.blockHash}</Typography.Text></Link> },
            { key: 'sender', label: t('explorer.sender'), span: 2, children: <Space wrap><Link to={`/explorer/accounts/${rec.tx.sender.address}`}><Typography.Text code>{rec.tx.sender.address}</Typography.Text></Link>{rec.tx.sender.certificate && <Tag color="blue">{t('explorer.withCertificate')}</Tag>}</Space> },
            { key: 'call', label: t('explorer.call'), children: <Tag color="geekblue" data-testid="tx-call">{rec.tx.contract}.{rec.tx.method}</Tag> },
            { key: 'expires', label: t('explorer.expires'), children: formatTime(rec.tx.expiresAtMs) },
            { key: 'args', label: t('explorer.args'), span: 2, children: <Json value={rec.tx.args} testId="tx-args" /> },
            { key: 'nonce', label: t('explorer.nonce'), children: <Typography.Text code>{rec.tx.nonce}</Typography.Text> },
            { key: 'chain', label: t('explorer.chainId'), children: rec.tx.chainId },
            { key: 'pk', label: t('explorer.publicKey'), span: 2, children: <Typography.Text code style={{ wordBreak: 'break-all' }}>{rec.tx.sender.publicKey}</Typography.Text> },
            { key: 'sig', label: t('explorer.signature'), span: 2, children: <Typography.Text code style={{ wordBreak: 'break-all' }}>{rec.tx.signature}</Typography.Text> },
          ]} />
        )}
      </Card>
      {rec && (
        <Card title={t('explorer.receipt')}>
          <Descriptions column={1} bordered size="small" items={[
            { key: 'status', label: t('common.status'), children: <Tag color={rec.receipt.status === 'ok' ? 'green' : 'red'}>{t(`explorer.status.${rec.receipt.status}`)}</Tag> },
            ...(rec.receipt.errorCode ? [{ key: 'err', label: t('explorer.error'), children: <span><Typography.Text code>{rec.receipt.errorCode}</Typography.Text> {rec.receipt.errorMessage}</span> }] : []),
            { key: 'result', label: t('explorer.result'), children: <Json value={rec.receipt.result} /> },
            { key: 'events', label: t('explorer.events'), children: rec.receipt.events.length === 0 ? '-' : <Json value={rec.receipt.events} /> },
          ]} />
        </Card>
      )}
      {rec && (
        <Card title={<span><SafetyCertificateOutlined /> {t('explorer.proof')}</span>}
          extra={
            <Space>
              {proof === null
                ? <Button type="primary" loading={proofBusy} onClick={() => void loadProof()} data-testid="load-proof">{t('explorer.loadProof')}</Button>
                : <Button icon={<DownloadOutlined />} onClick={() => download(`govchain-proof-${id.slice(0, 16)}.json`, JSON.stringify(proof, null, 2), 'application/json')}>{t('explorer.downloadProof')}</Button>}
            </Space>
          }>
          <Typography.Paragraph type="secondary">{t('explorer.proofHint')}</Typography.Paragraph>
          {proof !== null && <Json value={proof} testId="tx-proof" />}
        </Card>
      )}
    </Space>
  );
}
