"""The reviewed tables behind display conversion (kb/conversion.py), as data.

- `WORDS`: mainland and Taiwan words for one thing. A word is swapped only where it is a
  whole word (jieba's cut of the folded text), never inside a name or a 《title》, so 视频
  is not found in 电视频段. Each entry was checked on the demo articles
  (tests/data/variants_corpus.tsv); OpenCC's s2twp/tw2sp phrase tables and MediaWiki's
  (zhconv-rs) were measured on the same text and rejected (docs/variants.md): they rewrite
  法律程序 → 法律程式, 拒不执行 → 拒不运行, 投诉对象 → 投訴物件, 裡 → 里.
- `FORMS`: single characters OpenCC's phrase table gets wrong across a word boundary
  (渠道里 → 道里, 那只会 → 那隻), fixed at word level, toward traditional only.
- `PROTECTED_NAMES`: statutes, institutions and legal terms shown as their own name in
  both scripts (characters converted, words never): 《中华人民共和国个人信息保护法》 is
  《中華人民共和國個人信息保護法》 on a Taiwan page, not 個人資訊/資料保護法 (Taiwan's own
  statute). Lender names come from the registry (articles/registry.py, the database).
- `DEFAULT_OVERRIDES`: the editors' override rows the site ships with (migration 0004).
"""

from __future__ import annotations

from dataclasses import dataclass

BOTH, TO_HANT, TO_HANS = "both", "to-hant", "to-hans"


@dataclass(frozen=True)
class Word:
    hans: str  # the mainland word, simplified
    hant: str  # the Taiwan word, traditional (Taiwan standard characters)
    direction: str  # BOTH, or only TO_HANT (hans → hant) / TO_HANS (hant → hans)
    why: str = ""


# fmt: off
WORDS: tuple[Word, ...] = (
    # Telecoms and the phone: what this site is about.
    Word("短信", "簡訊", BOTH),
    Word("手机短信", "手機簡訊", BOTH, "jieba keeps 手机短信 as one word"),
    Word("发短信", "發簡訊", BOTH, "jieba keeps 发短信 as one word"),
    Word("短信息", "簡訊", TO_HANT),
    Word("运营商", "營運商", BOTH, "電信業者 only fits telecoms; 營運商 fits any operator"),
    Word("运营商", "電信業者", TO_HANS),
    Word("运营方", "營運方", BOTH),
    Word("运营", "營運", TO_HANT, "mainland 营运 is a word of its own (营运车辆)"),
    Word("固定电话", "市話", TO_HANS, "an article's word; 座机 is the spoken one"),
    Word("座机", "市話", TO_HANT),
    Word("固话", "市話", TO_HANT),
    Word("智能手机", "智慧型手機", BOTH),
    Word("智能", "智慧", TO_HANT, "智能语音 → 智慧語音; Taiwan's word for smart"),
    Word("智能语音", "智慧語音", BOTH),
    Word("人工智能", "人工智慧", BOTH),
    Word("视频", "影片", BOTH, "video; 电视频段 is 电视/频段, never a match"),
    Word("视频通话", "視訊通話", BOTH),
    Word("截屏", "截圖", TO_HANT),
    # The internet.
    Word("网络", "網路", BOTH),
    Word("互联网", "網路", TO_HANT, "互联网平台 → 網路平臺; institution names are protected"),
    Word("链接", "連結", BOTH),
    Word("软件", "軟體", BOTH),
    Word("屏幕", "螢幕", BOTH),
    Word("在线客服", "線上客服", BOTH),
    Word("系统设置", "系統設定", BOTH),
    Word("界面", "介面", BOTH),
    Word("搜索", "搜尋", BOTH),
    Word("搜索引擎", "搜尋引擎", BOTH),
    Word("登录", "登入", BOTH),
    Word("打印", "列印", BOTH),
    Word("服务器", "伺服器", BOTH),
    Word("博客", "部落格", BOTH),
    # Information and records.
    Word("信息", "資訊", BOTH, "not inside statute titles: 个人信息保护法 is a name"),
    Word("信息", "訊息", TO_HANS),
    # A message sent to harass is a 訊息 in Taiwan, not 資訊 (information).
    Word("骚扰信息", "騷擾訊息", TO_HANT),
    Word("恐吓信息", "恐嚇訊息", TO_HANT),
    Word("侮辱信息", "侮辱訊息", TO_HANT),
    Word("垃圾信息", "垃圾訊息", TO_HANT),
    Word("记录", "紀錄", TO_HANS, "Taiwan writes the noun 紀錄; mainland 纪录 is a sports record"),
    Word("报道", "報導", BOTH, "news reports: Taiwan writes 報導; mainland's standard form is 报道"),
    # Money and identity.
    Word("转账", "轉帳", BOTH),
    # Taiwan writes 帳 for accounts (賬 is its variant); mainland 账 (帐 is a tent).
    Word("到账", "到帳", BOTH),
    Word("记账", "記帳", BOTH),
    Word("查账", "查帳", BOTH),
    Word("算账", "算帳", BOTH),
    Word("对账", "對帳", BOTH),
    Word("欠账", "欠帳", BOTH),
    Word("还账", "還帳", BOTH),
    Word("赖账", "賴帳", BOTH),
    Word("入账", "入帳", BOTH),
    Word("账目", "帳目", BOTH),
    Word("挂账", "掛帳", BOTH),
    Word("停息挂账", "停息掛帳", BOTH),
    Word("身份证", "身分證", BOTH),
    Word("身份", "身分", BOTH),
    Word("合同", "合約", TO_HANS, "Taiwan 合約; 合同 stays on Taiwan pages: the PRC Civil Code's word"),
    # Contacts: Taiwan 聯絡人 / 聯絡方式; mainland 联系人 / 联系方式.
    Word("联系人", "聯絡人", BOTH),
    Word("紧急联系人", "緊急聯絡人", BOTH),
    Word("联系方式", "聯絡方式", BOTH),
    Word("联系", "聯絡", TO_HANS, "the verb stays 聯繫 on Taiwan pages: both are Taiwan usage"),
    # Channels and means.
    Word("渠道", "管道", BOTH),
    Word("通过", "透過", TO_HANS, "通过 also means passed (审核通过): never rewritten toward Taiwan"),
    # OpenCC's s2t writes 瞭解; Taiwan's Ministry of Education standard is 了解.
    Word("了解", "了解", TO_HANT),
)

FORMS: tuple[Word, ...] = (
    Word("里", "裡", TO_HANT, "locative 里 alone (渠道里, 合同里): s2t keeps 道里/同里 as names"),
    Word("只会", "只會", TO_HANT, "那只会: s2t reads 那只 as 那隻"),
    Word("只凭", "只憑", TO_HANT, "是只凭: s2t reads 是只 as 是隻"),
    Word("几个", "幾個", TO_HANT, "方几个: s2t reads 方几 as a table (方几)"),
    Word("签", "簽", TO_HANT, "不签: s2t writes 籤"),
    Word("签下", "簽下", TO_HANT, "压力下签下: s2t reads 下签 as a lot drawn (下籤)"),
    # Taiwan's Ministry of Education writes 布 in these; s2t writes 佈 (Hong Kong's form).
    Word("公布", "公布", TO_HANT),
    Word("宣布", "宣布", TO_HANT),
    Word("分布", "分布", TO_HANT),
    Word("散布", "散布", TO_HANT),
    Word("颁布", "頒布", TO_HANT),
    Word("遍布", "遍布", TO_HANT),
)

# After OpenCC, on Taiwan pages: characters whose Taiwan standard form s2tw does not give.
TAIWAN_CHARACTERS = {"賬": "帳"}
# fmt: on

# Simplified forms. Found in either script (matching is on folded text).
PROTECTED_NAMES: tuple[str, ...] = (
    # Statutes and regulations the articles cite (short and full titles).
    "中华人民共和国个人信息保护法",
    "个人信息保护法",
    "中华人民共和国民法典",
    "民法典",
    "中华人民共和国合同法",
    "中华人民共和国治安管理处罚法",
    "治安管理处罚法",
    "中华人民共和国刑法",
    "中华人民共和国网络安全法",
    "网络安全法",
    "中华人民共和国数据安全法",
    "数据安全法",
    "中华人民共和国反电信网络诈骗法",
    "反电信网络诈骗法",
    "中华人民共和国消费者权益保护法",
    "消费者权益保护法",
    "中华人民共和国民事诉讼法",
    "民事诉讼法",
    "征信业管理条例",
    "网络借贷信息中介机构业务活动管理暂行办法",
    "互联网金融个人网络消费信贷贷后催收风控指引",
    "互联网金融逾期债务催收自律公约",
    "个人资料保护法",  # Taiwan's statute: stays itself on a simplified page too
    # Crimes and legal terms named in the PRC Criminal Law.
    "侵犯公民个人信息罪",
    "侵犯公民个人信息",
    # Institutions.
    "中国互联网金融协会",
    "互联网金融协会",
    "国家金融监督管理总局",
    "国家互联网信息办公室",
    "工业和信息化部",
    "12321网络不良与垃圾信息举报受理中心",
    "网络不良与垃圾信息举报受理中心",
    "中国执行信息公开网",
    "国家企业信用信息公示系统",
    "中国人民银行征信中心",
    "互联网法院",
)

# Installed as editable rows by migration 0004 and used as they are where no database is at
# hand (the interface catalogue, kb/catalogue.py). (simplified, Taiwan, Hong Kong, why)
DEFAULT_OVERRIDES = (
    ("发布", "發布", "發佈", "台湾标准写法为“發布”；也避免“粉丝发布”被转成“粉絲髮布”"),
    ("账户", "帳戶", "賬戶", "台湾写“帳戶”；台湾原文转简体时应为“账户”而非“帐户”"),
    ("账号", "帳號", "賬號", "台湾写“帳號”"),
    ("账单", "帳單", "賬單", "台湾写“帳單”"),
)
