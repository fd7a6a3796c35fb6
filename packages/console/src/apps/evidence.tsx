/**
 * The evidence app's pages (可信存证): 存证记录 (search records, a record's detail with its proof, certificate and the
 * public verification page) and 存证 (record a file). Everything goes through /api/apps/evidence/, which checks
 * evidence:read / evidence:record itself.
 */
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography, Upload, App as AntApp } from 'antd';
import { FileProtectOutlined, LinkOutlined, MinusCircleOutlined, PlusOutlined, SafetyCertificateOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { formatBytes, formatTime, shortHash } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { errorText } from '../pages/errors.ts';
import { Hash, LoadError } from '../pages/explorer/common.tsx';

const BASE = '/api/apps/evidence';
export const VERIFY_URL = `${BASE}/verify`;
const PAGE = 20;

export interface EvidenceRecord {
  id: string; kind: 'file' | 'fields'; hash: string; type: string; templateVersion: number | null; owner: string; organization: string | null;
  submitter: string; businessRef: string | null; caseId: string | null; caseSeq: number | null; metadata: Record<string, unknown>;
  size: number | null; mediaType: string | null; recordedAtMs: number; height: number; txId: string;
}

type Selector = 'owner' | 'hash' | 'businessRef' | 'type';

function VerifyLink() {
  const { t } = useTranslation();
  return (
    <Button icon={<LinkOutlined />} href={VERIFY_URL} target="_blank" rel="noopener noreferrer" data-testid="evidence-verify-link">
      {t('apps.evidence.verify')}
    </Button>
  );
}

/** The record's fields, as the list's drawer and the record page show them. */
function RecordDescriptions({ record }: { record: EvidenceRecord }) {
  const { t } = useTranslation();
  const meta = Object.entries(record.metadata ?? {});
  return (
    <Descriptions column={1} bordered size="small" data-testid="evidence-detail" items={[
      { key: 'id', label: t('apps.evidence.id'), children: <Hash value={record.id} /> },
      { key: 'type', label: t('apps.evidence.type'), children: <Tag>{record.type}</Tag> },
      { key: 'hash', label: t('apps.evidence.hash'), children: <Hash value={record.hash} /> },
      { key: 'ref', label: t('apps.evidence.businessRef'), children: record.businessRef ?? '-' },
      { key: 'height', label: t('common.height'), children: <Link to={`/explorer/blocks/${record.height}`} data-testid="evidence-height">{record.height}</Link> },
      { key: 'tx', label: t('apps.evidence.txId'), children: <Link to={`/explorer/txs/${record.txId}`}>{shortHash(record.txId, 12)}</Link> },
      { key: 'time', label: t('apps.evidence.recordedAt'), children: formatTime(record.recordedAtMs) },
      { key: 'org', label: t('common.organization'), children: record.organization ?? '-' },
      { key: 'owner', label: t('apps.evidence.owner'), children: <Typography.Text code>{record.owner}</Typography.Text> },
      { key: 'size', label: t('apps.evidence.size'), children: record.size === null ? '-' : formatBytes(record.size) },
      {
        key: 'meta', label: t('apps.evidence.metadata'),
        children: meta.length === 0 ? '-' : <Space wrap>{meta.map(([k, v]) => <Tag key={k}>{k}: {String(v)}</Tag>)}</Space>,
      },
    ]} />
  );
}

function RecordLinks({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginTop: 16 }}>
      <Button href={`${BASE}/public/records/${id}/proof?download=1`} target="_blank" rel="noopener noreferrer" data-testid="evidence-proof">{t('apps.evidence.proof')}</Button>
      <Button icon={<FileProtectOutlined />} href={`${BASE}/records/${id}/certificate.pdf`} target="_blank" rel="noopener noreferrer" data-testid="evidence-certificate">{t('apps.evidence.certificate')}</Button>
      <VerifyLink />
    </Space>
  );
}

function RecordDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const r = usePolling(
    () => (id === null ? Promise.resolve(null) : api.get<{ record: EvidenceRecord; file: { stored: boolean; entitled: boolean } }>(`${BASE}/records/${id}`)),
    null, [id],
  );
  return (
    <Drawer open={id !== null} onClose={onClose} title={t('apps.evidence.detail')} size="large" destroyOnHidden>
      <LoadError error={r.error} />
      {r.data !== null && r.data.record.id === id && (
        <>
          <RecordDescriptions record={r.data.record} />
          {r.data.file.stored && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
              {r.data.file.entitled ? t('apps.evidence.fileStoredEntitled') : t('apps.evidence.fileStored')}
              {r.data.file.entitled && <> <a href={`${BASE}/records/${id}/file`}>{t('apps.evidence.downloadFile')}</a></>}
            </Typography.Paragraph>
          )}
          <RecordLinks id={r.data.record.id} />
        </>
      )}
    </Drawer>
  );
}

export function EvidenceRecordsPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<{ selector: Selector; value: string }>({ selector: 'owner', value: 'me' });
  // Cursor-paged: the cursors of the pages seen so far, so "previous" goes back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const r = usePolling(
    () => api.get<{ records: EvidenceRecord[]; next: string | null }>(`${BASE}/records${qs({ [query.selector]: query.value, cursor, limit: PAGE })}`),
    null, [query.selector, query.value, cursor],
  );
  const search = (v: { selector: Selector; value?: string }) => {
    const value = v.value?.trim() ?? '';
    setCursors([undefined]);
    setQuery(value === '' ? { selector: 'owner', value: 'me' } : { selector: v.selector, value: v.selector === 'hash' ? value.toLowerCase() : value });
  };
  return (
    <Card>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('apps.evidence.records')}</Typography.Title>
        <VerifyLink />
      </Space>
      <Typography.Paragraph type="secondary">{t('apps.evidence.recordsIntro')}</Typography.Paragraph>
      <Form layout="inline" onFinish={search} initialValues={{ selector: 'hash' }} style={{ rowGap: 12, marginBottom: 16 }}>
        <Form.Item name="selector">
          <Select style={{ width: 140 }} data-testid="evidence-selector" options={[
            { value: 'hash', label: t('apps.evidence.hash') },
            { value: 'businessRef', label: t('apps.evidence.businessRef') },
            { value: 'type', label: t('apps.evidence.type') },
          ]} />
        </Form.Item>
        <Form.Item name="value"><Input allowClear style={{ width: 360 }} placeholder={t('apps.evidence.searchPlaceholder')} data-testid="evidence-search" /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="evidence-search-submit">{t('common.search')}</Button></Form.Item>
      </Form>
      {query.selector === 'owner' && <Typography.Paragraph type="secondary">{t('apps.evidence.mine')}</Typography.Paragraph>}
      <LoadError error={r.error} />
      <Table<EvidenceRecord> rowKey="id" size="small" dataSource={r.data?.records ?? []} loading={r.loading} scroll={{ x: true }} pagination={false}
        onRow={(rec) => ({ onClick: () => setOpen(rec.id), style: { cursor: 'pointer' }, 'data-testid': 'evidence-row' } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t('apps.evidence.recordedAt'), dataIndex: 'recordedAtMs', width: 180, render: (ms: number) => formatTime(ms) },
          { title: t('apps.evidence.type'), dataIndex: 'type', render: (x: string) => <Tag>{x}</Tag> },
          { title: t('apps.evidence.businessRef'), dataIndex: 'businessRef', render: (x: string | null) => x ?? '-' },
          { title: t('apps.evidence.hash'), dataIndex: 'hash', render: (x: string) => <Typography.Text code>{shortHash(x)}</Typography.Text> },
          { title: t('common.height'), dataIndex: 'height' },
          { title: t('common.organization'), dataIndex: 'organization', responsive: ['md'], render: (x: string | null) => x ?? '-' },
          { title: t('common.actions'), key: 'a', render: (_: unknown, rec) => <Button type="link" size="small" onClick={(e) => { e.stopPropagation(); setOpen(rec.id); }}>{t('common.view')}</Button> },
        ]} />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>{t('apps.evidence.prev')}</Button>
        <Button disabled={!r.data?.next} onClick={() => r.data?.next && setCursors([...cursors, r.data.next])}>{t('apps.evidence.next')}</Button>
      </Space>
      <RecordDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

interface RecordForm { type: string; businessRef?: string; metadata?: { key?: string; value?: string }[] }
interface Submitted { status: 'committed' | 'pending'; txId: string; height?: number; records: EvidenceRecord[] }

export function EvidenceRecordPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useAuth();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Submitted | null>(null);
  const submit = async (v: RecordForm) => {
    if (file === null) {
      setError(t('apps.evidence.fileRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      // The file goes up raw (stored encrypted, owned by the caller); the record then names it by its hash.
      const uploaded = await api.upload<{ hash: string; size: number }>(`${BASE}/files${qs({ name: file.name, mediaType: file.type || undefined })}`, file);
      const metadata: Record<string, string> = {};
      for (const m of v.metadata ?? []) if (m.key?.trim()) metadata[m.key.trim()] = m.value ?? '';
      const out = await api.post<Submitted>(`${BASE}/records`, {
        type: v.type.trim(), hash: uploaded.hash,
        ...(v.businessRef?.trim() ? { businessRef: v.businessRef.trim() } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        ...(file.type ? { mediaType: file.type.slice(0, 100) } : {}),
      });
      setResult(out);
      void message.success(out.status === 'committed' ? t('apps.evidence.committed') : t('apps.evidence.pending'));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const record = result?.records[0];
  return (
    <Card>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('apps.evidence.recordTitle')}</Typography.Title>
        <VerifyLink />
      </Space>
      <Typography.Paragraph type="secondary">{t('apps.evidence.recordIntro')}</Typography.Paragraph>
      <Form<RecordForm> layout="vertical" onFinish={submit} initialValues={{ type: 'document' }} style={{ maxWidth: 640 }}>
        <Form.Item label={t('apps.evidence.file')} required>
          <Upload maxCount={1} beforeUpload={(f) => { setFile(f); return false; }} onRemove={() => setFile(null)}
            fileList={file === null ? [] : [{ uid: 'f', name: file.name, status: 'done' }]}>
            <Button icon={<UploadOutlined />} data-testid="evidence-file">{t('apps.evidence.pickFile')}</Button>
          </Upload>
          {file !== null && <Typography.Text type="secondary">{formatBytes(file.size)}</Typography.Text>}
        </Form.Item>
        <Form.Item name="type" label={t('apps.evidence.type')} extra={t('apps.evidence.typeHelp')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_.-]{0,63}$/, message: t('apps.evidence.typeInvalid') }]}>
          <Input data-testid="evidence-type" />
        </Form.Item>
        <Form.Item name="businessRef" label={t('apps.evidence.businessRef')} rules={[{ max: 128 }]}>
          <Input data-testid="evidence-ref" placeholder={t('apps.evidence.businessRefHelp')} />
        </Form.Item>
        <Form.Item label={t('apps.evidence.metadata')}>
          <Form.List name="metadata">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'key']} rules={[{ max: 64 }]}><Input placeholder={t('apps.evidence.metaKey')} /></Form.Item>
                    <Form.Item name={[f.name, 'value']} rules={[{ max: 256 }]}><Input placeholder={t('apps.evidence.metaValue')} /></Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} disabled={fields.length >= 16}>{t('apps.evidence.addMeta')}</Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} icon={<SafetyCertificateOutlined />} data-testid="evidence-submit" disabled={!can('evidence:record')}>
            {t('apps.evidence.submit')}
          </Button>
        </Form.Item>
      </Form>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="evidence-error" />}
      {result !== null && (
        <div data-testid="evidence-result">
          <Alert type={result.status === 'committed' ? 'success' : 'info'} showIcon style={{ marginBottom: 16 }}
            title={result.status === 'committed' ? t('apps.evidence.committed') : t('apps.evidence.pending')} />
          {record !== undefined && (
            <>
              <RecordDescriptions record={record} />
              <RecordLinks id={record.id} />
            </>
          )}
        </div>
      )}
    </Card>
  );
}
