import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, qs, type AuditEntry } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { formatTime } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { LoadError } from './explorer/common.tsx';

interface Filters { username?: string; action?: string; result?: 'ok' | 'failed'; text?: string; fromMs?: number; toMs?: number }
const ACTIONS = ['auth.', 'auth.login', 'auth.logout', 'user.', 'role.', 'alert-rule.', 'alert-channel.', 'audit.export', 'cert.download'];
const PAGE = 20;

export function AuditPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const r = usePolling(
    () => api.get<{ total: number; entries: AuditEntry[] }>(`/api/audit${qs({ ...filters, limit: PAGE, offset: (page - 1) * PAGE })}`),
    null, [JSON.stringify(filters), page],
  );
  const apply = (v: { username?: string; action?: string; result?: 'ok' | 'failed'; text?: string; range?: [{ valueOf(): number } | null, { valueOf(): number } | null] }) => {
    setPage(1);
    setFilters({
      username: v.username?.trim() || undefined, action: v.action || undefined, result: v.result, text: v.text?.trim() || undefined,
      fromMs: v.range?.[0]?.valueOf(), toMs: v.range?.[1]?.valueOf(),
    });
  };
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.audit')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      <Form layout="inline" onFinish={apply} style={{ rowGap: 12, marginBottom: 16 }}>
        <Form.Item name="username" label={t('audit.user')}><Input allowClear style={{ width: 140 }} /></Form.Item>
        <Form.Item name="action" label={t('audit.action')}>
          <Select allowClear showSearch style={{ width: 180 }} options={ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a.replace(/\.$/, '_all').replace(/[.-]/g, '_')}`) }))} />
        </Form.Item>
        <Form.Item name="result" label={t('audit.result')}>
          <Select allowClear style={{ width: 110 }} options={[{ value: 'ok', label: t('audit.ok') }, { value: 'failed', label: t('audit.failed') }]} />
        </Form.Item>
        <Form.Item name="range" label={t('audit.time')}><DatePicker.RangePicker showTime /></Form.Item>
        <Form.Item name="text" label={t('audit.text')}><Input allowClear style={{ width: 160 }} /></Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
            {can('audit:export') && (
              <Button icon={<DownloadOutlined />} href={`/api/audit/export${qs({ ...filters })}`} data-testid="audit-export">{t('audit.export')}</Button>
            )}
          </Space>
        </Form.Item>
      </Form>
      <LoadError error={r.error} />
      <Table<AuditEntry> rowKey="id" size="small" dataSource={r.data?.entries ?? []} loading={r.loading} scroll={{ x: true }}
        pagination={{ current: page, pageSize: PAGE, total: r.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('audit.total', { count: n }) }}
        columns={[
          { title: t('common.time'), dataIndex: 'timeMs', width: 180, render: (ms: number) => formatTime(ms) },
          { title: t('audit.user'), dataIndex: 'username' },
          {
            title: t('audit.action'), dataIndex: 'action',
            render: (a: string) => {
              const key = `audit.actionNames.${a.replace(/[.-]/g, '_')}`;
              const label = t(key);
              return label === key ? <Typography.Text code>{a}</Typography.Text> : <Space size={4}>{label}<Typography.Text type="secondary" code style={{ fontSize: 11 }}>{a}</Typography.Text></Space>;
            },
          },
          { title: t('audit.target'), dataIndex: 'target', ellipsis: true },
          { title: t('audit.result'), dataIndex: 'result', render: (x: string, e) => <Tag color={x === 'ok' ? 'green' : 'red'}>{x === 'ok' ? t('audit.ok') : t('audit.failed')}{e.status ? ` ${e.status}` : ''}</Tag> },
          { title: t('audit.ip'), dataIndex: 'ip', responsive: ['md'] },
          { title: t('audit.detail'), dataIndex: 'detail', responsive: ['lg'], ellipsis: true },
        ]} />
    </Card>
  );
}
