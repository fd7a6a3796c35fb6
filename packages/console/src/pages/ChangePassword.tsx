import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography, App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { errorText } from './errors.ts';

/** Change my password. `forced`: the first sign-in with an initial password, shown instead of the console. */
export function ChangePasswordPage({ forced }: { forced: boolean }) {
  const { t } = useTranslation();
  const { me, passwordChanged, logout } = useAuth();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t('account.changed'));
      passwordChanged();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const card = (
    <Card title={t('account.title')} style={{ maxWidth: 480, width: '100%' }}>
      {forced && <Alert type="warning" showIcon title={t('account.mustChange')} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph type="secondary">{t('account.policy')}</Typography.Paragraph>
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('login.username')}><Input value={me?.user.username} disabled /></Form.Item>
        <Form.Item name="currentPassword" label={t('account.current')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" id="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('account.new')} rules={[{ required: true, min: 10, message: t('account.tooShort') }]}>
          <Input.Password autoComplete="new-password" id="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('account.confirm')} dependencies={['newPassword']}
          rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))) })]}>
          <Input.Password autoComplete="new-password" id="confirm-password" />
        </Form.Item>
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="change-password-submit">{t('account.submit')}</Button>
          {forced && <Button onClick={() => void logout()}>{t('auth.logout')}</Button>}
        </div>
      </Form>
    </Card>
  );
  if (!forced) return card;
  return <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16, background: '#f0f3f8' }}>{card}</div>;
}
