import type { TFunction } from 'i18next';

const BUILTIN = new Set(['super_admin', 'org_admin', 'developer', 'operations', 'auditor', 'user']);

/** Built-in roles by their translated name; custom roles by the name their creator gave. */
export function roleName(t: TFunction, id: string, customName?: string): string {
  return BUILTIN.has(id) ? t(`roles.${id}`) : customName ?? id;
}

export function isBuiltinRole(id: string): boolean {
  return BUILTIN.has(id);
}
