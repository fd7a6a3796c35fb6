#!/usr/bin/env -S node --import tsx
/**
 * The `govchain` command. Run through npm (`npm run govchain -- <command>`) or `npx tsx packages/cli/main.ts`.
 */
import { Command, Option } from 'commander';
import { GovchainError } from '@govchain/base';
import { runUp } from './up.ts';
import { generateNetwork } from './network.ts';
import { registerClientCommands } from './client-commands.ts';
import { startNodeProcess } from './node-process.ts';
import { registerVerifyCommand } from './verify.ts';
import { startGatewayProcess } from './gateway.ts';

const program = new Command();
program.name('govchain').description('govchain: a government consortium blockchain (政务联盟链)').showHelpAfterError();

const suiteOption = new Option('--suite <suite>', 'crypto suite: gm (SM2/SM3/SM4) or intl (P-256/SHA-256/AES)').choices(['gm', 'intl']).default('gm');

program.command('network')
  .description('generate a network: organizations, CAs, node certificates, genesis, one directory per node')
  .command('generate')
  .option('--dir <dir>', 'output directory', 'data/network')
  .option('--chain-id <id>', 'chain id', 'govchain-local')
  .addOption(suiteOption)
  .option('--orgs <n>', 'organizations, one validator each', '4')
  .option('--host <host>', 'address nodes listen on and dial, all on one machine', '127.0.0.1')
  .option('--hosts <list>', 'comma-separated address of each node, one per organization, for nodes on separate machines')
  .option('--listen <addr>', 'with --hosts: the address nodes bind to on their machine', '0.0.0.0')
  .option('--p2p-port <port>', 'first p2p port', '26601')
  .option('--api-port <port>', 'first API port', '8601')
  .option('--no-token', 'leave write routes without an API token (development only)')
  .action((o) => {
    const { nodes } = generateNetwork({
      dir: o.dir, chainId: o.chainId, suite: o.suite, organizations: Number(o.orgs), host: o.host,
      ...(o.hosts === undefined ? {} : { hosts: String(o.hosts).split(',').map((h: string) => h.trim()), listen: o.listen }),
      p2pBasePort: Number(o.p2pPort), apiBasePort: Number(o.apiPort), withApiToken: o.token,
    });
    for (const n of nodes) console.log(`${n.name}\t${n.home}\t${n.apiUrl}`);
  });

program.command('node')
  .description('run one node')
  .command('start')
  .requiredOption('--home <dir>', 'the node directory (config.json, genesis.json, node.key, node.pem, ca.pem)')
  .action(async (o) => {
    await startNodeProcess(o.home);
  });

program.command('gateway')
  .description('run an organization\'s gateway: the management console and the apps\' API')
  .command('start')
  .requiredOption('--home <dir>', 'the gateway directory (config.json, genesis.json, admin.key, admin.pem)')
  .option('--no-print-password', 'do not print the first super admin\'s password (it is in the gateway directory\'s file either way)')
  .action(async (o) => {
    await startGatewayProcess(o.home, { printPassword: o.printPassword });
  });

program.command('up')
  .description('generate (first time) and run a local network of validators as separate processes; Ctrl-C stops all')
  .option('--dir <dir>', 'network directory', 'data/local')
  .option('--orgs <n>', 'validators', '4')
  .addOption(suiteOption)
  .option('--fresh', 'delete the network directory first')
  .option('--p2p-port <port>', 'first p2p port', '26601')
  .option('--api-port <port>', 'first API port', '8601')
  .option('--console-port <port>', 'port of org1\'s gateway (the management console)', '8600')
  .action(async (o) => {
    await runUp({
      dir: o.dir, organizations: Number(o.orgs), suite: o.suite, fresh: Boolean(o.fresh), p2pBasePort: Number(o.p2pPort), apiBasePort: Number(o.apiPort),
      consolePort: Number(o.consolePort),
    });
  });

registerClientCommands(program);
registerVerifyCommand(program);

program.parseAsync().catch((err: unknown) => {
  if (err instanceof GovchainError) console.error(`error ${err.code}: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
