/** English. Same keys as zh-CN.ts (checked by i18n.test.ts). */
const enUS = {
  app: {
    title: 'Govchain Management Console',
    shortTitle: 'Govchain',
    footer: 'govchain government consortium chain · organization {{organization}} · SM2/SM3/SM4',
  },
  menu: {
    home: 'Home', dashboard: 'Overview', explorer: 'Explorer', network: 'Nodes & organizations', monitor: 'Monitoring & alerts', audit: 'Operation log', access: 'Users & roles',
    groupChain: 'Chain', groupApps: 'Applications', groupSystem: 'System', toggle: 'Toggle the menu',
  },
  header: { chainTip: 'Chain id and cryptographic suite', suiteGm: 'SM (national)', suiteIntl: 'International' },
  common: {
    height: 'Height', time: 'Time', status: 'Status', organization: 'Organization', online: 'Online', offline: 'Offline', more: 'More', actions: 'Actions',
    view: 'View', edit: 'Edit', delete: 'Delete', close: 'Close', name: 'Name', yes: 'Yes', no: 'No', saved: 'Saved', search: 'Search', backHome: 'Back to home',
    secondsAgo: '{{count}} s ago', minutesAgo: '{{count}} min ago', hoursAgo: '{{count}} h ago', daysAgo: '{{count}} d ago',
  },
  login: {
    title: 'Sign in', username: 'User name', password: 'Password', submit: 'Sign in', usernameRequired: 'Enter your user name', passwordRequired: 'Enter your password',
    tagline: 'A consortium blockchain with national cryptography for government data sharing: departments keep one ledger together, so data is trusted, traceable and verifiable.',
    feature1: 'BFT consensus across departments\' nodes', feature2: 'SM2/SM3/SM4 national cryptography throughout', feature3: 'Role-based access; every operation is logged for audit',
    securityNote: 'Five wrong passwords lock the account for 15 minutes; an idle session ends after 30 minutes.',
  },
  auth: {
    logout: 'Sign out', loggedOut: 'Signed out', expired: 'Your session has expired; please sign in again.', locked: 'This account is locked after repeated failed sign-ins; try again after {{until}} or ask an administrator to unlock it.',
  },
  account: {
    title: 'Change password', current: 'Current password', new: 'New password', confirm: 'Confirm new password', submit: 'Change', mismatch: 'The two new passwords differ',
    tooShort: 'At least 10 characters', changed: 'Password changed', changedSignInAgain: 'Password changed; sign in with the new password.',
    mustChange: 'This is your first sign-in or your password was reset: change the initial password before using the console.',
    policy: '10 to 128 characters with at least three of: upper case, lower case, digits, other characters; not containing the user name. Every session ends after the change.',
  },
  dashboard: {
    height: 'Block height', txTotal: 'Transactions', tps: 'TPS (last minute)', blockTimeAvg: 'Average block time', nodesOnline: 'Nodes online', alertsFiring: 'Active alerts', seeAlerts: 'See alerts',
    tpsChart: 'Throughput (TPS)', tpsChartTip: 'Transactions in committed blocks per 10-second interval', blockChart: 'Block time and transactions per block', blockTime: 'Block interval', txsPerBlock: 'Txs per block', txs: 'Txs',
    last15: 'Last 15 minutes', validators: 'Validators', validator: 'Validator', lastSigned: 'Last signed height', address: 'Address',
    recentBlocks: 'Latest blocks', recentTxs: 'Latest transactions', autoRefresh: 'Auto refresh', paused: 'Paused', updatedAt: 'Updated {{time}}',
    consensusAt: 'Consensus: height {{height}} · round {{round}} · {{step}}',
  },
  explorer: {
    search: 'Search', searchPlaceholder: 'Tx hash / block hash / height / account address / certificate fingerprint',
    searchHint: 'Accepts a 64-hex tx hash, block hash or certificate fingerprint, a 40-hex account address, or a block height.',
    latestBlocks: 'Latest blocks', latestTxs: 'Latest transactions', blocksTotal: 'Total: {{count}} blocks', block: 'Block', tx: 'Transaction', account: 'Account',
    hash: 'Block hash', prevHash: 'Parent hash', proposer: 'Proposer', signers: 'Signers', round: 'committed in round {{round}}', txRoot: 'Tx root', resultsRoot: 'Receipts root', stateRoot: 'State root', validatorsHash: 'Validator set hash',
    prevBlock: 'Previous', nextBlock: 'Next', txsInBlock: 'Transactions in the block ({{count}})', txId: 'Tx hash', call: 'Call', sender: 'Sender',
    status: { ok: 'Succeeded', failed: 'Failed' },
    indexInBlock: 'Index in block', blockHash: 'Block', withCertificate: 'with certificate', expires: 'Valid until', args: 'Arguments', nonce: 'Nonce', chainId: 'Chain id',
    publicKey: 'Sender public key', signature: 'Signature', receipt: 'Receipt', error: 'Error', result: 'Result', events: 'Events',
    proof: 'Commit proof', loadProof: 'Get proof', downloadProof: 'Download proof', proofHint: 'The proof holds the Merkle paths of the tx and its receipt, the block header, the commit certificate and the validator set; it can be checked offline (docs/proof-format.md).',
    address: 'Address', txsSent: 'Transactions sent', accountTxs: 'Transactions of the account', indexing: 'indexing…', indexPending: 'The gateway is still indexing the details of {{count}} transaction(s); the list may be incomplete.',
  },
  network: {
    nodes: 'Nodes', host: 'Host resources', orgs: 'Organizations & certificates', node: 'Node', consensus: 'Consensus (height/round/step)', peers: 'Peers', mempool: 'Mempool', version: 'Version', latency: 'Latency', lastBlock: 'Last block',
    hostNote: 'Resources of the machine the gateway runs on (not the nodes\' machines; each node publishes its process metrics at /metrics).',
    nodeHost: 'Node host', cpu: 'CPU', memory: 'Memory', disk: 'Disk', cores: 'Cores: {{count}}', hostname: 'Host name', load: 'Load (1/5/15 min)', uptime: 'Uptime', uptimeValue: '{{days}} d {{hours}} h',
    gatewayMemory: 'Gateway process memory', diskPath: 'Disk path',
    governanceTitle: 'Admitting and removing organizations', governanceComing: 'Adding or removing an organization will be an on-chain governance proposal voted by the member organizations. Coming soon; today the members are those in genesis.',
    addOrg: 'Add organization', removeOrg: 'Remove organization', orgCount: 'Organizations', validatorCount: 'Validators', thisOrg: 'this organization', validatorsOf: 'Validators: {{names}}',
    certificate: 'Certificate', subject: 'Subject', issuer: 'Issuer', serial: 'Serial number', algorithm: 'Signature algorithm', validity: 'Validity', notAfter: 'Expires', fingerprint: 'Fingerprint (SM3/SHA-256)',
    certKind: 'Kind', kinds: { root: 'Root CA certificate', ca: 'Operating CA certificate', node: 'Node certificate', admin: 'Administrator certificate' },
    downloadPem: 'Download PEM', valid: 'Valid', expired: 'Expired', expiresIn: 'Expires in {{count}} d',
  },
  monitor: {
    intro: 'The gateway reads every node\'s status periodically and evaluates the alert rules; each alert and its recovery is recorded and sent to the rule\'s channels.',
    events: 'Alerts', rules: 'Rules', channelsTab: 'Channels', all: 'All', firing: 'Firing', resolved: 'Resolved', state: 'State', severityLabel: 'Severity',
    severity: { critical: 'Critical', warning: 'Warning', info: 'Info' }, rule: 'Rule', subject: 'Subject', message: 'Details', firedAt: 'Fired', resolvedAt: 'Resolved', notified: 'Notification',
    newRule: 'New rule', editRule: 'Edit rule', kind: 'Kind', threshold: 'Threshold', channels: 'Channels', noChannel: 'No notification', enabled: 'Enabled',
    kinds: { node_down: 'Node down', height_stalled: 'Height not advancing', mempool_high: 'Mempool backlog', cert_expiring: 'Certificate expiring' },
    units: { node_down: 's', height_stalled: 's', mempool_high: 'txs', cert_expiring: 'days' },
    thresholdHelp: {
      node_down: 'Fires when a node has not answered for this many seconds', height_stalled: 'Fires when a node\'s height has not grown for this many seconds',
      mempool_high: 'Fires when a node holds more pending transactions than this', cert_expiring: 'Fires when a certificate expires within this many days',
    },
    deleteRuleConfirm: 'Delete this rule? Its open alerts are marked resolved.',
    channelHelp: 'Webhook channels receive a JSON POST when an alert fires and when it resolves; failed deliveries are retried (4 attempts at most).', channelKind: 'Kind',
    newChannel: 'New channel', editChannel: 'Edit channel', test: 'Send test', testOk: 'Test delivered (HTTP {{status}})', testFailed: 'Test not delivered: {{error}}',
    deleteChannelConfirm: 'Delete this channel?', urlInvalid: 'Enter an address starting with http:// or https://',
  },
  audit: {
    intro: 'Every sign-in, sign-out, change, export and refused access: who, when, what, on what, with what result, from which IP. Search and export as CSV.',
    user: 'User', action: 'Action', result: 'Result', time: 'Time range', text: 'Target/detail', target: 'Target', ip: 'Client IP', detail: 'Detail', ok: 'OK', failed: 'Failed',
    export: 'Export CSV', total: '{{count}} entries',
    actionNames: { explorer_search: 'Explorer search', audit_search: 'Search the log', auth_login: 'Sign in', auth_logout: 'Sign out', auth_change_password: 'Change password', user_create: 'Create user', user_update: 'Change user', user_reset_password: 'Reset password', user_unlock: 'Unlock user', user_delete: 'Delete user', role_create: 'Create role', role_update: 'Change role', role_delete: 'Delete role', alert_rule_create: 'Create alert rule', alert_rule_update: 'Change alert rule', alert_rule_delete: 'Delete alert rule', alert_channel_create: 'Create channel', alert_channel_update: 'Change channel', alert_channel_delete: 'Delete channel', alert_channel_test: 'Test channel', audit_export: 'Export the log', cert_download: 'Download certificate' },
    actions: {
      auth_all: 'Sign-in and sign-out (all)', auth_login: 'Sign in', auth_logout: 'Sign out', user_all: 'User management', role_all: 'Role management',
      alert_rule_all: 'Alert rules', alert_channel_all: 'Notification channels', audit_export: 'Log export', cert_download: 'Certificate download',
    },
  },
  access: {
    users: 'Users', rolesTab: 'Roles & permissions', newUser: 'New user', editUser: 'Edit user', displayName: 'Name', roles: 'Roles', role: 'Role', you: 'you',
    active: 'Active', disabled: 'Disabled', lockedUntil: 'Locked until {{time}}', mustChange: 'Must change password', lastLogin: 'Last sign-in', enable: 'On', disable: 'Off', unlock: 'Unlock',
    resetPassword: 'Reset password', resetConfirm: 'Reset this user\'s password? All their sessions end.', deleteUserConfirm: 'Delete user {{username}}? Their operation log entries stay.',
    usernameRule: '3 to 32 letters, digits, dots, dashes or underscores', generatedPassword: 'A random initial password is generated and shown once; the user must change it at first sign-in.',
    passwordFor: 'Initial password of {{username}}', passwordOnce: 'Shown only once: hand it to the user over a safe channel; they must change it at first sign-in.',
    newRole: 'New role', editRole: 'Edit role', builtin: 'built-in', permissionCount: 'Permissions', userCount: 'Users', description: 'Description', permissions: 'Permissions',
    allPermissions: 'Holds every permission', deleteRoleConfirm: 'Delete this role?', roleIdRule: '3 to 32 lower-case letters, digits or underscores, starting with a letter',
  },
  roles: {
    super_admin: 'Super admin', org_admin: 'Organization admin', developer: 'Developer', operations: 'Operations', auditor: 'Auditor', user: 'User',
    desc: {
      super_admin: 'Every permission; manages roles and governance', org_admin: 'Manages the organization\'s users, monitoring and operation log', developer: 'Reads the chain, nodes and organizations',
      operations: 'Keeps the nodes running: nodes, host resources, alerts', auditor: 'Reviews and exports the operation log; sees users and roles', user: 'Reads the chain',
    },
  },
  permissionGroups: { chain: 'Chain data', network: 'Network & organizations', monitor: 'Monitoring', audit: 'Audit', access: 'Users & permissions' },
  permissions: {
    dashboard_read: 'View the overview', explorer_read: 'Browse blocks and transactions', nodes_read: 'View nodes and the host', orgs_read: 'View organizations, download certificates', orgs_manage: 'Propose admitting/removing organizations',
    monitor_read: 'View alerts', alerts_manage: 'Manage alert rules and channels', audit_read: 'Search the operation log', audit_export: 'Export the operation log',
    users_read: 'View users', users_manage: 'Manage users', roles_read: 'View roles', roles_manage: 'Manage roles',
  },
  errors: {
    forbiddenPage: 'Your roles do not allow this page. Ask an administrator if you need it.', notFoundPage: 'This page does not exist.',
    codes: {
      LOGIN_RATE_LIMITED: 'Too many failed sign-ins from this address; try again later', LOGIN_FAILED: 'Wrong user name or password', ACCOUNT_DISABLED: 'This account is disabled; ask an administrator', LOGIN_BUSY: 'Too many sign-ins at once; try again shortly', FORBIDDEN: 'You do not have permission for this',
      UNAUTHENTICATED: 'Please sign in', CSRF_TOKEN_INVALID: 'The request could not be verified; reload the page and retry', PASSWORD_POLICY: 'The new password does not meet the policy', PASSWORD_WRONG: 'The current password is wrong',
      PRIVILEGE_ESCALATION: 'You cannot grant or change roles or users beyond your own permissions', LAST_SUPER_ADMIN: 'This is the last super admin: it cannot be disabled, demoted or deleted', SELF_CHANGE_REFUSED: 'You cannot disable or delete yourself or change your own roles',
      USER_EXISTS: 'That user name is taken', ROLE_EXISTS: 'That role id is taken', ROLE_IN_USE: 'Users still hold this role', ROLE_IMMUTABLE: 'Built-in roles cannot be deleted or renamed',
      SEARCH_NOT_FOUND: 'No transaction, block or certificate matches', SEARCH_QUERY_INVALID: 'Enter a height, a 64-hex hash or a 40-hex address', TX_NOT_FOUND: 'No such transaction (it may not be committed yet)', BLOCK_NOT_FOUND: 'No such block',
      NODE_UNAVAILABLE: 'The organization\'s node cannot be reached right now', CHANNEL_URL_INVALID: 'The notification address is not valid', ALERT_RULE_INVALID: 'The rule\'s settings are not valid',
    },
  },
};

export default enUS;
