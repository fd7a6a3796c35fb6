import { useState } from 'react';
import { Alert, Button, Card, Dropdown, Form, Input, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth.tsx';
import { ApiError } from '../api.ts';
import { setLanguage, type Language } from '../i18n/index.ts';
import { formatTime } from '../components/format.ts';
import { errorText } from './errors.ts';

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { login, notice } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ACCOUNT_LOCKED') setError(t('auth.locked', { until: formatTime(Number(err.details?.lockedUntilMs)) }));
      else setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page" style={{ minHeight: '100vh', display: 'flex', flexWrap: 'wrap', background: 'linear-gradient(135deg, #0b2350 0%, #1456c8 60%, #2f7be8 100%)' }}>
      <div style={{ flex: '1 1 420px', color: '#fff', padding: '8vh 6vw', display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        <div style={{ display: 'flex', alignItems: 'center', gap: 14, marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <span style={{ fontSize: 28, fontWeight: 600, letterSpacing: 2 }}>{t('app.title')}</span>
        </div>
        <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16, maxWidth: 520 }}>{t('login.tagline')}</Typography.Paragraph>
        <ul style={{ color: 'rgba(255,255,255,0.8)', lineHeight: 2, paddingInlineStart: 20 }}>
          <li>{t('login.feature1')}</li>
          <li>{t('login.feature2')}</li>
          <li>{t('login.feature3')}</li>
        </ul>
      </div>
      <div style={{ flex: '1 1 380px', display: 'grid', placeItems: 'center', padding: 24 }}>
        <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 12px 40px rgba(0,0,0,0.25)' }}
          title={<span><SafetyCertificateOutlined style={{ color: '#1456c8' }} /> {t('login.title')}</span>}
          extra={
            <Dropdown trigger={['click']} menu={{ items: [{ key: 'zh-CN', label: '简体中文' }, { key: 'en-US', label: 'English' }], onClick: ({ key }) => setLanguage(key as Language) }}>
              <Button type="text" size="small" icon={<GlobalOutlined />} data-testid="language-switch">{i18n.language === 'en-US' ? 'English' : '简体中文'}</Button>
            </Dropdown>
          }>
          {notice === 'expired' && <Alert type="warning" showIcon title={t('auth.expired')} style={{ marginBottom: 16 }} />}
          {notice === 'password-changed' && <Alert type="success" showIcon title={t('account.changedSignInAgain')} style={{ marginBottom: 16 }} />}
          {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" size="large" id="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" id="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>{t('login.securityNote')}</Typography.Paragraph>
        </Card>
      </div>
    </div>
  );
}
