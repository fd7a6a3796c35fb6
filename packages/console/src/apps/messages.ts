/**
 * Translations of the apps' pages, under the `apps.` prefix (key apps.evidence.title). Each app adds its own
 * object here, in both languages.
 */
export const appMessages: Record<'zh-CN' | 'en-US', Record<string, unknown>> = {
  'zh-CN': {
    evidence: {
      records: '存证记录', recordTitle: '存证', verify: '查证', detail: '存证详情',
      recordsIntro: '按文件哈希、业务编号或存证类型查询本链上的存证记录；点击一行查看区块高度、交易、证明与存证证书。',
      mine: '当前显示：我提交的存证。', searchPlaceholder: '输入哈希（64 位十六进制）、业务编号或类型',
      id: '存证编号', type: '存证类型', hash: '文件哈希', businessRef: '业务编号', txId: '交易 ID', recordedAt: '存证时间', owner: '所有者地址',
      size: '文件大小', metadata: '附加信息', proof: '下载证明（JSON）', certificate: '下载存证证书（PDF）', prev: '上一页', next: '下一页',
      fileStored: '原文件加密保存在本网关。', fileStoredEntitled: '原文件加密保存在本网关，您可以下载。', downloadFile: '下载原文件',
      recordIntro: '选择文件后，文件加密保存在本网关，只有其哈希与下列信息写入区块链；上链后可下载证明与证书，并在公开查证页核验。',
      file: '文件', pickFile: '选择文件', fileRequired: '请选择要存证的文件', typeHelp: '小写字母开头，可含数字、下划线、点、连字符（例如 contract、license）',
      typeInvalid: '类型格式不正确', businessRefHelp: '例如审批件编号（可选）', metaKey: '名称', metaValue: '值', addMeta: '添加附加信息',
      submit: '提交存证', committed: '存证已上链', pending: '存证已提交，等待出块确认',
    },
  },
  'en-US': {
    evidence: {
      records: 'Evidence records', recordTitle: 'Record evidence', verify: 'Verify', detail: 'Evidence record',
      recordsIntro: 'Search the evidence recorded on this chain by file hash, business reference or type; click a row for its block height, transaction, proof and certificate.',
      mine: 'Showing: evidence you recorded.', searchPlaceholder: 'A hash (64 hex digits), business reference or type',
      id: 'Evidence ID', type: 'Type', hash: 'File hash', businessRef: 'Business reference', txId: 'Transaction ID', recordedAt: 'Recorded at', owner: 'Owner address',
      size: 'File size', metadata: 'Metadata', proof: 'Download proof (JSON)', certificate: 'Download certificate (PDF)', prev: 'Previous', next: 'Next',
      fileStored: 'The original file is stored encrypted on this gateway.', fileStoredEntitled: 'The original file is stored encrypted on this gateway and you may download it.', downloadFile: 'Download the file',
      recordIntro: 'The file you pick is stored encrypted on this gateway; only its hash and the details below go on chain. Once committed, download the proof and certificate, or check it on the public verification page.',
      file: 'File', pickFile: 'Choose a file', fileRequired: 'Choose the file to record', typeHelp: 'Starts with a lower-case letter; digits, underscore, dot and hyphen allowed (e.g. contract, license)',
      typeInvalid: 'Invalid type', businessRefHelp: 'e.g. the approval number (optional)', metaKey: 'Name', metaValue: 'Value', addMeta: 'Add metadata',
      submit: 'Record', committed: 'Recorded on chain', pending: 'Submitted; waiting for a block to commit it',
    },
  },
};
