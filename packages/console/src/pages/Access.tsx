import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tabs, Tag, Typography, App as AntApp } from 'antd';
import { DeleteOutlined, EditOutlined, KeyOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, type PermissionDef, type RoleView, type UserView } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { formatTime } from '../components/format.ts';
import { usePolling } from '../components/usePolling.ts';
import { errorText } from './errors.ts';
import { LoadError } from './explorer/common.tsx';
import { roleName } from './roles.ts';

/** Shows a generated password once, with the instruction to hand it over safely. */
function showPassword(modal: ReturnType<typeof AntApp.useApp>['modal'], t: TFunction, username: string, password: string) {
  modal.success({
    title: t('access.passwordFor', { username }),
    content: (
      <Space orientation="vertical">
        <Typography.Text code copyable style={{ fontSize: 16 }}>{password}</Typography.Text>
        <Typography.Text type="secondary">{t('access.passwordOnce')}</Typography.Text>
      </Space>
    ),
  });
}

function UsersTab({ roles }: { roles: RoleView[] }) {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message, modal } = AntApp.useApp();
  const manage = can('users:manage');
  const r = usePolling(() => api.get<{ users: UserView[] }>('/api/users'), null);
  const [editing, setEditing] = useState<UserView | null | undefined>(undefined);
  const [form] = Form.useForm();
  const roleOptions = roles.map((x) => ({ value: x.id, label: roleName(t, x.id, x.name) }));
  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      r.reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === null) {
        const res = await api.post<{ user: UserView; initialPassword: string | null }>('/api/users', { username: v.username, displayName: v.displayName, roles: v.roles });
        if (res.initialPassword) showPassword(modal, t, res.user.username, res.initialPassword);
      } else if (editing !== undefined) {
        await api.patch(`/api/users/${editing.id}`, editing.id === me?.user.id ? { displayName: v.displayName } : { displayName: v.displayName, roles: v.roles });
        message.success(t('common.saved'));
      }
      setEditing(undefined);
      r.reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>{t('access.newUser')}</Button>}
      <LoadError error={r.error} />
      <Table<UserView> rowKey="id" size="middle" dataSource={r.data?.users ?? []} loading={r.loading} scroll={{ x: true }} pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('login.username'), dataIndex: 'username', render: (u: string, x) => <Space><Typography.Text strong>{u}</Typography.Text>{x.id === me?.user.id && <Tag>{t('access.you')}</Tag>}</Space> },
          { title: t('access.displayName'), dataIndex: 'displayName' },
          { title: t('access.roles'), dataIndex: 'roles', render: (rs: string[]) => rs.map((id) => <Tag color="geekblue" key={id}>{roleName(t, id, roles.find((x) => x.id === id)?.name)}</Tag>) },
          {
            title: t('common.status'), key: 'state',
            render: (_, u) => (
              <Space wrap>
                {u.disabled ? <Tag>{t('access.disabled')}</Tag> : <Tag color="green">{t('access.active')}</Tag>}
                {u.lockedUntilMs !== null && <Tag color="red">{t('access.lockedUntil', { time: formatTime(u.lockedUntilMs) })}</Tag>}
                {u.mustChangePassword && <Tag color="orange">{t('access.mustChange')}</Tag>}
              </Space>
            ),
          },
          { title: t('access.lastLogin'), dataIndex: 'lastLoginMs', responsive: ['lg'], render: (ms: number | null) => formatTime(ms) },
          ...(manage ? [{
            title: t('common.actions'), key: 'actions',
            render: (_: unknown, u: UserView) => (
              <Space wrap>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>{t('common.edit')}</Button>
                {u.id !== me?.user.id && (
                  <Switch size="small" checked={!u.disabled} checkedChildren={t('access.enable')} unCheckedChildren={t('access.disable')}
                    onChange={(on) => void act(() => api.patch(`/api/users/${u.id}`, { disabled: !on }))} />
                )}
                {u.lockedUntilMs !== null && <Button size="small" icon={<UnlockOutlined />} onClick={() => void act(() => api.post(`/api/users/${u.id}/unlock`))}>{t('access.unlock')}</Button>}
                <Popconfirm title={t('access.resetConfirm')} onConfirm={() => void act(async () => {
                  const res = await api.post<{ initialPassword: string }>(`/api/users/${u.id}/reset-password`);
                  showPassword(modal, t, u.username, res.initialPassword);
                })}>
                  <Button size="small" icon={<KeyOutlined />}>{t('access.resetPassword')}</Button>
                </Popconfirm>
                {u.id !== me?.user.id && (
                  <Popconfirm title={t('access.deleteUserConfirm', { username: u.username })} onConfirm={() => void act(() => api.del(`/api/users/${u.id}`))}>
                    <Button size="small" danger icon={<DeleteOutlined />} />
                  </Popconfirm>
                )}
              </Space>
            ),
          }] : []),
        ]} />
      <Modal open={editing !== undefined} title={editing === null ? t('access.newUser') : t('access.editUser')} onCancel={() => setEditing(undefined)} onOk={() => void save()} destroyOnHidden
        afterOpenChange={(o) => o && form.setFieldsValue(editing ?? { username: '', displayName: '', roles: ['user'] })}>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, message: t('access.usernameRule') }]}>
            <Input disabled={editing !== null} />
          </Form.Item>
          <Form.Item name="displayName" label={t('access.displayName')} rules={[{ required: true, max: 64 }]}><Input /></Form.Item>
          <Form.Item name="roles" label={t('access.roles')} rules={[{ required: true }]}>
            <Select mode="multiple" options={roleOptions} disabled={editing !== null && editing !== undefined && editing.id === me?.user.id} />
          </Form.Item>
          {editing === null && <Alert type="info" showIcon title={t('access.generatedPassword')} />}
        </Form>
      </Modal>
    </Space>
  );
}

function RolesTab({ roles, reload, permissions }: { roles: RoleView[]; reload: () => void; permissions: PermissionDef[] }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = AntApp.useApp();
  const manage = can('roles:manage');
  const [editing, setEditing] = useState<RoleView | null | undefined>(undefined);
  const [form] = Form.useForm();
  const groups = useMemo(() => {
    const m = new Map<string, PermissionDef[]>();
    for (const p of permissions) m.set(p.group, [...(m.get(p.group) ?? []), p]);
    return [...m.entries()];
  }, [permissions]);
  const permLabel = (p: PermissionDef) => {
    const key = `permissions.${p.name.replace(':', '_')}`;
    const label = t(key);
    return label === key ? p.description : label;
  };
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === null) await api.post('/api/roles', { id: v.id, name: v.name, description: v.description ?? '', permissions: v.permissions ?? [] });
      else if (editing !== undefined) await api.patch(`/api/roles/${editing.id}`, editing.builtin ? { permissions: v.permissions ?? [] } : { name: v.name, description: v.description ?? '', permissions: v.permissions ?? [] });
      message.success(t('common.saved'));
      setEditing(undefined);
      reload();
    } catch (err) {
      message.error(errorText(t, err));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>{t('access.newRole')}</Button>}
      <Table<RoleView> rowKey="id" size="middle" dataSource={roles} pagination={false} scroll={{ x: true }}
        expandable={{ expandedRowRender: (role) => <Space wrap>{role.permissions.map((p) => <Tag key={p}>{p}</Tag>)}</Space> }}
        columns={[
          { title: t('access.role'), key: 'name', render: (_, role) => <Space><Typography.Text strong>{roleName(t, role.id, role.name)}</Typography.Text>{role.builtin && <Tag color="blue">{t('access.builtin')}</Tag>}</Space> },
          { title: 'ID', dataIndex: 'id', render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
          { title: t('access.permissionCount'), key: 'count', render: (_, role) => role.permissions.length },
          { title: t('access.userCount'), dataIndex: 'users' },
          { title: t('access.description'), key: 'description', responsive: ['lg'], render: (_, role) => (role.builtin ? t(`roles.desc.${role.id}`) : role.description) },
          ...(manage ? [{
            title: t('common.actions'), key: 'actions',
            render: (_: unknown, role: RoleView) => (role.id === 'super_admin' ? <Typography.Text type="secondary">{t('access.allPermissions')}</Typography.Text> : (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(role)}>{t('common.edit')}</Button>
                {!role.builtin && (
                  <Popconfirm title={t('access.deleteRoleConfirm')} onConfirm={() => void api.del(`/api/roles/${role.id}`).then(reload, (err: unknown) => message.error(errorText(t, err)))}>
                    <Button size="small" danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
                  </Popconfirm>
                )}
              </Space>
            )),
          }] : []),
        ]} />
      <Modal open={editing !== undefined} width={720} title={editing === null ? t('access.newRole') : t('access.editRole')} onCancel={() => setEditing(undefined)} onOk={() => void save()} destroyOnHidden
        afterOpenChange={(o) => o && form.setFieldsValue(editing ?? { id: '', name: '', description: '', permissions: [] })}>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="id" label="ID" rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{2,31}$/, message: t('access.roleIdRule') }]}><Input disabled={editing !== null} /></Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 64 }]}><Input disabled={editing?.builtin === true} /></Form.Item>
          <Form.Item name="description" label={t('access.description')}><Input disabled={editing?.builtin === true} /></Form.Item>
          <Form.Item name="permissions" label={t('access.permissions')}>
            <Checkbox.Group style={{ width: '100%' }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                {groups.map(([g, ps]) => (
                  <Card key={g} size="small" title={t(`permissionGroups.${g}`, { defaultValue: g })}>
                    <Space wrap>{ps.map((p) => <Checkbox key={p.name} value={p.name}>{permLabel(p)} <Typography.Text type="secondary" code>{p.name}</Typography.Text></Checkbox>)}</Space>
                  </Card>
                ))}
              </Space>
            </Checkbox.Group>
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

export function AccessPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const roles = usePolling(() => (can('roles:read') ? api.get<{ roles: RoleView[] }>('/api/roles') : Promise.resolve({ roles: [] as RoleView[] })), null);
  const perms = usePolling(() => (can('roles:read') ? api.get<{ permissions: PermissionDef[] }>('/api/permissions') : Promise.resolve({ permissions: [] as PermissionDef[] })), null);
  const tabs = [
    ...(can('users:read') ? [{ key: 'users', label: t('access.users'), children: <UsersTab roles={roles.data?.roles ?? []} /> }] : []),
    ...(can('roles:read') ? [{ key: 'roles', label: t('access.rolesTab'), children: <RolesTab roles={roles.data?.roles ?? []} reload={roles.reload} permissions={perms.data?.permissions ?? []} /> }] : []),
  ];
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menu.access')}</Typography.Title>
      <Tabs items={tabs} />
    </Card>
  );
}
