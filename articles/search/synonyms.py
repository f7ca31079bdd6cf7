"""The synonym groups the site ships with (installed as editable `Synonym` rows by migration
0005). Each group lists words a borrower uses for one thing; the word articles use comes
first, because a query with many groups gets only the first few swaps of each.

Chosen for precision, from the real-query log (docs/search.md, "Real queries"):

- 紧急联系人 is not in the family group: an emergency contact is often a friend or colleague,
  and 家人 → 紧急联系人 would pull every article that mentions contacts.
- 协商还款 / 协商分期 / 个性化分期 / 协商延期 are one group: kinds of one request, all answered
  by the same articles. 停息挂账 is not in it: it asks for interest to stop, is sold by
  "代理协商" middlemen, and is found as typed.
- 逾期 has no group: nearly every article and query has it, so a swap adds cost, not recall.
- 12378 sits with the regulator's names: readers type the old name (银保监) to find the
  complaints line, and articles give the new name with the number.
- Mainland and Taiwan words for one thing (短信 / 簡訊, 软件 / 軟體, 账户 / 帳戶): folding
  works per character, so 簡訊 becomes 简讯, never 短信; articles are written in both. The
  display vocabulary (kb/vocabulary.py) lists the same pairs; tests/test_variants.py checks
  each of its pairs is a group here (or inside one: 紧急联系人 through 联系人), except
  通过 / 透过, 运营 / 营运, 智能 / 智慧 and 互联网 / 网路, which are words of their own in
  mainland usage too. Groups added after migration 0005 are installed by 0007.
"""

DEFAULT_SYNONYMS = [
    "家人, 父母, 亲友, 亲属, 家里人, 亲人, 亲戚, 爸妈, 我妈, 我爸, 老婆, 老公",
    "催收, 催款, 催债, 追债, 讨债, 要债",
    "网贷, 网络借贷, 网络贷款",
    "违规催收, 暴力催收, 恶意催收, 骚扰催收, 野蛮催收, 违法催收",
    "起诉, 诉讼, 打官司",
    "律师函, 律师信",
    "投诉, 举报",
    "还款, 还钱",
    "国家金融监督管理总局, 金融监管总局, 12378, 银保监会, 银保监, 银监会",
    "通讯录, 爆通讯录, 打通讯录",
    "协商还款, 协商分期, 个性化分期, 协商延期",
    "还不上, 还不起, 无力还款, 没钱还",
    "上门, 外访, 来我家, 来家里",
    "中国互联网金融协会, 互联网金融协会, 互金协会",
    "诈骗, 骗子, 骗局",
    "真假, 是真是假, 真的假的, 是不是真的",
    "失信被执行人, 老赖, 失信人",
    "深夜, 半夜, 凌晨, 夜里",
    "客服热线, 客服电话, 客服号码",
    "会怎么样, 会怎样, 会发生什么, 有什么后果",
    # Mainland / Taiwan vocabulary
    "短信, 简讯",
    "信息, 资讯",
    "软件, 软体",
    "屏幕, 萤幕",
    "渠道, 管道",
    "网络, 网路",
    "运营商, 营运商",
    "账户, 帐户",
    "账单, 帐单",
    "账号, 帐号",
]

# Installed by migration 0007, with the display vocabulary (kb/vocabulary.py).
VOCABULARY_SYNONYMS = [
    "短信息, 简讯",
    "运营商, 电信业者",
    "信息, 讯息",
    "转账, 转帐",
    "身份证, 身分证",
    "身份, 身分",
    "视频, 影片",
    "视频通话, 视讯通话",
    "链接, 连结",
    "记录, 纪录",
    # Databases migrated before this group was added get it from a data migration still to come.
    "报道, 报导",
    "合同, 合约",
    "联系人, 联络人",
    "联系方式, 联络方式",
    "联系, 联络",
    "固定电话, 座机, 市话, 固话",
    "智能手机, 智慧型手机",
    "智能语音, 智慧语音",
    "人工智能, 人工智慧",
    "截屏, 截图",
    "登录, 登入",
    "打印, 列印",
    "服务器, 伺服器",
    "博客, 部落格",
    "搜索, 搜寻",
    "界面, 介面",
    "在线客服, 线上客服",
    "系统设置, 系统设定",
    "运营方, 营运方",
    "到账, 到帐",
    "记账, 记帐",
    "查账, 查帐",
    "算账, 算帐",
    "对账, 对帐",
    "欠账, 欠帐",
    "还账, 还帐",
    "赖账, 赖帐",
    "入账, 入帐",
    "账目, 帐目",
    "挂账, 挂帐",
]
