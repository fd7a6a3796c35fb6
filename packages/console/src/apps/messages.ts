/**
 * Translations of the apps' pages, under the `apps.` prefix (key apps.evidence.title). Each app adds its own
 * object here, in both languages.
 */
export const appMessages: Record<'zh-CN' | 'en-US', Record<string, unknown>> = {
  'zh-CN': {},
  'en-US': {},
};
