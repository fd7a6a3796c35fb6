/** 简体中文（默认语言）。键与 en-US.ts 一一对应（i18n.test.ts 检查）。 */
const zhCN = {
  app: {
    title: '政务联盟链管理平台',
    shortTitle: '政务联盟链',
    footer: '政务联盟链 govchain · 当前组织 {{organization}} · 国密 SM2/SM3/SM4',
  },
  menu: {
    home: '首页', dashboard: '概览', explorer: '区块链浏览器', network: '节点与组织', monitor: '监控告警', audit: '操作日志', access: '用户与角色',
    groupChain: '链管理', groupApps: '应用', groupSystem: '系统管理', toggle: '展开/收起菜单',
  },
  header: { chainTip: '链标识与密码套件', suiteGm: '国密', suiteIntl: '国际算法' },
  common: {
    height: '区块高度', time: '时间', status: '状态', organization: '所属组织', online: '在线', offline: '离线', more: '更多', actions: '操作',
    view: '查看', edit: '编辑', delete: '删除', close: '关闭', name: '名称', yes: '是', no: '否', saved: '已保存', search: '查询', backHome: '返回首页',
    secondsAgo: '{{count}} 秒前', minutesAgo: '{{count}} 分钟前', hoursAgo: '{{count}} 小时前', daysAgo: '{{count}} 天前',
  },
  login: {
    title: '用户登录', username: '用户名', password: '密码', submit: '登 录', usernameRequired: '请输入用户名', passwordRequired: '请输入密码',
    tagline: '面向政务数据共享的国产密码联盟链平台：各部门共同记账，数据可信、过程可溯、结果可验。',
    feature1: 'BFT 共识，多部门节点共同维护账本', feature2: '全面采用国密 SM2/SM3/SM4 算法', feature3: '角色权限管控，全部操作留痕可审计',
    securityNote: '连续 5 次输错密码将锁定账户 15 分钟；会话闲置 30 分钟自动退出。',
  },
  auth: {
    logout: '退出登录', loggedOut: '已退出登录', expired: '会话已过期，请重新登录。', locked: '账户因多次登录失败已锁定，请于 {{until}} 后再试或联系管理员解锁。',
  },
  account: {
    title: '修改密码', current: '当前密码', new: '新密码', confirm: '确认新密码', submit: '确认修改', mismatch: '两次输入的新密码不一致',
    tooShort: '新密码至少 10 位', changed: '密码已修改', changedSignInAgain: '密码已修改，请使用新密码重新登录。',
    mustChange: '这是首次登录或密码已被重置，请先修改初始密码后再使用平台。',
    policy: '密码长度 10–128 位，至少包含大写字母、小写字母、数字、特殊字符中的三类，且不能包含用户名。修改后所有会话将退出。',
  },
  dashboard: {
    height: '区块高度', txTotal: '交易总数', tps: 'TPS（近 1 分钟）', blockTimeAvg: '平均出块时间', nodesOnline: '在线节点', alertsFiring: '活跃告警', seeAlerts: '查看告警',
    tpsChart: '交易吞吐量（TPS）', tpsChartTip: '按 10 秒区间统计已提交区块中的交易数', blockChart: '出块时间与区块交易数', blockTime: '出块间隔', txsPerBlock: '区块交易数', txs: '交易数',
    last15: '近 15 分钟', validators: '验证节点', validator: '验证节点', lastSigned: '最近签名高度', address: '账户地址',
    recentBlocks: '最新区块', recentTxs: '最新交易', autoRefresh: '自动刷新', paused: '已暂停', updatedAt: '更新于 {{time}}',
    consensusAt: '共识：高度 {{height}} · 轮次 {{round}} · {{step}}',
  },
  explorer: {
    search: '搜索', searchPlaceholder: '输入交易哈希 / 区块哈希 / 区块高度 / 账户地址 / 证书指纹',
    searchHint: '支持 64 位十六进制交易哈希、区块哈希、证书指纹，40 位十六进制账户地址，或区块高度。',
    latestBlocks: '最新区块', latestTxs: '最新交易', blocksTotal: '共 {{count}} 个区块', block: '区块详情', tx: '交易详情', account: '账户详情',
    hash: '区块哈希', prevHash: '父区块哈希', proposer: '出块节点', signers: '签名节点', round: '第 {{round}} 轮提交', txRoot: '交易根', resultsRoot: '回执根', stateRoot: '状态根', validatorsHash: '验证节点集哈希',
    prevBlock: '上一区块', nextBlock: '下一区块', txsInBlock: '区块内交易（{{count}} 笔）', txId: '交易哈希', call: '合约调用', sender: '发送方',
    status: { ok: '成功', failed: '失败' },
    indexInBlock: '区块内序号', blockHash: '所在区块', withCertificate: '附带证书', expires: '有效期至', args: '调用参数', nonce: '随机数', chainId: '链标识',
    publicKey: '发送方公钥', signature: '签名', receipt: '交易回执', error: '错误', result: '返回结果', events: '事件',
    proof: '上链证明', loadProof: '获取证明', downloadProof: '下载证明', proofHint: '证明包含交易与回执的默克尔路径、区块头、提交证书及验证节点集，可离线验证（见 docs/proof-format.md）。',
    address: '账户地址', txsSent: '发送交易数', accountTxs: '账户交易', indexing: '索引中…', indexPending: '网关仍有 {{count}} 笔交易的详情在索引中，列表可能不完整。',
  },
  network: {
    nodes: '节点', host: '主机资源', orgs: '组织与证书', node: '节点', consensus: '共识（高度/轮次/阶段）', peers: '连接节点', mempool: '交易池', version: '版本', latency: '响应时间', lastBlock: '最新出块',
    hostNote: '以下为网关所在主机的资源占用（不是各节点所在主机；节点进程指标见各节点 /metrics）。',
    nodeHost: '节点主机', cpu: 'CPU 使用率', memory: '内存', disk: '磁盘', cores: '{{count}} 核', hostname: '主机名', load: '系统负载（1/5/15 分钟）', uptime: '运行时长', uptimeValue: '{{days}} 天 {{hours}} 小时',
    gatewayMemory: '网关进程内存', diskPath: '磁盘路径',
    governanceTitle: '组织准入与退出', governanceComing: '新增或移除组织将以链上治理提案的方式进行，由成员组织投票表决；该功能即将推出，当前组织成员由创世文件确定。',
    addOrg: '新增组织', removeOrg: '移除组织', orgCount: '组织数量', validatorCount: '验证节点数量', thisOrg: '本组织', validatorsOf: '验证节点：{{names}}',
    certificate: '证书', subject: '主体', issuer: '签发者', serial: '序列号', algorithm: '签名算法', validity: '有效期', notAfter: '到期时间', fingerprint: '指纹（SM3/SHA-256）',
    certKind: '证书类型', kinds: { root: '根 CA 证书', ca: '运营 CA 证书', node: '节点证书', admin: '管理员证书' },
    downloadPem: '下载 PEM', valid: '有效', expired: '已过期', expiresIn: '{{count}} 天后过期',
  },
  monitor: {
    intro: '网关定期读取各节点状态并评估告警规则；触发与恢复都会记录并通过通知渠道推送。',
    events: '告警事件', rules: '告警规则', channelsTab: '通知渠道', all: '全部', firing: '告警中', resolved: '已恢复', state: '状态', severityLabel: '级别',
    severity: { critical: '严重', warning: '警告', info: '提示' }, rule: '规则', subject: '对象', message: '详情', firedAt: '触发时间', resolvedAt: '恢复时间', notified: '通知结果',
    newRule: '新建规则', editRule: '编辑规则', kind: '规则类型', threshold: '阈值', channels: '通知渠道', noChannel: '不发送通知', enabled: '启用',
    kinds: { node_down: '节点宕机', height_stalled: '区块高度停滞', mempool_high: '交易池积压', cert_expiring: '证书即将过期' },
    units: { node_down: '秒', height_stalled: '秒', mempool_high: '笔', cert_expiring: '天' },
    thresholdHelp: {
      node_down: '节点连续无响应超过该秒数即告警', height_stalled: '节点区块高度超过该秒数未增长即告警',
      mempool_high: '节点交易池待处理交易数超过该值即告警', cert_expiring: '证书距到期不足该天数即告警',
    },
    deleteRuleConfirm: '确定删除该规则？其未恢复的告警将标记为已恢复。',
    channelHelp: 'Webhook 渠道：告警触发与恢复时以 JSON POST 推送，失败自动重试（最多 4 次）。', channelKind: '类型',
    newChannel: '新建渠道', editChannel: '编辑渠道', test: '发送测试', testOk: '测试消息已送达（HTTP {{status}}）', testFailed: '测试消息发送失败：{{error}}',
    deleteChannelConfirm: '确定删除该渠道？', urlInvalid: '请输入 http:// 或 https:// 开头的地址',
  },
  audit: {
    intro: '记录每一次登录、退出、配置变更、导出与被拒绝的访问：谁、何时、做了什么、对象、结果、来源 IP。可按条件检索并导出 CSV。',
    user: '操作人', action: '操作', result: '结果', time: '时间范围', text: '对象/详情', target: '操作对象', ip: '来源 IP', detail: '详情', ok: '成功', failed: '失败',
    export: '导出 CSV', total: '共 {{count}} 条',
    actionNames: { explorer_search: '浏览器搜索', audit_search: '查询操作日志', auth_login: '登录', auth_logout: '退出', auth_change_password: '修改密码', user_create: '新建用户', user_update: '修改用户', user_reset_password: '重置密码', user_unlock: '解锁用户', user_delete: '删除用户', role_create: '新建角色', role_update: '修改角色', role_delete: '删除角色', alert_rule_create: '新建告警规则', alert_rule_update: '修改告警规则', alert_rule_delete: '删除告警规则', alert_channel_create: '新建通知渠道', alert_channel_update: '修改通知渠道', alert_channel_delete: '删除通知渠道', alert_channel_test: '测试通知渠道', audit_export: '导出操作日志', cert_download: '下载证书' },
    actions: {
      auth_all: '登录与退出（全部）', auth_login: '登录', auth_logout: '退出', user_all: '用户管理', role_all: '角色管理',
      alert_rule_all: '告警规则', alert_channel_all: '通知渠道', audit_export: '导出日志', cert_download: '下载证书',
    },
  },
  access: {
    users: '用户', rolesTab: '角色与权限', newUser: '新建用户', editUser: '编辑用户', displayName: '姓名', roles: '角色', role: '角色', you: '当前用户',
    active: '正常', disabled: '已停用', lockedUntil: '锁定至 {{time}}', mustChange: '待改密', lastLogin: '最近登录', enable: '启用', disable: '停用', unlock: '解锁',
    resetPassword: '重置密码', resetConfirm: '确定重置该用户的密码？其现有会话将全部退出。', deleteUserConfirm: '确定删除用户 {{username}}？其操作日志将保留。',
    usernameRule: '3–32 位字母、数字、点、横线或下划线', generatedPassword: '系统将生成随机初始密码并仅显示一次，用户首次登录须修改。',
    passwordFor: '用户 {{username}} 的初始密码', passwordOnce: '该密码仅显示一次，请通过安全渠道交给用户；用户首次登录须修改。',
    newRole: '新建角色', editRole: '编辑角色', builtin: '内置', permissionCount: '权限数', userCount: '用户数', description: '说明', permissions: '权限',
    allPermissions: '拥有全部权限', deleteRoleConfirm: '确定删除该角色？', roleIdRule: '3–32 位小写字母、数字或下划线，以字母开头',
  },
  roles: {
    super_admin: '超级管理员', org_admin: '组织管理员', developer: '开发者', operations: '运维人员', auditor: '审计员', user: '普通用户',
    desc: {
      super_admin: '拥有全部权限，管理角色与治理', org_admin: '管理本组织用户、监控告警与操作日志', developer: '浏览链上数据、节点与组织',
      operations: '维护节点运行：节点、主机资源与告警', auditor: '审阅操作日志并导出，查看用户与角色', user: '浏览链上数据',
    },
  },
  permissionGroups: { chain: '链数据', network: '网络与组织', monitor: '监控告警', audit: '审计', access: '用户与权限' },
  permissions: {
    dashboard_read: '查看概览', explorer_read: '浏览区块与交易', nodes_read: '查看节点与主机', orgs_read: '查看组织与下载证书', orgs_manage: '发起组织准入/退出（治理）',
    monitor_read: '查看告警', alerts_manage: '管理告警规则与渠道', audit_read: '检索操作日志', audit_export: '导出操作日志',
    users_read: '查看用户', users_manage: '管理用户', roles_read: '查看角色', roles_manage: '管理角色',
  },
  errors: {
    forbiddenPage: '您的角色没有访问此页面的权限。如需开通，请联系管理员。', notFoundPage: '页面不存在。',
    codes: {
      LOGIN_RATE_LIMITED: '该地址登录失败次数过多，请稍后再试', LOGIN_FAILED: '用户名或密码错误', ACCOUNT_DISABLED: '账户已停用，请联系管理员', LOGIN_BUSY: '登录人数过多，请稍后再试', FORBIDDEN: '没有执行该操作的权限',
      UNAUTHENTICATED: '请先登录', CSRF_TOKEN_INVALID: '请求校验失败，请刷新页面后重试', PASSWORD_POLICY: '新密码不符合密码策略', PASSWORD_WRONG: '当前密码错误',
      PRIVILEGE_ESCALATION: '不能授予或修改超出自身权限的角色/用户', LAST_SUPER_ADMIN: '这是最后一个超级管理员，不能停用、降级或删除', SELF_CHANGE_REFUSED: '不能停用、删除自己或修改自己的角色',
      USER_EXISTS: '用户名已存在', ROLE_EXISTS: '角色 ID 已存在', ROLE_IN_USE: '仍有用户使用该角色', ROLE_IMMUTABLE: '内置角色不可删除或改名',
      SEARCH_NOT_FOUND: '未找到匹配的交易、区块或证书', SEARCH_QUERY_INVALID: '请输入区块高度、64 位哈希或 40 位地址', TX_NOT_FOUND: '交易不存在（可能尚未上链）', BLOCK_NOT_FOUND: '区块不存在',
      NODE_UNAVAILABLE: '本组织节点暂时无法访问', CHANNEL_URL_INVALID: '通知地址无效', ALERT_RULE_INVALID: '规则参数无效',
    },
  },
};

export default zhCN;
