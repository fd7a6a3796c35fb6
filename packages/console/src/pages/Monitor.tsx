import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography, App as AntApp } from 'antd';
import { ApiOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type AlertChannel, type AlertEvent, type AlertRule, type RuleKind, type Severity } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { formatTime } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { errorText } from './errors.ts';
import { LoadError } from './explorer/common.tsx';

const KINDS: RuleKind[] = ['node_down', 'height_stalled', 'mempool_high', 'cert_expiring'];
const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', warning: 'orange', info: 'blue' };

function SeverityTag({ s }: { s: Severity }) {
  const { t } = useTranslation();
  return <Tag color={SEVERITY_COLOR[s]}>{t(`monitor.severity.${s}`)}</Tag>;
}

function EventsTab() {
  const { t } = useTranslation();
  const [state, setState] = useState<'all' | 'firing' | 'resolved'>('all');
  const [page, setPage] = useState(1);
  const r = usePolling(() => api.get<{ total: number; events: AlertEvent[] }>(`/api/alerts/events?limit=20&offset=${(page - 1) * 20}${state === 'all' ? '' : `&state=${state}`}`), 5000, [state, page]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented value={state} onChange={(v) => { setState(v as typeof state); setPage(1); }}
        options={[{ value: 'all', label: t('monitor.all') }, { value: 'firing', label: t('monitor.firing') }, { value: 'resolved', label: t('monitor.resolved') }]} />
      <LoadError error={r.error} />
      <Table<AlertEvent> rowKey="id" size="middle" dataSource={r.data?.events ?? []} scroll={{ x: true }} loading={r.loading && r.data === null}
        pagination={{ current: page, pageSize: 20, total: r.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('monitor.state'), dataIndex: 'state', render: (s: string) => (s === 'firing' ? <Tag color="red">{t('monitor.firing')}</Tag> : <Tag color="green">{t('monitor.resolved')}</Tag>) },
          { title: t('monitor.severityLabel'), dataIndex: 'severity', render: (s: Severity) => <SeverityTag s={s} /> },
          { title: t('monitor.rule'), dataIndex: 'ruleName' },
          { title: t('monitor.subject'), dataIndex: 'subject' },
          { title: t('monitor.message'), dataIndex: 'message', responsive: ['lg'] },
          { title: t('monitor.firedAt'), dataIndex: 'firedMs', render: (ms: number) => formatTime(ms) },
          { title: t('monitor.resolvedAt'), dataIndex: 'resolvedMs', render: (ms: number | null) => formatTime(ms) },
          { title: t('monitor.notified'), dataIndex: 'notifyResult', responsive: ['xl'], render: (n: string) => (n === '' ? '-' : <Tooltip title={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{n}</pre>}><Typography.Text ellipsis style={{ maxWidth: 200 }}>{n}</Typography.Text></Tooltip>) },
        ]} />
    </Space>
  );
}

function RuleModal({ rule, channels, open, onClose, onSaved }: { rule: AlertRule | null; channels: AlertChannel[]; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form) as RuleKind | undefined;
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (rule === null) await api.post('/api/alerts/rules', v);
      else await api.patch(`/api/alerts/rules/${rule.id}`, v);
      message.success(t('common.saved'));
      onSaved();
      onClose();
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={rule === null ? t('monitor.newRule') : t('monitor.editRule')} onCancel={onClose} onOk={() => void save()} confirmLoading={busy} destroyOnHidden
      afterOpenChange={(o) => o && form.setFieldsValue(rule ?? { kind: 'node_down', threshold: 30, severity: 'critical', enabled: true, channelIds: [] })}>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 128 }]}><Input /></Form.Item>
        <Form.Item name="kind" label={t('monitor.kind')} rules={[{ required: true }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`monitor.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="threshold" label={t('monitor.threshold')} rules={[{ required: true }]} extra={kind ? t(`monitor.thresholdHelp.${kind}`) : undefined}>
          <InputNumber min={1} style={{ width: '100%' }} suffix={kind ? t(`monitor.units.${kind}`) : undefined} />
        </Form.Item>
        <Form.Item name="severity" label={t('monitor.severityLabel')} rules={[{ required: true }]}>
          <Select options={(['critical', 'warning', 'info'] as const).map((s) => ({ value: s, label: t(`monitor.severity.${s}`) }))} />
        </Form.Item>
        <Form.Item name="channelIds" label={t('monitor.channels')}>
          <Select mode="multiple" options={channels.map((c) => ({ value: c.id, label: c.name }))} placeholder={t('monitor.noChannel')} />
        </Form.Item>
        <Form.Item name="enabled" label={t('monitor.enabled')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}

function RulesTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const manage = can('alerts:manage');
  const rules = usePolling(() => api.get<{ rules: AlertRule[] }>('/api/alerts/rules'), null);
  const channels = usePolling(() => api.get<{ channels: AlertChannel[] }>('/api/alerts/channels'), null);
  const [editing, setEditing] = useState<AlertRule | null | undefined>(undefined);
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      rules.reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const channelName = (id: number) => channels.data?.channels.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>{t('monitor.newRule')}</Button>}
      <LoadError error={rules.error} />
      <Table<AlertRule> rowKey="id" size="middle" dataSource={rules.data?.rules ?? []} pagination={false} scroll={{ x: true }} loading={rules.loading}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('monitor.kind'), dataIndex: 'kind', render: (k: RuleKind) => t(`monitor.kinds.${k}`) },
          { title: t('monitor.threshold'), key: 'threshold', render: (_, r) => `${r.threshold} ${t(`monitor.units.${r.kind}`)}` },
          { title: t('monitor.severityLabel'), dataIndex: 'severity', render: (s: Severity) => <SeverityTag s={s} /> },
          { title: t('monitor.channels'), dataIndex: 'channelIds', responsive: ['md'], render: (ids: number[]) => (ids.length === 0 ? '-' : ids.map((i) => <Tag key={i}>{channelName(i)}</Tag>)) },
          {
            title: t('monitor.enabled'), dataIndex: 'enabled',
            render: (e: boolean, r) => <Switch size="small" checked={e} disabled={!manage} onChange={(v) => void act(() => api.patch(`/api/alerts/rules/${r.id}`, { enabled: v }))} />,
          },
          ...(manage ? [{
            title: t('common.actions'), key: 'actions',
            render: (_: unknown, r: AlertRule) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>{t('common.edit')}</Button>
                <Popconfirm title={t('monitor.deleteRuleConfirm')} onConfirm={() => void act(() => api.del(`/api/alerts/rules/${r.id}`))}>
                  <Button size="small" danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]} />
      <RuleModal open={editing !== undefined} rule={editing ?? null} channels={channels.data?.channels ?? []} onClose={() => setEditing(undefined)} onSaved={rules.reload} />
    </Space>
  );
}

function ChannelsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const manage = can('alerts:manage');
  const r = usePolling(() => api.get<{ channels: AlertChannel[] }>('/api/alerts/channels'), null);
  const [editing, setEditing] = useState<AlertChannel | null | undefined>(undefined);
  const [form] = Form.useForm();
  const [testing, setTesting] = useState<number | null>(null);
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === null) await api.post('/api/alerts/channels', v);
      else if (editing !== undefined) await api.patch(`/api/alerts/channels/${editing.id}`, v);
      message.success(t('common.saved'));
      setEditing(undefined);
      r.reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const test = async (c: AlertChannel) => {
    setTesting(c.id);
    try {
      const res = await api.post<{ ok: boolean; status: number | null; error: string | null }>(`/api/alerts/channels/${c.id}/test`);
      if (res.ok) message.success(t('monitor.testOk', { status: res.status }));
      else message.error(t('monitor.testFailed', { error: res.error }));
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setTesting(null);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('monitor.channelHelp')}</Typography.Paragraph>
      {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>{t('monitor.newChannel')}</Button>}
      <LoadError error={r.error} />
      <Table<AlertChannel> rowKey="id" size="middle" dataSource={r.data?.channels ?? []} pagination={false} scroll={{ x: true }} loading={r.loading}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('monitor.channelKind'), dataIndex: 'kind', render: () => <Tag icon={<ApiOutlined />}>Webhook</Tag> },
          { title: 'URL', dataIndex: 'url', render: (u: string) => <Typography.Text code ellipsis style={{ maxWidth: 360 }}>{u}</Typography.Text> },
          { title: t('monitor.enabled'), dataIndex: 'enabled', render: (e: boolean) => (e ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
          ...(manage ? [{
            title: t('common.actions'), key: 'actions',
            render: (_: unknown, c: AlertChannel) => (
              <Space>
                <Button size="small" loading={testing === c.id} onClick={() => void test(c)}>{t('monitor.test')}</Button>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(c)}>{t('common.edit')}</Button>
                <Popconfirm title={t('monitor.deleteChannelConfirm')} onConfirm={() => void api.del(`/api/alerts/channels/${c.id}`).then(r.reload, (err: unknown) => message.error(errorText(t, err)))}>
                  <Button size="small" danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]} />
      <Modal open={editing !== undefined} title={editing === null ? t('monitor.newChannel') : t('monitor.editChannel')} onCancel={() => setEditing(undefined)} onOk={() => void save()} destroyOnHidden
        afterOpenChange={(o) => o && form.setFieldsValue(editing ?? { name: '', url: '', enabled: true })}>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 128 }]}><Input /></Form.Item>
          <Form.Item name="url" label="Webhook URL" rules={[{ required: true, pattern: /^https?:\/\//, message: t('monitor.urlInvalid') }]}><Input placeholder="https://" /></Form.Item>
          <Form.Item name="enabled" label={t('monitor.enabled')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

export function MonitorPage() {
  const { t } = useTranslation();
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.monitor')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('monitor.intro')}</Typography.Paragraph>
      <Tabs items={[
        { key: 'events', label: t('monitor.events'), children: <EventsTab /> },
        { key: 'rules', label: t('monitor.rules'), children: <RulesTab /> },
        { key: 'channels', label: t('monitor.channelsTab'), children: <ChannelsTab /> },
      ]} />
    </Card>
  );
}
