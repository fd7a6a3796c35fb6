import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors.ts';

export function Hash({ value }: { value: string }) {
  return <Typography.Text code copyable={{ text: value }} style={{ wordBreak: 'break-all' }}>{value}</Typography.Text>;
}

export function LoadError({ error }: { error: Error | null }) {
  const { t } = useTranslation();
  if (error === null) return null;
  return <Alert type="error" showIcon title={errorText(t, error)} style={{ marginBottom: 16 }} />;
}

export function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre data-testid={testId} style={{ background: '#f6f8fb', border: '1px solid #e5e9f0', padding: 12, borderRadius: 4, maxHeight: 360, overflow: 'auto', margin: 0, fontSize: 12 }}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
