/** Client commands: keys, send a transaction, query state, read status, blocks and txs from a node's API. */
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { GovchainError } from '@govchain/base';
import { getSuite, privateKeyFromPem, privateKeyToPem, type SuiteName } from '@govchain/crypto';
import { GovchainClient, buildTx } from '@govchain/sdk';

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GovchainError('CLI_BAD_JSON', 'malformed', `${what} is not valid JSON: ${text}`);
  }
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

const apiOption = (): Option => new Option('--api <url>', 'node API address').default('http://127.0.0.1:8601');

export function registerClientCommands(program: Command): void {
  program.command('keys')
    .description('key management')
    .command('generate')
    .addOption(new Option('--suite <suite>', 'gm or intl').choices(['gm', 'intl']).default('gm'))
    .requiredOption('--out <file>', 'where to write the PKCS#8 PEM private key (mode 0600)')
    .action((o: { suite: SuiteName; out: string }) => {
      const kp = getSuite(o.suite).generateKeyPair();
      writeFileSync(o.out, privateKeyToPem(kp.privateKey, o.suite === 'gm' ? 'sm2' : 'p256'), { mode: 0o600 });
      print({ file: o.out, publicKey: Buffer.from(kp.publicKey).toString('hex') });
    });

  program.command('send')
    .description('sign and submit a transaction')
    .addOption(apiOption())
    .requiredOption('--key <file>', 'PEM private key of the sender')
    .requiredOption('--contract <name>', 'contract, e.g. kv')
    .requiredOption('--method <name>', 'method, e.g. put')
    .option('--args <json>', 'arguments as JSON', '{}')
    .option('--token <token>', 'the node\'s API token (or GOVCHAIN_API_TOKEN)')
    .option('--no-wait', 'return the tx id at once instead of waiting for the commit')
    .action(async (o) => {
      const client = new GovchainClient(o.api, { token: o.token ?? process.env.GOVCHAIN_API_TOKEN });
      const status = await client.status();
      const suite = getSuite(status.suite as SuiteName);
      const key = privateKeyFromPem(readFileSync(o.key, 'utf8'), status.suite === 'gm' ? 'sm2' : 'p256');
      const tx = buildTx({ chainId: status.chainId, contract: o.contract, method: o.method, args: parseJson(o.args, '--args') }, { suite, ...key });
      print(await client.submit(tx.hex, { wait: o.wait }));
    });

  program.command('query')
    .description('run a read-only contract method')
    .addOption(apiOption())
    .requiredOption('--contract <name>')
    .requiredOption('--method <name>')
    .option('--args <json>', 'arguments as JSON', '{}')
    .action(async (o) => print(await new GovchainClient(o.api).query(o.contract, o.method, parseJson(o.args, '--args'))));

  program.command('status').description('chain and node status').addOption(apiOption())
    .action(async (o) => print(await new GovchainClient(o.api).status()));
  program.command('block').description('a block by height or hash').argument('<id>').addOption(apiOption())
    .action(async (id: string, o) => print(await new GovchainClient(o.api).getBlock(id)));
  program.command('tx').description('a committed transaction and its receipt').argument('<txId>').addOption(apiOption())
    .action(async (id: string, o) => print(await new GovchainClient(o.api).getTx(id)));
}
