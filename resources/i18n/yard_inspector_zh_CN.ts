<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AmendDialog</name>
    <message>
        <source>Correct load %1</source>
        <translation>更正车次 %1</translation>
    </message>
    <message>
        <source>Load %1 (%2): the earlier value is kept in the audit trail.</source>
        <translation>车次 %1（%2）：原值保留在审计记录中。</translation>
    </message>
    <message>
        <source>The load was weighed out, classified or put in a lot: a supervisor must confirm this correction in person.</source>
        <translation>该车次已回皮、已分类或已组批：此更正须由主管本人当面确认。</translation>
    </message>
    <message>
        <source>It is in lot %1, which goes back to draft if it was submitted or decided.</source>
        <translation>该车次在批次 %1 中；该批次如已提交或已决定，将退回草稿。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Current value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message numerus="yes">
        <source>Why the value is corrected (at least %n characters)</source>
        <translation>
            <numerusform>更正原因（至少 %n 个字）</numerusform>
        </translation>
    </message>
    <message>
        <source>Save correction</source>
        <translation>保存更正</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>(nothing recorded)</source>
        <translation>（无记录）</translation>
    </message>
    <message numerus="yes">
        <source>Say why in at least %n characters.</source>
        <translation>
            <numerusform>请写明原因，至少 %n 个字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Correction of %1 of load %2: a supervisor confirms it in person.</source>
        <translation>更正车次 %2 的%1：须由主管本人当面确认。</translation>
    </message>
    <message>
        <source>Not saved: a supervisor did not confirm the correction.</source>
        <translation>未保存：主管未确认此更正。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Yard Inspector</source>
        <translation>Yard Inspector 稀土二次资源验收</translation>
    </message>
    <message>
        <source>Yard Inspector cannot start</source>
        <translation>Yard Inspector 无法启动</translation>
    </message>
</context>
<context>
    <name>ApprovalQueueModel</name>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Loads</source>
        <translation>车次数</translation>
    </message>
    <message>
        <source>Net mass</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>品级</translation>
    </message>
    <message>
        <source>Failed checks</source>
        <translation>未通过的检查</translation>
    </message>
    <message>
        <source>Rule set</source>
        <translation>规则集</translation>
    </message>
    <message>
        <source>Submitted by</source>
        <translation>提交人</translation>
    </message>
</context>
<context>
    <name>ApprovalQueueWidget</name>
    <message>
        <source>Your signing key file</source>
        <translation>您的签名密钥文件</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>批准…</translation>
    </message>
    <message>
        <source>Reject…</source>
        <translation>驳回…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Open packet…</source>
        <translation>打开审批包…</translation>
    </message>
    <message>
        <source>Back to the queue</source>
        <translation>返回审批队列</translation>
    </message>
    <message>
        <source>Export my laptop bundle…</source>
        <translation>导出我的笔记本密钥包…</translation>
    </message>
    <message>
        <source>Held loads waiting for a supervisor's decision</source>
        <translation>等待主管决定的暂扣车次</translation>
    </message>
    <message>
        <source>Comment (required to release: why the load may be used)</source>
        <translation>意见（放行时必填：说明该车次为何可以使用）</translation>
    </message>
    <message>
        <source>Release into lots</source>
        <translation>放行，可组批</translation>
    </message>
    <message>
        <source>Reject the load</source>
        <translation>拒收该车次</translation>
    </message>
    <message>
        <source>This decision answers (tick the failed check or checks):</source>
        <translation>此决定针对（勾选未通过的检查项）：</translation>
    </message>
    <message>
        <source>Approval packet of lot %1 (read-only), exported by %2 at %3; its signature was checked against the yard's certificate authority.</source>
        <translation>批次 %1 的审批包（只读），由 %2 于 %3 导出；其签名已用本站证书颁发机构核验。</translation>
    </message>
    <message numerus="yes">
        <source>%n lot(s) wait for a decision.</source>
        <translation>
            <numerusform>%n 个批次等待决定。</numerusform>
        </translation>
    </message>
    <message>
        <source>The photo %1… is not available here.</source>
        <translation>此处无法获取照片 %1…。</translation>
    </message>
    <message>
        <source>Photo %1…</source>
        <translation>照片 %1…</translation>
    </message>
    <message>
        <source>Select a lot to see its loads, findings and readings.</source>
        <translation>选择一个批次以查看其车次、检查结果和读数。</translation>
    </message>
    <message>
        <source>Rule set: %1</source>
        <translation>规则集：%1</translation>
    </message>
    <message>
        <source>Failed checks: %n</source>
        <translation>未通过的检查：%n 项</translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <source>(measured %1, limit %2)</source>
        <translation>（测得 %1，限值 %2）</translation>
    </message>
    <message>
        <source>Held load %1: %2 from %3, %4 net</source>
        <translation>暂扣车次 %1：%2，来自 %3，净重 %4</translation>
    </message>
    <message>
        <source>Readings: %n</source>
        <translation>读数：%n 项</translation>
    </message>
    <message>
        <source>Photo %1… (tap to zoom)</source>
        <translation>照片 %1…（点按放大）</translation>
    </message>
    <message>
        <source>Photos: %n</source>
        <translation>照片：%n 张</translation>
    </message>
    <message>
        <source>Lot %1 approved.</source>
        <translation>批次 %1 已批准。</translation>
    </message>
    <message>
        <source>Lot %1 rejected.</source>
        <translation>批次 %1 已驳回。</translation>
    </message>
    <message>
        <source>Signed by %1 at %2: “%3”. Lot version %4.</source>
        <translation>由 %1 于 %2 签署：“%3”。批次版本 %4。</translation>
    </message>
    <message>
        <source>The decision file is %1; take it back to the yard PC and import it there.</source>
        <translation>决定文件为 %1；请带回堆场电脑并在那里导入。</translation>
    </message>
    <message>
        <source>Select the lot to decide on.</source>
        <translation>请选择要决定的批次。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签署…</translation>
    </message>
    <message>
        <source>Save the decision file</source>
        <translation>保存决定文件</translation>
    </message>
    <message>
        <source>Your key passphrase: the bundle holds your key file, still protected by it.</source>
        <translation>您的密钥口令：密钥包内含您的密钥文件，仍受此口令保护。</translation>
    </message>
    <message>
        <source>Save your laptop bundle</source>
        <translation>保存您的笔记本密钥包</translation>
    </message>
    <message>
        <source>Your laptop bundle is %1; on the laptop, open the window on an empty folder (or run 'yard-inspector laptop setup') and choose it.</source>
        <translation>您的笔记本密钥包为 %1；在笔记本上用空文件夹打开程序窗口（或运行“yard-inspector laptop setup”），然后选择该文件。</translation>
    </message>
    <message>
        <source>Open an approval packet</source>
        <translation>打开审批包</translation>
    </message>
    <message>
        <source>Select the held load to decide on.</source>
        <translation>请选择要决定的暂扣车次。</translation>
    </message>
    <message>
        <source>Releasing a held load needs a comment saying why it may be used.</source>
        <translation>放行暂扣车次需要填写意见，说明其为何可以使用。</translation>
    </message>
    <message>
        <source>Tick the failed check or checks this decision answers.</source>
        <translation>请勾选此决定针对的未通过检查项。</translation>
    </message>
    <message>
        <source>Load %1 released: it may now join a lot.</source>
        <translation>车次 %1 已放行：现在可以组批。</translation>
    </message>
    <message>
        <source>Load %1 rejected.</source>
        <translation>车次 %1 已拒收。</translation>
    </message>
</context>
<context>
    <name>AuditEventModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Record id</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>AuditViewerWidget</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Verify the trail</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>%1 event(s) shown; scroll down for more</source>
        <translation>已显示 %1 条事件；向下滚动查看更多</translation>
    </message>
    <message>
        <source>%1 event(s)</source>
        <translation>%1 条事件</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Event %1: %2 by %3 (%4). Reason: %5</source>
        <translation>事件 %1：%2，操作人 %3（%4）。原因：%5</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>导出审计记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>%1 event(s) exported to %2. Chain head: event %3, hash %4.</source>
        <translation>已将 %1 条事件导出到 %2。链头：事件 %3，哈希 %4。</translation>
    </message>
    <message>
        <source>%1 problem(s) found:</source>
        <translation>发现 %1 个问题：</translation>
    </message>
    <message>
        <source>The audit trail, the records and the checkpoints verify.</source>
        <translation>审计记录、业务记录和检查点均校验通过。</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel load %1</source>
        <translation>作废车次 %1</translation>
    </message>
    <message>
        <source>Load %1 (%2) is cancelled: its ticket number, weighings and events stay on the record; it joins no lot.</source>
        <translation>车次 %1（%2）将作废：磅单号、称重记录和事件均保留；不能组批。</translation>
    </message>
    <message>
        <source>The load was weighed out: a supervisor must confirm the cancellation in person.</source>
        <translation>该车次已回皮：作废须由主管本人当面确认。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message numerus="yes">
        <source>What happened (at least %n characters)</source>
        <translation>
            <numerusform>发生了什么（至少 %n 个字）</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the load</source>
        <translation>作废车次</translation>
    </message>
    <message>
        <source>Keep the load</source>
        <translation>不作废</translation>
    </message>
    <message>
        <source>Choose why the load is cancelled.</source>
        <translation>请选择作废的原因。</translation>
    </message>
    <message numerus="yes">
        <source>Say why in at least %n characters.</source>
        <translation>
            <numerusform>请写明原因，至少 %n 个字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancellation of load %1: a supervisor confirms it in person.</source>
        <translation>作废车次 %1：须由主管本人当面确认。</translation>
    </message>
    <message>
        <source>Not cancelled: a supervisor did not confirm it.</source>
        <translation>未作废：主管未确认。</translation>
    </message>
</context>
<context>
    <name>CertificatePreviewDialog</name>
    <message>
        <source>COPY</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>original</source>
        <translation>正本</translation>
    </message>
    <message>
        <source>Print preview: %1 (%2)</source>
        <translation>打印预览：%1（%2）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CertificateRegisterModel</name>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Rev.</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Category / grade</source>
        <translation>类别 / 品级</translation>
    </message>
    <message>
        <source>Net mass</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已签发</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>Voided: %1</source>
        <translation>已作废：%1</translation>
    </message>
</context>
<context>
    <name>CertificateRegisterWidget</name>
    <message>
        <source>Certificates</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Search certificate number, lot or supplier; Enter</source>
        <translation>搜索证书编号、批次或供货单位，按回车</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Issue…</source>
        <translation>签发…</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Reissue…</source>
        <translation>重新签发…</translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <source>Print selected…</source>
        <translation>打印所选…</translation>
    </message>
    <message>
        <source>%1 certificate(s) shown; scroll down for more</source>
        <translation>已显示 %1 份证书；向下滚动查看更多</translation>
    </message>
    <message>
        <source>%1 certificate(s)</source>
        <translation>%1 份证书</translation>
    </message>
    <message>
        <source>Select one certificate first.</source>
        <translation>请先选择一份证书。</translation>
    </message>
    <message>
        <source>No lot is approved and waiting for its certificate.</source>
        <translation>没有已批准、等待签发证书的批次。</translation>
    </message>
    <message>
        <source>Issue a certificate</source>
        <translation>签发证书</translation>
    </message>
    <message>
        <source>Why is %1 voided?</source>
        <translation>%1 作废的原因？</translation>
    </message>
    <message>
        <source>Reissue %1</source>
        <translation>重新签发 %1</translation>
    </message>
    <message>
        <source>Select one or more certificates in force to print.</source>
        <translation>请选择一份或多份有效证书进行打印。</translation>
    </message>
    <message>
        <source>Printing certificates…</source>
        <translation>正在打印证书…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Printed %1 (%2 of %3)</source>
        <translation>已打印 %1（第 %2 份，共 %3 份）</translation>
    </message>
    <message>
        <source>Void a certificate</source>
        <translation>作废证书</translation>
    </message>
    <message>
        <source>Print %1 certificate(s)</source>
        <translation>打印 %1 份证书</translation>
    </message>
</context>
<context>
    <name>ChangePasswordWidget</name>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>Yard Inspector</source>
        <translation>Yard Inspector 稀土二次资源验收</translation>
    </message>
    <message>
        <source>Yard Inspector met an unexpected error and must close. Nothing saved before this moment is lost.</source>
        <translation>Yard Inspector 遇到意外错误，必须关闭。此前已保存的数据不会丢失。</translation>
    </message>
    <message>
        <source>The details were written to %1. Please send this file to your support contact.</source>
        <translation>详情已写入 %1。请将此文件发送给技术支持人员。</translation>
    </message>
    <message>
        <source>The details could not be saved.</source>
        <translation>错误详情未能保存。</translation>
    </message>
</context>
<context>
    <name>DecisionFilesModel</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>Lot version</source>
        <translation>批次版本</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>导入后</translation>
    </message>
</context>
<context>
    <name>DecisionImportDialog</name>
    <message>
        <source>Import decisions</source>
        <translation>导入审批决定</translation>
    </message>
    <message>
        <source>Choose the decision files brought back from a supervisor's laptop. Each is checked first; nothing is stored until you import.</source>
        <translation>选择从主管笔记本带回的审批决定文件。每个文件先核验；点“导入”前不保存任何内容。</translation>
    </message>
    <message>
        <source>One decision file…</source>
        <translation>单个决定文件…</translation>
    </message>
    <message>
        <source>A whole folder…</source>
        <translation>整个文件夹…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Open a decision file</source>
        <translation>打开决定文件</translation>
    </message>
    <message>
        <source>Choose the folder holding the decision files</source>
        <translation>选择存放审批决定文件的文件夹</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>There is no decision file (*.json) in %1.</source>
        <translation>%1 中没有审批决定文件（*.json）。</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) checked</source>
        <translation>
            <numerusform>已核验 %n 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n can be imported</source>
        <translation>
            <numerusform>%n 个可以导入</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message numerus="yes">
        <source>%n decision(s) recorded</source>
        <translation>
            <numerusform>已记录 %n 个审批决定</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) not imported</source>
        <translation>
            <numerusform>%n 个文件未导入</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EligibleLoadsModel</name>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Not yet in a lot</source>
        <translation>尚未组批</translation>
    </message>
    <message>
        <source>Outcome / grade</source>
        <translation>结论 / 品级</translation>
    </message>
</context>
<context>
    <name>HeldLoadsModel</name>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Net mass</source>
        <translation>净重</translation>
    </message>
</context>
<context>
    <name>IntakeTexts</name>
    <message>
        <source>Arrival</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Gross weighing</source>
        <translation>毛重过磅</translation>
    </message>
    <message>
        <source>Gate inspection</source>
        <translation>门岗检查</translation>
    </message>
    <message>
        <source>Identification</source>
        <translation>物料识别</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>取样</translation>
    </message>
    <message>
        <source>Tare weighing</source>
        <translation>皮重过磅</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Lab results</source>
        <translation>化验结果</translation>
    </message>
    <message>
        <source>I have checked the summary</source>
        <translation>我已核对汇总信息</translation>
    </message>
    <message>
        <source>From the indicator</source>
        <translation>来自称重仪表</translation>
    </message>
    <message>
        <source>Entered by hand</source>
        <translation>手工录入</translation>
    </message>
    <message>
        <source>Vehicle's stored tare</source>
        <translation>车辆存档皮重</translation>
    </message>
    <message>
        <source>SP-DEFAULT: at least 10 increments, composite, three sealed splits</source>
        <translation>SP-DEFAULT：至少 10 个份样，制混合样，分三份封存</translation>
    </message>
    <message>
        <source>Delivery note</source>
        <translation>送货单</translation>
    </message>
    <message>
        <source>Business licence copy</source>
        <translation>营业执照复印件</translation>
    </message>
    <message>
        <source>Hazardous-waste transfer manifest</source>
        <translation>危险废物转移联单</translation>
    </message>
    <message>
        <source>Supplier's weighing slip</source>
        <translation>供货方磅单</translation>
    </message>
    <message>
        <source>Import declaration</source>
        <translation>进口报关单</translation>
    </message>
    <message>
        <source>Supplier's analysis certificate</source>
        <translation>供货方化验证书</translation>
    </message>
    <message>
        <source>Oxide, dry basis</source>
        <translation>氧化物，干基</translation>
    </message>
    <message>
        <source>Oxide, as received</source>
        <translation>氧化物，收到基</translation>
    </message>
    <message>
        <source>Metal, dry basis</source>
        <translation>金属，干基</translation>
    </message>
    <message>
        <source>Metal, as received</source>
        <translation>金属，收到基</translation>
    </message>
    <message>
        <source>(not answered)</source>
        <translation>（未回答）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Add photo… (Ctrl+P)</source>
        <translation>添加照片…（Ctrl+P）</translation>
    </message>
    <message>
        <source>Photo from the cameras (F7)</source>
        <translation>摄像头拍照（F7）</translation>
    </message>
    <message numerus="yes">
        <source>%n supplier(s) found: pick one</source>
        <translation>
            <numerusform>找到 %n 个供货单位：请选择一个</numerusform>
        </translation>
    </message>
    <message>
        <source>New supplier</source>
        <translation>新供货单位</translation>
    </message>
    <message>
        <source>Existing supplier</source>
        <translation>已有供货单位</translation>
    </message>
    <message>
        <source>Search by name or unified social credit code</source>
        <translation>按名称或统一社会信用代码搜索</translation>
    </message>
    <message>
        <source>No supplier chosen yet: search for it below.</source>
        <translation>尚未选择供货单位：请在下方搜索。</translation>
    </message>
    <message>
        <source>Chosen: %1</source>
        <translation>已选：%1</translation>
    </message>
    <message>
        <source>Change the category…</source>
        <translation>更改类别…</translation>
    </message>
    <message>
        <source>Recent vehicles:</source>
        <translation>最近车辆：</translation>
    </message>
    <message>
        <source>Change the province</source>
        <translation>更改省份</translation>
    </message>
    <message>
        <source>Tap the province, then type or scan the rest</source>
        <translation>先点省份，再输入或扫描其余部分</translation>
    </message>
    <message>
        <source>Do not unload: the load is refused.</source>
        <translation>不得卸货：该车货物拒收。</translation>
    </message>
    <message>
        <source>Direct the truck to the quarantine bay.</source>
        <translation>请将车辆引导至隔离区。</translation>
    </message>
    <message>
        <source>Call the supervisor now.</source>
        <translation>请立即通知主管。</translation>
    </message>
    <message>
        <source>The grade will be lowered one step.</source>
        <translation>品级将降低一级。</translation>
    </message>
    <message>
        <source>The load is unloaded to its category's bay; the lab confirms the class and grade.</source>
        <translation>货物卸至相应类别的料区；由化验室确认类别和品级。</translation>
    </message>
    <message>
        <source>The load stays in the quarantine bay until the supervisor decides.</source>
        <translation>货物留在隔离区，等待主管决定。</translation>
    </message>
    <message>
        <source>The load leaves the yard unloaded; the supervisor is informed.</source>
        <translation>车辆不卸货离场；已通知主管。</translation>
    </message>
    <message>
        <source>Readings are missing: the supervisor decides before unloading.</source>
        <translation>缺少检测读数：卸货前由主管决定。</translation>
    </message>
</context>
<context>
    <name>IntakeWizardWidget</name>
    <message>
        <source>Add a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>进场验收</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <source>Restored what was typed before (saved draft).</source>
        <translation>已恢复此前输入的内容（草稿）。</translation>
    </message>
    <message>
        <source>Scan or type, then Enter</source>
        <translation>扫描或输入后按回车</translation>
    </message>
    <message>
        <source>Category: %1</source>
        <translation>类别：%1</translation>
    </message>
    <message>
        <source>Back one question (Backspace)</source>
        <translation>返回上一题（退格键）</translation>
    </message>
    <message>
        <source>This category needs these readings too:</source>
        <translation>该类别还需要以下读数：</translation>
    </message>
    <message>
        <source>The summary could not be read.</source>
        <translation>无法读取汇总信息。</translation>
    </message>
    <message>
        <source>Ticket %1, vehicle %2, supplier %3</source>
        <translation>磅单 %1，车辆 %2，供货单位 %3</translation>
    </message>
    <message>
        <source>Provisional outcome: %1</source>
        <translation>暂定结论：%1</translation>
    </message>
    <message>
        <source>Rule set %1 (%2)</source>
        <translation>规则集 %1（%2）</translation>
    </message>
    <message>
        <source>Declared as %1; identified at the gate as %2.</source>
        <translation>申报为 %1；门岗识别为 %2。</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>毛重</translation>
    </message>
    <message>
        <source>Tare</source>
        <translation>皮重</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>A weight was entered by hand (marked on the ticket).</source>
        <translation>有重量为手工录入（已在磅单上标注）。</translation>
    </message>
    <message>
        <source>Dry mass: %1</source>
        <translation>干基质量：%1</translation>
    </message>
    <message>
        <source>Dry mass: after the lab reports the moisture</source>
        <translation>干基质量：待化验室报告水分后计算</translation>
    </message>
    <message>
        <source>Seals: yard %1, supplier %2, arbitration %3</source>
        <translation>封签：本场 %1，供货方 %2，仲裁 %3</translation>
    </message>
    <message>
        <source>Findings:</source>
        <translation>检查结果：</translation>
    </message>
    <message>
        <source>measured %1</source>
        <translation>实测 %1</translation>
    </message>
    <message>
        <source>limit %1</source>
        <translation>限值 %1</translation>
    </message>
    <message>
        <source>clause %1</source>
        <translation>条款 %1</translation>
    </message>
    <message>
        <source>%1: not measured yet</source>
        <translation>%1：尚未测量</translation>
    </message>
    <message>
        <source>Returning vehicle: filled in from its last load %1. Check each field and change what differs.</source>
        <translation>回场车辆：已按其上一车次 %1 填写。请逐项核对，不同之处请修改。</translation>
    </message>
    <message>
        <source>Which step do you correct? The earlier record is kept; the correction needs a reason.</source>
        <translation>要更正哪一步？原记录保留；更正须写明原因。</translation>
    </message>
    <message>
        <source>Back to the load</source>
        <translation>返回该车次</translation>
    </message>
    <message>
        <source>Correct an earlier step</source>
        <translation>更正前面的步骤</translation>
    </message>
    <message>
        <source>Correction of %1 saved; the earlier record is kept.</source>
        <translation>“%1”的更正已保存；原记录保留。</translation>
    </message>
    <message>
        <source>Save the correction (Ctrl+Enter)</source>
        <translation>保存更正（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Correcting: %1</source>
        <translation>更正：%1</translation>
    </message>
    <message>
        <source>Correct an earlier step…</source>
        <translation>更正前面的步骤…</translation>
    </message>
    <message>
        <source>Why (at least 5 characters):</source>
        <translation>更正原因（至少 5 个字）：</translation>
    </message>
    <message>
        <source>e.g. plate typed wrong at the gate</source>
        <translation>例如：门岗录错车牌</translation>
    </message>
    <message>
        <source>Leave without saving</source>
        <translation>不保存，返回</translation>
    </message>
    <message>
        <source>Load %1: the intake steps are done.</source>
        <translation>车次 %1：进场验收步骤已完成。</translation>
    </message>
    <message>
        <source>Next truck (Ctrl+N)</source>
        <translation>下一辆车（Ctrl+N）</translation>
    </message>
    <message>
        <source>Print weigh ticket</source>
        <translation>打印磅单</translation>
    </message>
    <message>
        <source>Stable: ready to capture</source>
        <translation>已稳定：可以采集</translation>
    </message>
    <message>
        <source>Cannot capture: %1</source>
        <translation>无法采集：%1</translation>
    </message>
    <message>
        <source>Captured %1 %2 from the indicator.</source>
        <translation>已从称重仪表采集 %1 %2。</translation>
    </message>
    <message>
        <source>Known vehicle: its stored tare of %1 expired on %2; weigh it empty on the way out.</source>
        <translation>已登记车辆：其存储皮重 %1 已于 %2 过期，出场时请空车过磅。</translation>
    </message>
    <message>
        <source>Known vehicle: stored tare %1, valid until %2.</source>
        <translation>已登记车辆：存储皮重 %1，有效期至 %2。</translation>
    </message>
    <message>
        <source>Taking photos from the cameras…</source>
        <translation>正在从摄像头拍照…</translation>
    </message>
    <message>
        <source>Photo taken from the camera.</source>
        <translation>已从摄像头拍照。</translation>
    </message>
    <message>
        <source>Press Capture weight (F6) to take the weight from the indicator.</source>
        <translation>请按“采集重量”（F6）从仪表采集重量。</translation>
    </message>
    <message>
        <source>%1: %2 (%3). %4</source>
        <translation>%1：%2（%3）。%4</translation>
    </message>
    <message>
        <source>Correct the marked fields first.</source>
        <translation>请先更正标记的字段。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>New truck</source>
        <translation>新车辆</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>Submit (Ctrl+Enter)</source>
        <translation>提交（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Next (Ctrl+Enter)</source>
        <translation>下一步（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Capture weight (F6)</source>
        <translation>采集重量（F6）</translation>
    </message>
</context>
<context>
    <name>LabResultsWidget</name>
    <message>
        <source>Lab results</source>
        <translation>化验结果</translation>
    </message>
    <message>
        <source>%1: %2 (%3). %4</source>
        <translation>%1：%2（%3）。%4</translation>
    </message>
    <message>
        <source>Report %1 stored; classification no. %2 of this load.</source>
        <translation>报告 %1 已保存；为该车次第 %2 次分类。</translation>
    </message>
    <message>
        <source>Outcome: %1, grade: %2, %3</source>
        <translation>结论：%1，品级：%2，%3</translation>
    </message>
    <message>
        <source>Load state: %1</source>
        <translation>车次状态：%1</translation>
    </message>
    <message>
        <source>%1: not measured yet</source>
        <translation>%1：尚未测量</translation>
    </message>
    <message>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>provisional</source>
        <translation>暂定</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Scan or type the ticket, then Enter</source>
        <translation>扫描或输入磅单号后按回车</translation>
    </message>
    <message>
        <source>Store the report (Ctrl+Enter)</source>
        <translation>保存报告（Ctrl+Enter）</translation>
    </message>
</context>
<context>
    <name>LaptopDeskWidget</name>
    <message>
        <source>Approval desk</source>
        <translation>审批台</translation>
    </message>
    <message numerus="yes">
        <source>Laptop of %1 (%2) for %3. Approval packets stay valid for %n day(s) after export.</source>
        <translation>
            <numerusform>%1（%2）的笔记本，属于 %3。审批包导出后 %n 天内有效。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a packet…</source>
        <translation>打开审批包…</translation>
    </message>
    <message>
        <source>Your decision</source>
        <translation>您的决定</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>What your signature means</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Reason for the rejection</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>Required to reject: why the lot is not accepted</source>
        <translation>驳回时必填：为何不接受该批次</translation>
    </message>
    <message>
        <source>Save elsewhere…</source>
        <translation>另存到…</translation>
    </message>
    <message>
        <source>Sign and write the decision</source>
        <translation>签名并写出审批决定文件</translation>
    </message>
    <message>
        <source>Packets decided on this laptop</source>
        <translation>本笔记本已审批的审批包</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Signed at</source>
        <translation>签名时间</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Open an approval packet</source>
        <translation>打开审批包</translation>
    </message>
    <message>
        <source>Checking the packet…</source>
        <translation>正在核验审批包…</translation>
    </message>
    <message>
        <source>This packet is refused: %1</source>
        <translation>此审批包被拒绝：%1</translation>
    </message>
    <message>
        <source>Open an approval packet (or drop its file here) to see the lot.</source>
        <translation>打开审批包（或将文件拖放到此处）以查看批次。</translation>
    </message>
    <message>
        <source>No packet is open.</source>
        <translation>尚未打开审批包。</translation>
    </message>
    <message>
        <source>Approval packet of lot %1, exported by %2 at %3; its signature was checked against the yard's certificate authority.</source>
        <translation>批次 %1 的审批包，由 %2 于 %3 导出；其签名已按本堆场 CA 核验。</translation>
    </message>
    <message>
        <source>The decision file will be written to %1</source>
        <translation>审批决定文件将写入 %1</translation>
    </message>
    <message>
        <source>The packet does not carry the photo %1….</source>
        <translation>审批包中没有照片 %1…。</translation>
    </message>
    <message>
        <source>Photo %1…</source>
        <translation>照片 %1…</translation>
    </message>
    <message>
        <source>Save the decision file</source>
        <translation>保存决定文件</translation>
    </message>
    <message>
        <source>%1 Reason: %2</source>
        <translation>%1 原因：%2</translation>
    </message>
    <message>
        <source>Open a packet and choose approve or reject first.</source>
        <translation>请先打开审批包并选择批准或驳回。</translation>
    </message>
    <message>
        <source>A rejection needs a reason.</source>
        <translation>驳回须写明原因。</translation>
    </message>
    <message>
        <source>Type your key passphrase to sign.</source>
        <translation>请输入密钥口令以签名。</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签署…</translation>
    </message>
    <message>
        <source>Lot %1 approved.</source>
        <translation>批次 %1 已批准。</translation>
    </message>
    <message>
        <source>Lot %1 rejected.</source>
        <translation>批次 %1 已驳回。</translation>
    </message>
    <message>
        <source>Signed by %1 at %2. The decision file is %3; take it back to the yard PC and import it there.</source>
        <translation>由 %1 于 %2 签名。审批决定文件为 %3；请带回堆场电脑导入。</translation>
    </message>
</context>
<context>
    <name>LaptopSetupDialog</name>
    <message>
        <source>Yard Inspector — first start</source>
        <translation>Yard Inspector — 首次启动</translation>
    </message>
    <message>
        <source>The folder %1 holds no yard yet. To approve lots offline on this laptop, set it up from the supervisor bundle you exported on the yard PC. (A yard is set up with 'yard-inspector init'.)</source>
        <translation>文件夹 %1 中尚无堆场数据。如需在本笔记本上离线审批批次，请用您在堆场电脑上导出的主管密钥包进行设置。（堆场用“yard-inspector init”建立。）</translation>
    </message>
    <message>
        <source>Choose the bundle…</source>
        <translation>选择密钥包…</translation>
    </message>
    <message>
        <source>No bundle chosen.</source>
        <translation>尚未选择密钥包。</translation>
    </message>
    <message>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>Set up this laptop from a supervisor bundle</source>
        <translation>用主管密钥包设置本笔记本</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose your supervisor bundle</source>
        <translation>选择您的主管密钥包</translation>
    </message>
    <message>
        <source>Setting up…</source>
        <translation>正在设置…</translation>
    </message>
</context>
<context>
    <name>LaptopWindow</name>
    <message>
        <source>Yard Inspector — supervisor's laptop</source>
        <translation>Yard Inspector — 主管笔记本</translation>
    </message>
</context>
<context>
    <name>LiveWeightWidget</name>
    <message>
        <source>⌛ NO WEIGHT: the indicator is silent</source>
        <translation>⌛ 无重量：称重仪表无响应</translation>
    </message>
    <message>
        <source>⚠ INDICATOR ERROR: %1</source>
        <translation>⚠ 仪表错误：%1</translation>
    </message>
    <message>
        <source>▲ OVER RANGE</source>
        <translation>▲ 超量程</translation>
    </message>
    <message>
        <source>▼ UNDER ZERO RANGE</source>
        <translation>▼ 低于零点范围</translation>
    </message>
    <message>
        <source>… SETTLING</source>
        <translation>… 稳定中</translation>
    </message>
    <message>
        <source>≈ MOTION</source>
        <translation>≈ 动态</translation>
    </message>
    <message>
        <source>✔ STABLE</source>
        <translation>✔ 稳定</translation>
    </message>
    <message>
        <source>  →0← ZERO</source>
        <translation>  →0← 零点</translation>
    </message>
    <message>
        <source> (judged by software)</source>
        <translation>（由软件判定）</translation>
    </message>
    <message>
        <source>GROSS</source>
        <translation>毛重</translation>
    </message>
    <message>
        <source>NET</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>TARE</source>
        <translation>皮重</translation>
    </message>
    <message>
        <source>⏱ STEADYING: %1 s to go</source>
        <translation>⏱ 稳定中：还需 %1 秒</translation>
    </message>
    <message>
        <source>Ready to capture.</source>
        <translation>可以采集。</translation>
    </message>
    <message>
        <source>Cannot capture: %1.</source>
        <translation>无法采集：%1。</translation>
    </message>
    <message>
        <source>Link: %1</source>
        <translation>连接：%1</translation>
    </message>
    <message>
        <source>Link: waiting for the indicator</source>
        <translation>连接：等待称重仪表</translation>
    </message>
    <message>
        <source>Link: good (%1 frames)</source>
        <translation>连接：正常（%1 帧）</translation>
    </message>
    <message>
        <source>Link: %1 bad frame(s) in the last minute</source>
        <translation>连接：最近一分钟 %1 个错误帧</translation>
    </message>
    <message>
        <source>Live weight</source>
        <translation>实时重量</translation>
    </message>
</context>
<context>
    <name>LoadDetailsDialog</name>
    <message>
        <source>Load %1</source>
        <translation>车次 %1</translation>
    </message>
</context>
<context>
    <name>LoadDetailsWidget</name>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Cancel load…</source>
        <translation>作废车次…</translation>
    </message>
    <message>
        <source>Weigh ticket…</source>
        <translation>磅单…</translation>
    </message>
    <message>
        <source>Only inspectors and supervisors correct or cancel loads.</source>
        <translation>只有检验员和主管可以更正或作废车次。</translation>
    </message>
    <message>
        <source>Correction saved.</source>
        <translation>更正已保存。</translation>
    </message>
    <message>
        <source>Load cancelled; its ticket number stays on the record.</source>
        <translation>车次已作废；磅单号保留在记录中。</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Ticket number</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Ticket year</source>
        <translation>磅单年度</translation>
    </message>
    <message>
        <source>Number in the year</source>
        <translation>年度序号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Registered by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <source>Truck and supplier</source>
        <translation>车辆与供货单位</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Vehicle kind</source>
        <translation>车辆类型</translation>
    </message>
    <message>
        <source>not registered</source>
        <translation>未登记</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>司机</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>Generating enterprise</source>
        <translation>产生单位</translation>
    </message>
    <message>
        <source>Times (local time at the yard)</source>
        <translation>时间（场地当地时间）</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Arrival offset from UTC</source>
        <translation>到场时区（相对 UTC）</translation>
    </message>
    <message>
        <source>Departed</source>
        <translation>离场</translation>
    </message>
    <message>
        <source>Departure offset from UTC</source>
        <translation>离场时区（相对 UTC）</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>重量</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>毛重</translation>
    </message>
    <message>
        <source>Tare</source>
        <translation>皮重</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Weight entered by hand</source>
        <translation>手工录入重量</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Declared category</source>
        <translation>申报类别</translation>
    </message>
    <message>
        <source>Assigned category</source>
        <translation>判定类别</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>品级</translation>
    </message>
    <message>
        <source>Classification status</source>
        <translation>分类状态</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>In lot</source>
        <translation>所在批次</translation>
    </message>
    <message>
        <source>Cancellation</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因类别</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Cancelled by</source>
        <translation>作废人</translation>
    </message>
    <message>
        <source>Confirmed by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>作废时间</translation>
    </message>
    <message>
        <source>State before</source>
        <translation>作废前状态</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Record number</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Last audit event</source>
        <translation>最近审计事件</translation>
    </message>
    <message>
        <source>Content hash</source>
        <translation>内容哈希</translation>
    </message>
    <message>
        <source>Attributes (intake, gate, lab)</source>
        <translation>属性（进场、门岗、化验）</translation>
    </message>
    <message>
        <source>No attributes recorded yet.</source>
        <translation>尚未记录任何属性。</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Corrections</source>
        <translation>更正记录</translation>
    </message>
    <message>
        <source>%1, confirmed by %2</source>
        <translation>%1，由 %2 确认</translation>
    </message>
    <message>
        <source>%1 — %2: %3. Reason: %4</source>
        <translation>%1 — %2：%3。原因：%4</translation>
    </message>
</context>
<context>
    <name>LoadRegisterModel</name>
    <message>
        <source>This column cannot be sorted</source>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Declared category</source>
        <translation>申报类别</translation>
    </message>
    <message>
        <source>Assigned category</source>
        <translation>判定类别</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Net weight</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>Outcome / grade</source>
        <translation>结论 / 品级</translation>
    </message>
    <message>
        <source>Weight entered by hand, not read from the scale indicator</source>
        <translation>重量为手工录入，未从称重仪表读取</translation>
    </message>
</context>
<context>
    <name>LoadRegisterWidget</name>
    <message>
        <source>Load register</source>
        <translation>进场登记簿</translation>
    </message>
    <message>
        <source>Search ticket, plate, supplier or category</source>
        <translation>搜索磅单号、车牌、供货单位或类别</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Read the register again from the database (F5)</source>
        <translation>从数据库重新读取登记簿（F5）</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>The register could not be read: %1 Press F5 to try again.</source>
        <translation>无法读取登记簿：%1 按 F5 重试。</translation>
    </message>
    <message>
        <source>Reading the register…</source>
        <translation>正在读取登记簿…</translation>
    </message>
    <message numerus="yes">
        <source>%n load(s) shown; scroll down for more</source>
        <translation>
            <numerusform>已显示 %n 车次；向下滚动查看更多</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n load(s)</source>
        <translation>
            <numerusform>%n 车次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LockScreenWidget</name>
    <message>
        <source>Locked: %1. Type your password to continue.</source>
        <translation>已锁定：%1。请输入密码继续。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign in as someone else</source>
        <translation>以其他用户登录</translation>
    </message>
    <message>
        <source>The account is locked after repeated failed attempts.</source>
        <translation>多次尝试失败，账户已被锁定。</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to Yard Inspector</source>
        <translation>登录 Yard Inspector</translation>
    </message>
    <message>
        <source>User id</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>An administrator set your password. Choose your own password now; nobody else will know it.</source>
        <translation>您的密码由管理员设置。请现在设置您自己的密码，其他人将无从知晓。</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change password and continue</source>
        <translation>修改密码并继续</translation>
    </message>
    <message>
        <source>Type your user id and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>LotListModel</name>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Loads</source>
        <translation>车次数</translation>
    </message>
    <message>
        <source>Net mass</source>
        <translation>净重</translation>
    </message>
    <message>
        <source>Dry mass</source>
        <translation>干基质量</translation>
    </message>
    <message>
        <source>Contained REO</source>
        <translation>含稀土氧化物量</translation>
    </message>
    <message>
        <source>TREO %</source>
        <translation>TREO %</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>品级</translation>
    </message>
    <message>
        <source>below grade</source>
        <translation>等外</translation>
    </message>
</context>
<context>
    <name>LotMembersModel</name>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>In this lot</source>
        <translation>本批次中</translation>
    </message>
    <message>
        <source>Load net</source>
        <translation>车次净重</translation>
    </message>
    <message>
        <source>Outcome / grade</source>
        <translation>结论 / 品级</translation>
    </message>
</context>
<context>
    <name>LotVersionTree</name>
    <message>
        <source>Lot %1: %2 from %3</source>
        <translation>批次 %1：%2，来自 %3</translation>
    </message>
    <message>
        <source>Rule set: %1</source>
        <translation>规则集：%1</translation>
    </message>
    <message>
        <source>Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5</source>
        <translation>净重 %1，干基质量 %2，含稀土氧化物 %3，TREO %4 %，品级 %5</translation>
    </message>
    <message>
        <source>Version signed: %1</source>
        <translation>签署的版本：%1</translation>
    </message>
    <message>
        <source>%1 by %2 at %3: %4</source>
        <translation>%1：%2 于 %3 签署：%4</translation>
    </message>
    <message>
        <source>(void: %1)</source>
        <translation>（已作废：%1）</translation>
    </message>
    <message>
        <source>Load %1: %2 of %3 net, %4</source>
        <translation>车次 %1：净重 %3 中的 %2，%4</translation>
    </message>
    <message numerus="yes">
        <source>Failed checks: %n</source>
        <translation>
            <numerusform>未通过的检查：%n 项</numerusform>
        </translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <source>(measured %1, limit %2)</source>
        <translation>（测得 %1，限值 %2）</translation>
    </message>
    <message numerus="yes">
        <source>Readings: %n</source>
        <translation>
            <numerusform>读数：%n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Held load released by %1: %2</source>
        <translation>暂扣车次由 %1 放行：%2</translation>
    </message>
    <message numerus="yes">
        <source>Photos: %n</source>
        <translation>
            <numerusform>照片：%n 张</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Photos: %n (%1 carried in the packet)</source>
        <translation>
            <numerusform>照片：%n 张（审批包内附 %1 张）</numerusform>
        </translation>
    </message>
    <message>
        <source>Photo %1… (double-click to view)</source>
        <translation>照片 %1…（双击查看）</translation>
    </message>
</context>
<context>
    <name>LotsWidget</name>
    <message>
        <source>Key passphrase</source>
        <translation>密钥口令</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <source>Merge selected lots</source>
        <translation>合并所选批次</translation>
    </message>
    <message>
        <source>Remove selected loads</source>
        <translation>移除所选车次</translation>
    </message>
    <message>
        <source>Split selected loads into a new lot</source>
        <translation>将所选车次拆分为新批次</translation>
    </message>
    <message>
        <source>Export for approval…</source>
        <translation>导出审批包…</translation>
    </message>
    <message>
        <source>Import decisions…</source>
        <translation>导入审批决定…</translation>
    </message>
    <message>
        <source>Amount to move (one load; empty: its whole share)</source>
        <translation>移出数量（单个车次；留空：其全部份额）</translation>
    </message>
    <message>
        <source>e.g. 5000</source>
        <translation>例如 5000</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>变更原因</translation>
    </message>
    <message>
        <source>Needed to change a lot that has a supervisor's decision (it voids the decision)</source>
        <translation>变更已有主管决定的批次时必填（该决定随之作废）</translation>
    </message>
    <message>
        <source>Loads that may join a lot (finally classified, accepted or released)</source>
        <translation>可组批的车次（已最终分类，已接收或已放行）</translation>
    </message>
    <message>
        <source>Create a lot from the ticked loads</source>
        <translation>用勾选的车次新建批次</translation>
    </message>
    <message>
        <source>Add the ticked loads to the selected lot</source>
        <translation>将勾选的车次加入所选批次</translation>
    </message>
    <message numerus="yes">
        <source>%1 from %2: %n load(s)</source>
        <translation>
            <numerusform>%1，来自 %2：%n 个车次</numerusform>
        </translation>
    </message>
    <message>
        <source>No load is waiting for a lot</source>
        <translation>没有等待组批的车次</translation>
    </message>
    <message>
        <source>Select a lot to see its loads.</source>
        <translation>选择一个批次以查看其车次。</translation>
    </message>
    <message>
        <source>Lot %1: %2</source>
        <translation>批次 %1：%2</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>Net %1, dry mass %2, contained REO %3, TREO %4 %, grade %5</source>
        <translation>净重 %1，干基质量 %2，含稀土氧化物 %3，TREO %4 %，品级 %5</translation>
    </message>
    <message>
        <source>Tick the loads the new lot is made of.</source>
        <translation>请勾选组成新批次的车次。</translation>
    </message>
    <message numerus="yes">
        <source>Lot %1 created with %n load(s).</source>
        <translation>
            <numerusform>已新建批次 %1，含 %n 个车次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select one lot and tick the loads to add to it.</source>
        <translation>请选择一个批次，并勾选要加入的车次。</translation>
    </message>
    <message numerus="yes">
        <source>%n load(s) added to lot %1.</source>
        <translation>
            <numerusform>已将 %n 个车次加入批次 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the loads to remove from the lot.</source>
        <translation>请选择要从批次中移除的车次。</translation>
    </message>
    <message numerus="yes">
        <source>%n load(s) removed from lot %1.</source>
        <translation>
            <numerusform>已从批次 %1 移除 %n 个车次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Select the loads that go to the new lot.</source>
        <translation>请选择要移入新批次的车次。</translation>
    </message>
    <message>
        <source>An amount moves part of one load: select exactly one load, or empty the amount to move whole loads.</source>
        <translation>数量用于移出单个车次的一部分：请只选择一个车次，或清空数量以移出整个车次。</translation>
    </message>
    <message>
        <source>The amount must be a whole number of kilograms above zero, without decimals.</source>
        <translation>数量必须是大于零的整数千克，不带小数。</translation>
    </message>
    <message>
        <source>Lot %1 split: the selected loads are now in lot %2.</source>
        <translation>批次 %1 已拆分：所选车次现在属于批次 %2。</translation>
    </message>
    <message>
        <source>Select two or more lots to merge (the oldest keeps its number).</source>
        <translation>请选择两个或更多批次进行合并（最早的批次保留其编号）。</translation>
    </message>
    <message>
        <source>Lots %1 merged into lot %2.</source>
        <translation>批次 %1 已并入批次 %2。</translation>
    </message>
    <message>
        <source>Select the lot to submit.</source>
        <translation>请选择要提交的批次。</translation>
    </message>
    <message>
        <source>Lot %1 is submitted and waits for a supervisor's decision.</source>
        <translation>批次 %1 已提交，等待主管决定。</translation>
    </message>
    <message>
        <source>Select a submitted lot to export for approval.</source>
        <translation>请选择一个已提交的批次导出审批包。</translation>
    </message>
    <message>
        <source>The packet is signed with your key. Type your key passphrase.</source>
        <translation>审批包将用您的密钥签名。请输入密钥口令。</translation>
    </message>
    <message>
        <source>The key passphrase is required to sign the packet.</source>
        <translation>签署审批包需要密钥口令。</translation>
    </message>
    <message>
        <source>Save the approval packet</source>
        <translation>保存审批包</translation>
    </message>
    <message>
        <source>The approval packet of lot %1 was written to %2. Take it to the supervisor; bring back the decision file and import it here.</source>
        <translation>批次 %1 的审批包已写入 %2。请交给主管；带回决定文件后在此导入。</translation>
    </message>
    <message numerus="yes">
        <source>%n decision file(s) refused: see the import for why.</source>
        <translation>
            <numerusform>%n 个审批决定文件被拒绝：原因见导入窗口。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of lot %2 by %3 checked and recorded.</source>
        <translation>%3 对批次 %2 的%1已核验并记录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>This language could not be loaded; see the log file.</source>
        <translation>无法加载该语言，请查看日志文件。</translation>
    </message>
    <message>
        <source>Yard Inspector</source>
        <translation>Yard Inspector 稀土二次资源验收</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>高对比度(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Yard Inspector</source>
        <translation>关于 Yard Inspector(&amp;A)</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>用户：%1</translation>
    </message>
    <message>
        <source>Data: %1</source>
        <translation>数据：%1</translation>
    </message>
    <message>
        <source>Schema: %1</source>
        <translation>数据库版本：%1</translation>
    </message>
    <message>
        <source>The records failed the integrity check; signing is blocked until a supervisor has reviewed it.</source>
        <translation>记录未通过完整性校验；在主管复核之前禁止签名。</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more problem(s): run 'yard-inspector check'.</source>
        <translation>
            <numerusform>…… 另有 %n 个问题：请运行 'yard-inspector check'。</numerusform>
        </translation>
    </message>
    <message>
        <source>Rule set: not usable</source>
        <translation>规则集：不可用</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Rule set: %1</source>
        <translation>规则集：%1</translation>
    </message>
    <message>
        <source>Rule set: …</source>
        <translation>规则集：…</translation>
    </message>
    <message>
        <source>About Yard Inspector</source>
        <translation>关于 Yard Inspector</translation>
    </message>
    <message>
        <source>Yard Inspector %1

Intake, classification, approval and certification of rare-earth secondary resources at the scrap yard gate.</source>
        <translation>Yard Inspector %1

废料场门岗稀土二次资源的进场验收、分类、审批与证书签发。</translation>
    </message>
</context>
<context>
    <name>PhotoDialog</name>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
</context>
<context>
    <name>ScaleSettingsWidget</name>
    <message>
        <source>None (N)</source>
        <translation>无校验（N）</translation>
    </message>
    <message>
        <source>Even (E)</source>
        <translation>偶校验（E）</translation>
    </message>
    <message>
        <source>Odd (O)</source>
        <translation>奇校验（O）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Scale identifier</source>
        <translation>地磅编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Indicator protocol</source>
        <translation>仪表协议</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Data bits</source>
        <translation>数据位</translation>
    </message>
    <message>
        <source>Parity</source>
        <translation>校验位</translation>
    </message>
    <message>
        <source>Stop bits</source>
        <translation>停止位</translation>
    </message>
    <message>
        <source>Division e</source>
        <translation>分度值 e</translation>
    </message>
    <message>
        <source>Capacity (Max)</source>
        <translation>最大称量（Max）</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Tare tolerance</source>
        <translation>皮重允许偏差</translation>
    </message>
    <message>
        <source>Stability delay</source>
        <translation>稳定延时</translation>
    </message>
    <message>
        <source>A weighed tare further than this from the vehicle's stored tare, or from the last tare weighed for its plate, must be explained at the tare step.</source>
        <translation>回皮重量与该车辆的预置皮重（或该车牌上次回皮重量）相差超过此值时，须在回皮步骤说明原因。</translation>
    </message>
    <message>
        <source>How long the indicator's stable reading must stay at the same weight before it is captured.</source>
        <translation>仪表稳定读数须保持同一重量多长时间才可采集。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Not possible: %1</source>
        <translation>无法进行：%1</translation>
    </message>
    <message>
        <source>Listening to %1 for %2 s…</source>
        <translation>正在监听 %1，持续 %2 秒…</translation>
    </message>
    <message>
        <source>Nothing arrived in %1 s: check the cable, the port and the baud rate.</source>
        <translation>%1 秒内未收到数据：请检查线缆、端口和波特率。</translation>
    </message>
    <message>
        <source>%1 bytes arrived but no valid frame (%2): check the protocol, baud rate, data bits and parity.</source>
        <translation>收到 %1 字节但没有有效数据帧（%2）：请检查协议、波特率、数据位和校验位。</translation>
    </message>
    <message>
        <source>Connected: %1 valid frames, last reading %2 %3.</source>
        <translation>已连接：%1 个有效帧，最新读数 %2 %3。</translation>
    </message>
    <message>
        <source>%1 frame(s) rejected.</source>
        <translation>%1 个数据帧被拒收。</translation>
    </message>
    <message>
        <source>Settings ready to save.</source>
        <translation>设置可以保存。</translation>
    </message>
</context>
<context>
    <name>Screens</name>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Weighbridge settings</source>
        <translation>地磅设置</translation>
    </message>
    <message>
        <source>Signing holds</source>
        <translation>签名冻结</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>My password</source>
        <translation>我的密码</translation>
    </message>
    <message>
        <source>A weight entered by hand needs a supervisor's confirmation in person.</source>
        <translation>手工录入的重量须由主管当面确认。</translation>
    </message>
    <message>
        <source>Weighbridge settings saved.</source>
        <translation>地磅设置已保存。</translation>
    </message>
</context>
<context>
    <name>SecondPersonDialog</name>
    <message>
        <source>Confirmation by a supervisor</source>
        <translation>主管确认</translation>
    </message>
    <message>
        <source>Supervisor's user id</source>
        <translation>主管用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>%1 is not a supervisor.</source>
        <translation>%1 不是主管。</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <source>Sign the approval</source>
        <translation>签署批准</translation>
    </message>
    <message>
        <source>Sign the rejection</source>
        <translation>签署驳回</translation>
    </message>
    <message>
        <source>You approve lot %1. Your signature names you, the time and this exact version of the lot.</source>
        <translation>您将批准批次 %1。您的签名记录您的姓名、时间以及该批次的这一确切版本。</translation>
    </message>
    <message>
        <source>You reject lot %1. Your signature names you, the time and this exact version of the lot.</source>
        <translation>您将驳回批次 %1。您的签名记录您的姓名、时间以及该批次的这一确切版本。</translation>
    </message>
    <message>
        <source>Meaning of your signature</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <source>Your key passphrase</source>
        <translation>您的密钥口令</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Say in a few words what your signature means.</source>
        <translation>请用几句话说明您的签名含义。</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>请输入您的密码。</translation>
    </message>
    <message>
        <source>Type the passphrase of your signing key.</source>
        <translation>请输入签名密钥的口令。</translation>
    </message>
    <message>
        <source>Approved lot</source>
        <translation>已批准的批次</translation>
    </message>
    <message>
        <source>Password of the approving supervisor</source>
        <translation>批准主管的密码</translation>
    </message>
    <message>
        <source>Passphrase of their signing key</source>
        <translation>其签名密钥的口令</translation>
    </message>
</context>
<context>
    <name>SigningHoldsWidget</name>
    <message>
        <source>Signing is blocked until a supervisor reviews these:</source>
        <translation>在主管审阅以下事项之前，签发被暂停：</translation>
    </message>
    <message>
        <source>Acknowledge after review…</source>
        <translation>审阅后确认…</translation>
    </message>
    <message>
        <source>Nothing blocks signing.</source>
        <translation>没有阻止签发的事项。</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>What did you check, and why may signing resume?</source>
        <translation>您检查了什么？为什么可以恢复签发？</translation>
    </message>
    <message>
        <source>Acknowledged.</source>
        <translation>已确认。</translation>
    </message>
</context>
<context>
    <name>TicketDialog</name>
    <message>
        <source>Paper:</source>
        <translation>纸张：</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Weigh ticket</source>
        <translation>磅单</translation>
    </message>
    <message>
        <source>Weigh ticket %1</source>
        <translation>磅单 %1</translation>
    </message>
    <message>
        <source>The next print is the original.</source>
        <translation>下一次打印为正本。</translation>
    </message>
    <message>
        <source>The next print is marked COPY %1.</source>
        <translation>下一次打印将标为“副本 %1”。</translation>
    </message>
    <message>
        <source>Not signed: this station has no ticket-signing key; an administrator can create one.</source>
        <translation>未签章：本站尚无磅单签章密钥，请管理员创建。</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Printed the ticket (copy %1).</source>
        <translation>磅单已打印（第 %1 份）。</translation>
    </message>
    <message>
        <source>Save the weigh ticket as PDF</source>
        <translation>将磅单另存为 PDF</translation>
    </message>
    <message>
        <source>Saved the ticket (copy %1) to %2.</source>
        <translation>磅单（第 %1 份）已保存到 %2。</translation>
    </message>
</context>
<context>
    <name>TrucksOnSiteModel</name>
    <message>
        <source>Typed input is saved for this step and will be restored.</source>
        <translation>本步骤已输入的内容会被保存并在之后恢复。</translation>
    </message>
    <message>
        <source>Waiting since %1</source>
        <translation>自 %1 起等待</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 天 %2 小时</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>磅单号</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
</context>
<context>
    <name>TrucksOnSiteWidget</name>
    <message>
        <source>Trucks on site</source>
        <translation>在场车辆</translation>
    </message>
    <message numerus="yes">
        <source>%n truck(s) on site</source>
        <translation>
            <numerusform>在场车辆 %n 辆</numerusform>
        </translation>
    </message>
    <message>
        <source>No truck on site with ticket or plate %1.</source>
        <translation>场内没有磅单号或车牌为 %1 的车辆。</translation>
    </message>
    <message>
        <source>Scan or type a ticket or plate, then Enter</source>
        <translation>扫描或输入磅单号或车牌后按回车</translation>
    </message>
    <message>
        <source>New arrival (Ctrl+N)</source>
        <translation>新到车辆（Ctrl+N）</translation>
    </message>
    <message>
        <source>Refresh (F5)</source>
        <translation>刷新（F5）</translation>
    </message>
    <message>
        <source>Resume (Enter)</source>
        <translation>继续（回车）</translation>
    </message>
</context>
<context>
    <name>UserAdminWidget</name>
    <message>
        <source>User id</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Selected user</source>
        <translation>所选用户</translation>
    </message>
    <message>
        <source>Apply roles…</source>
        <translation>应用角色…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>解锁…</translation>
    </message>
    <message>
        <source>Disable…</source>
        <translation>停用…</translation>
    </message>
    <message>
        <source>Failed sign-in attempts not yet reviewed</source>
        <translation>尚未审阅的登录失败记录</translation>
    </message>
    <message>
        <source>Mark all as reviewed</source>
        <translation>全部标记为已审阅</translation>
    </message>
    <message>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>unknown user id</source>
        <translation>未知用户名</translation>
    </message>
    <message>
        <source>account locked</source>
        <translation>账户已锁定</translation>
    </message>
    <message>
        <source>account disabled</source>
        <translation>账户已停用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Enable…</source>
        <translation>启用…</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Why is this change made? (kept in the audit trail)</source>
        <translation>修改原因？（将记入审计记录）</translation>
    </message>
    <message>
        <source>User %1 added; the password must be changed at the first sign-in.</source>
        <translation>已添加用户 %1；首次登录时必须修改密码。</translation>
    </message>
    <message>
        <source>Roles of %1 changed.</source>
        <translation>已修改 %1 的角色。</translation>
    </message>
    <message>
        <source>Temporary password (the user must change it at the next sign-in)</source>
        <translation>临时密码（用户下次登录时必须修改）</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Password of %1 reset.</source>
        <translation>已重置 %1 的密码。</translation>
    </message>
    <message>
        <source>%1 unlocked.</source>
        <translation>%1 已解锁。</translation>
    </message>
    <message>
        <source>%1 enabled.</source>
        <translation>%1 已启用。</translation>
    </message>
    <message>
        <source>%1 disabled.</source>
        <translation>%1 已停用。</translation>
    </message>
    <message>
        <source>Failed attempts marked as reviewed.</source>
        <translation>登录失败记录已标记为已审阅。</translation>
    </message>
</context>
<context>
    <name>VerifyCertificateWidget</name>
    <message>
        <source>Verify a certificate</source>
        <translation>核验证书</translation>
    </message>
    <message>
        <source>Drop a certificate PDF here</source>
        <translation>将证书 PDF 拖放到此处</translation>
    </message>
    <message>
        <source>Choose a PDF…</source>
        <translation>选择 PDF…</translation>
    </message>
    <message>
        <source>…or paste the text read from its QR code (YIC1.…), or from a weigh ticket's (YIT1.…)</source>
        <translation>…或粘贴从证书二维码（YIC1.…）或磅单二维码（YIT1.…）读出的文本</translation>
    </message>
    <message>
        <source>Check QR text</source>
        <translation>核验二维码文本</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记簿</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在核验 %1…</translation>
    </message>
    <message>
        <source>Checking the QR text…</source>
        <translation>正在核验二维码文本…</translation>
    </message>
    <message>
        <source>VALID</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>CANCELLED: the seal holds, but the load was cancelled</source>
        <translation>已作废：签章完好，但该车次已作废</translation>
    </message>
    <message>
        <source>OUT OF DATE: the load's record says otherwise now</source>
        <translation>已过时：该车次的记录已与磅单不同</translation>
    </message>
    <message>
        <source>VOID: the file is intact, but the certificate was voided</source>
        <translation>已作废：文件完整，但证书已被作废</translation>
    </message>
    <message>
        <source>NOT CONFIRMED by this yard's register</source>
        <translation>本站登记簿未能确认</translation>
    </message>
    <message>
        <source>INVALID</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>Choose a certificate</source>
        <translation>选择证书</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
</TS>
