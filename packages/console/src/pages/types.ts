import type { ReactNode } from 'react';

export interface PageDef {
  key: string;
  /** Route path, e.g. /explorer or /explorer/txs/:id. */
  path: string;
  /** i18n key of the title (menu, breadcrumb, page header). */
  titleKey: string;
  icon?: ReactNode;
  /** The user needs one of these permissions; [] means any signed-in user. */
  permissions: string[];
  element: ReactNode;
  /** Shown in the side menu (detail pages are not). */
  menu: boolean;
  /** Menu section. */
  group: 'chain' | 'system' | 'apps';
  /** Key of the page this one sits under in the breadcrumb. */
  parent?: string;
}
