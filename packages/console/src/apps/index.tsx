/**
 * Pages of the apps hosted by the gateway (evidence, …). Each app appends its PageDefs here: they join the menu
 * (shown only to users holding the page's permission), the routes and the breadcrumb. Their API lives under
 * /api/apps/<app>/ on the gateway, which checks the same permissions on the server.
 */
import type { PageDef } from '../pages/types.ts';

export const appPages: PageDef[] = [];
