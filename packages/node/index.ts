export { startNode, GOVCHAIN_VERSION, type RunningNode, type StartNodeOptions } from './node.ts';
export { loadJsonConfig, loadNodeConfig, nodeConfigSchema, parseConfig, resolveIn, type NodeConfig } from './config.ts';
export type { ChainService } from './api/service.ts';
export { HostSampler, type HostStats } from './host.ts';
