import { useState } from 'react';
import { Input, App as AntApp } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { errorText } from '../errors.ts';

interface Found { kind: 'block' | 'tx' | 'account' | 'certificate'; id: string }

export function ExplorerSearch({ autoFocus = false }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const search = async (q: string) => {
    if (q.trim() === '') return;
    setBusy(true);
    try {
      const f = await api.get<Found>(`/api/explorer/search?q=${encodeURIComponent(q.trim())}`);
      const to = { block: `/explorer/blocks/${f.id}`, tx: `/explorer/txs/${f.id}`, account: `/explorer/accounts/${f.id}`, certificate: `/network?tab=orgs&cert=${f.id}` }[f.kind];
      navigate(to);
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Input.Search
      placeholder={t('explorer.searchPlaceholder')}
      enterButton={t('explorer.search')}
      size="large"
      allowClear
      loading={busy}
      onSearch={(v) => void search(v)}
      autoFocus={autoFocus}
      data-testid="explorer-search"
    />
  );
}
