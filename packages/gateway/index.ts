export { startGateway, INITIAL_ADMIN_USERNAME, type RunningGateway, type StartGatewayOptions } from './gateway.ts';
export { loadGatewayConfig, parseGatewayConfig, gatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './config.ts';
export { CORE_PERMISSIONS, DEFAULT_ROLES, SUPER_ADMIN, type PermissionDef } from './auth/permissions.ts';
export { DEFAULT_KDF, type KdfParams } from './auth/password.ts';
export type { RouteRuleEntry } from './server.ts';
export { createFileStore, type FileStoreConfig } from './files/index.ts';
