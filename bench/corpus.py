"""A deterministic synthetic corpus of published articles, and the benchmark's fixed queries.

Text comes from a sentence grammar (templates with slots, below), from the sentences of the
project's own demo articles (lender names swapped for the article's lender), and from a
vocabulary drawn from jieba's dictionary by word frequency, so that the long tail of terms
looks like prose rather than a few hundred repeated phrases. All 26 registry lenders appear
(popular ones more often); official registry numbers appear in some of their articles and
random 400 / 95xxx / mobile / landline numbers in many (random ones are never called
official). About half of the articles are traditional (`script=hant`): the OpenCC s2tw
conversion of the simplified text, converted per template piece and per vocabulary item
(each converted once; converting 13 M characters whole would take ~2 minutes).

Each article has its own random generator (seed, index), so the first 1,000 articles of the
10,000 corpus are the 1,000 corpus. Some articles are "needles": they carry a phrase made
of two words used nowhere else, and the recall measurement looks for them.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from articles.models import Section
from kb.text import opencc_only

K = Section.Kind  # short: the tables below name a kind on every line

SEED = 20260417
HANS, HANT = 0, 1
SCRIPTS = ("hans", "hant")

# Grammar. {X} is a slot filled per use: L lender, A alias, O operator, ON official number,
# N random number, D days, M amount, C city, T time, P person, CH channel, LAW law,
# AG agency, W noun, V verb (W and V from the vocabulary).

TITLES = [
    "{L}催收电话是真的吗？",
    "{L}逾期{D}天，催收打电话给{P}怎么办",
    "{L}的催收来电{N}是谁打来的",
    "接到{L}催收电话，先做这三件事",
    "{L}逾期以后会不会真的上门催收",
    "{A}催收说要起诉我，是真是假",
    "{L}协商还款指南：{C}读者的经验",
    "{L}催收打通讯录合法吗",
    "{L}逾期会上征信吗？催收怎么说的",
    "自称{O}的来电要不要接",
    "{L}催收天天打电话，怎样投诉才有用",
    "{L}逾期{D}天后的催收流程",
    "{L}催收说要联系单位，能不能这样做",
    "{L}外包催收和自营催收有什么区别",
    "{L}的短信催收和律师函怎么看",
    "{C}的{L}借款人：半夜接到催收电话以后",
    "{L}催收电话被标记为骚扰，还能还款吗",
    "{L}逾期了，怎么和{O}谈分期",
]
GENERIC_TITLES = [
    "催收电话打给紧急联系人合法吗",
    "网贷逾期后怎么和平台协商还款",
    "被爆通讯录之后还能做什么",
    "催收自称律师事务所，要不要相信",
    "逾期后怎样保留催收的证据",
    "凌晨打来的催收电话可以投诉吗",
]
SUMMARIES = [
    "{L}逾期后，来电可能出自{O}自己的贷后团队，也可能来自受托机构或冒充者；本文说明怎样核实、怎样应对。",
    "催收打给{P}、深夜轰炸、冒充{AG}，这些做法越过了界线。这里讲清楚{L}借款人能做什么。",
    "接到自称{L}的电话先别慌：挂断，自己从官方入口查欠款，再决定怎么谈。",
    "逾期{D}天的{L}借款人，会陆续收到短信、电话和信函。弄清每一步意味着什么，才谈得上应对。",
    "和{O}协商分期或减免并非不可能，关键是准备好材料、把承诺落在书面上。",
]
HEADINGS = {
    K.BACKGROUND: [
        "{L}是什么",
        "{L}和它背后的{O}",
        "先了解{L}",
        "{L}的基本情况",
        "这笔借款从哪里来",
        "关于{O}",
    ],
    K.ORIGIN: [
        "电话可能来自哪几方",
        "谁在给你打电话",
        "{L}的催收由谁负责",
        "来电方的几种身份",
        "外包催收还是自营团队",
    ],
    K.CALL_METHODS: [
        "来电号码和联系方式",
        "{L}催收电话长什么样",
        "常见的来电号码",
        "催收会通过哪些方式联系你",
        "号码、短信和上门",
    ],
    K.LEGALITY: [
        "哪些做法合法，哪些越界",
        "催收打给通讯录合法吗",
        "法律怎么规定",
        "{L}催收的底线在哪里",
        "上门、起诉与征信",
    ],
    K.COPING: [
        "接到电话怎么应对",
        "一步步怎么做",
        "如何与{O}协商还款",
        "保留证据并投诉",
        "遇到骚扰怎么办",
    ],
    K.RISKS: ["需要注意的风险", "当心冒充{L}的诈骗", "不要做的几件事", "征信与逾期的影响"],
    K.SUMMARY: ["总结", "一句话总结", "最后几点提醒"],
    K.OTHER: ["读者常见问题", "案例：{C}读者的经历", "补充说明", "问答"],
}
# Mean body length per kind (characters): the demo articles' proportions, scaled to ~2,700
# characters per article with title, summary and headings.
BODY_LENGTH = {
    K.BACKGROUND: 260,
    K.ORIGIN: 310,
    K.CALL_METHODS: 290,
    K.LEGALITY: 470,
    K.COPING: 450,
    K.RISKS: 240,
    K.SUMMARY: 150,
    K.OTHER: 450,
}
KIND_ORDER = list(BODY_LENGTH)

SENTENCES = {
    K.BACKGROUND: [
        "{L}是{O}推出的小额信用贷款，申请和还款都在手机上完成。",
        "很多人在{C}办过{L}，额度从几千元到几万元不等，借款合同里写明了利率和逾期费用。",
        "{O}是持牌机构，{L}的逾期记录通常会报送征信系统，这一点和一般的{W}不同。",
        "借款真实存在就受法律保护，拖着不还不会自己消失，这是谈一切应对的前提。",
        "有读者以为{L}只是一个{W}，其实背后的出资方可能是银行或消费金融公司。",
        "{L}的借款人里，第一次逾期的人最慌，最常问的是电话那头到底是谁。",
        "了解{O}的身份，才能判断哪些电话该接、哪些话可以不听。",
        "{L}在{O}的官方应用里可以查到每一笔借款的本金、利息和逾期天数。",
        "借款时授权过的通讯录和紧急联系人，往往是后来催收电话打到{P}那里的原因。",
    ],
    K.ORIGIN: [
        "逾期刚发生时，打来的多半是{O}内部的贷后人员或智能语音外呼，以提醒为主。",
        "逾期超过{D}天，案件可能被委托给外部催收公司，对方会自称受{O}委托。",
        "少数情况下会收到律师事务所的函件，或者{AG}打来的电话，说要调解这笔借款纠纷。",
        "还有一类来电根本不是债权人派来的，而是借着{L}逾期的由头行骗的人。",
        "外包公司的员工不是{O}的职员，说话的分寸参差不齐，遇到越界可以向委托方投诉。",
        "有读者在{C}接到自称{AG}的电话，后来在{L}的官方客服那里查证，对方并无此委托。",
        "同一个案件可能先后交给几家机构，每换一家，来电号码和说法都会变。",
        "对方能说出你的姓名、身份证后几位和欠款金额，并不能证明他就是{O}的人。",
    ],
    K.CALL_METHODS: [
        "来电可能显示为各地的手机号、固定电话，也可能是{N}这样的号码，而且常常换着打。",
        "有读者记下的来电号码是{N}，接通后对方自称{L}的委托方。",
        "号码本身证明不了任何事，来电显示可以被软件伪造，看起来像官方的号码也可能是假的。",
        "除了电话，还可能收到短信、{CH}、微信服务通知，或者机器人语音播报。",
        "核实身份的办法不是研究号码，而是挂掉电话，自己从{L}的官方入口查。",
        "在{T}接到{N}打来的电话，对方语气很冲，这时先别争辩，记下时间和号码。",
        "常见的还有以{N}开头的外呼，接起来是一段录音，提示你尽快处理{L}的欠款。",
        "如果对方让你加个人微信或者扫码还款，基本可以判断不是正规渠道。",
    ],
    "official": [
        "{O}公布的客服热线是 {ON}，这是官方客服号码，主要用来接听用户来电。",
        "想核实催收是否属实，可以自己拨打 {ON}，问清欠款由谁跟进、是否委托了外部机构。",
        "{L}的官方客服电话 {ON} 以{O}官网和应用里公布的为准，请自己查一遍再拨打。",
    ],
    K.LEGALITY: [
        "《民法典》规定借款人应当按照约定的期限返还借款，所以提醒还款本身是合法的。",
        "辱骂、恐吓、扬言对家人不利，已经越过了催收的界线，可以保留证据后投诉或报警。",
        "《个人信息保护法》自2021年11月1日起施行，把你的欠款告诉{P}，可能侵犯个人信息权益。",
        "在{T}反复打电话、一天之内轰炸几十次，属于明显的骚扰，不是正常的催收。",
        "催收人员冒充{AG}、伪造法律文书，可能触犯《刑法》或《治安管理处罚法》。",
        "只有法院才能判决和强制执行，{AG}或律师事务所打来的电话都不等于起诉。",
        "逾期记录会影响征信，但“上黑名单”“全国通缉”之类的说法没有法律依据。",
        "按照{LAW}，催收方只能向借款人本人主张债权，不能把压力转嫁给与借款无关的人。",
        "有读者问，{L}催收说要上门是否合法：上门本身不违法，但不得滋扰、不得限制人身自由。",
        "行业自律规范要求催收不得在晚上九点到早上八点之间打扰，很多机构也写进了内部规定。",
    ],
    K.COPING: [
        "先挂断电话，打开{L}的官方应用，核对借款记录和待还金额是否与对方说的一致。",
        "每一通电话都可以录音，短信和{CH}截图保存，写明时间、号码和对方自称的身份。",
        "如果确实还不上，主动联系{O}的官方客服说明情况，申请延期或分期。",
        "协商时说清收入变化和还款计划，达成的方案一定要求对方以书面或应用内记录确认。",
        "遇到辱骂、恐吓或打给{P}，可以向{O}投诉，也可以向金融监管部门的消费者投诉渠道反映。",
        "有读者在{C}先后打了{D}天的电话协商，最后把分期方案写进了应用里的还款计划。",
        "不要把钱转到任何个人账户，还款只走{L}应用里的官方入口。",
        "对方说要起诉，就请他把起诉材料寄来；真正的诉讼会有法院的正式送达。",
        "可以告诉{P}：不必替你还钱，也不必回应，接到电话直接挂断即可。",
        "把{L}每一期的金额、还款日和已还记录整理成一张表，谈判时心里有数。",
    ],
    K.RISKS: [
        "冒充{L}客服的人常说“账户异常”“注销贷款”，目的是让你转账或贷款给他。",
        "不要为了应付催收去借新的网贷，以贷养贷只会让{D}天后的压力更大。",
        "逾期越久，罚息和违约金越多，征信上的记录也会保留更长时间。",
        "别把身份证照片、银行卡号、验证码发给来电的人，哪怕对方说得出你的欠款金额。",
        "所谓“征信修复”“内部关系减免”多半是收费骗局，{O}不会通过第三方办理减免。",
        "有读者在{T}接到自称{AG}的电话，被要求支付“保证金”，这是典型的诈骗话术。",
    ],
    K.SUMMARY: [
        "核实身份、保留证据、主动协商，是应对{L}催收的三件事。",
        "欠款要还，越界的催收也要拒绝，两件事并不矛盾。",
        "记住官方入口，不接受任何私下转账，遇到越界就投诉。",
        "{L}的逾期处理没有捷径，但每一步都有规矩可循。",
    ],
    K.OTHER: [
        "问：催收说要联系我的单位，可以吗？答：向与借款无关的人透露欠款信息不合规，可以投诉。",
        "问：{L}逾期{D}天会被起诉吗？答：有可能，但起诉要经过法院，不是一通电话就算数。",
        "问：对方让我下载一个{W}应用还款，怎么办？答：不要下载，只用官方应用。",
        "一位{C}的读者说，他把{D}天里收到的电话整理成表格，投诉后来电明显少了。",
        "问：{P}接到电话怎么办？答：告诉对方与此无关，记下号码，不要透露任何信息。",
        "问：协商还款有没有模板？答：写清本金、已还金额、每月能还多少和开始日期即可。",
    ],
}
GENERIC_SENTENCES = [
    "很多人第一次接到催收电话时最慌的不是欠款本身，而是不知道电话那头是谁。",
    "催收的目的只是收回借款，任何超出这个目的的做法都值得警惕。",
    "逾期以后先算清楚自己还欠多少、每月能还多少，再去谈比一味躲避有用得多。",
    "电话里说的每一句话都可能被录音，保持冷静、少说多记。",
    "如果只是{W}方面的问题暂时周转不开，可以直接告诉对方，并给出一个能做到的日期。",
    "{C}的不少读者反映，{T}的来电最多，内容也最重复。",
    "遇到自称{AG}的来电，先问清单位名称和案件编号，再自己查证。",
    "不管对方语气多凶，都不要在电话里答应自己做不到的事。",
]
# Sentences whose slots are mostly vocabulary: they spread terms the way real prose does.
VOCAB_SENTENCES = [
    "对方在电话里反复提到{W}和{W}，听起来很专业，其实和欠款本身关系不大。",
    "有读者说，催收员拿{W}做借口，要求他马上{V}。",
    "{C}的一位借款人回忆，当时正在{V}，{L}的电话就打了进来。",
    "与其担心{W}，不如先把{W}的事情理清楚。",
    "他后来才知道，所谓{W}只是话术，目的是让人尽快{V}。",
    "借款人在{W}上的支出一多，还款就容易出现{W}。",
    "不少人把{W}和{W}混为一谈，结果在电话里被对方牵着走。",
    "聊到{W}时，对方忽然改口，说可以帮忙{V}。",
    "读者留言提到，{W}期间收入减少，是逾期的主要原因。",
    "如果对方提起{W}，可以请他出示书面材料，而不是口头说明。",
]
CITIES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "天津",
    "重庆",
    "成都",
    "武汉",
    "杭州",
    "南京",
    "西安",
    "长沙",
    "郑州",
    "济南",
    "青岛",
    "沈阳",
    "大连",
    "哈尔滨",
    "长春",
    "石家庄",
    "太原",
    "合肥",
    "福州",
    "厦门",
    "南昌",
    "南宁",
    "昆明",
    "贵阳",
    "兰州",
    "银川",
    "西宁",
    "乌鲁木齐",
    "呼和浩特",
    "拉萨",
    "海口",
    "三亚",
    "苏州",
    "无锡",
    "宁波",
    "温州",
    "东莞",
    "佛山",
    "珠海",
    "汕头",
    "徐州",
    "洛阳",
    "烟台",
    "泉州",
]
TIMES = [
    "凌晨两点",
    "凌晨一点",
    "深夜十一点",
    "晚上十点",
    "早上七点",
    "午休时间",
    "上班时间",
    "周末早上",
    "春节期间",
    "国庆假期",
    "开会的时候",
    "接孩子的路上",
]
PERSONS = [
    "紧急联系人",
    "父母",
    "配偶",
    "同事",
    "领导",
    "大学室友",
    "通讯录里的朋友",
    "亲戚",
    "邻居",
    "房东",
    "前同事",
    "孩子的老师",
]
CHANNELS = ["微信消息", "语音机器人", "律师函", "上门通知书", "电子邮件", "快递信函", "应用推送"]
LAWS = [
    "《民法典》",
    "《个人信息保护法》",
    "《治安管理处罚法》",
    "《消费者权益保护法》",
    "《刑法》",
]
AGENCIES = [
    "法院",
    "律师事务所",
    "调解中心",
    "仲裁委员会",
    "公安机关",
    "征信中心",
    "司法所",
    "资产管理公司",
]
DAYS = ["3", "7", "10", "15", "30", "45", "60", "90", "120", "180", "三", "七", "十五", "三十"]
LIST_ITEMS = [
    "记下来电时间和号码",
    "从{L}官方入口核对欠款",
    "通话录音并保存",
    "截图保存短信和{CH}",
    "不向个人账户转账",
    "告诉{P}不必回应",
    "向{O}投诉越界行为",
    "书面确认协商结果",
    "不透露验证码",
]

# Generic articles (no lender) fill the lender slots with these.
GENERIC_LENDER = {
    "name": "网贷平台",
    "operator": "放贷机构",
    "aliases": ["借款平台"],
    "numbers": [],
}


# Conversion, once per distinct piece of text


@cache
def hant(text: str) -> str:
    return opencc_only(text, "zh-hant")


_SLOT = re.compile(r"\{([A-Z]+)\}")


class Template:
    """A template split into literal pieces (simplified, traditional) and slot names."""

    __slots__ = ("parts",)

    def __init__(self, text: str):
        parts: list = []
        pos = 0
        for match in _SLOT.finditer(text):
            if match.start() > pos:
                literal = text[pos : match.start()]
                parts.append((literal, hant(literal)))
            parts.append(match.group(1))
            pos = match.end()
        if pos < len(text):
            parts.append((text[pos:], hant(text[pos:])))
        self.parts = tuple(parts)

    def render(self, fill, script: int) -> str:
        return "".join(part[script] if type(part) is tuple else fill(part) for part in self.parts)


def _templates(texts) -> list[Template]:
    return [Template(text) for text in texts]


# Vocabulary from jieba's dictionary: nouns and verbs of 2–4 CJK characters, drawn by frequency.


_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@dataclass
class Pool:
    words: list[str]
    cumulative: list[float]

    def pick(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@cache
def _dictionary() -> list[tuple[str, int, str]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    entries = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, freq, tag = line.split()
            if _CJK_WORD.match(word):
                entries.append((word, int(freq), tag))
    return entries


@cache
def needle_words(seed: int = SEED) -> tuple[str, ...]:
    """Rare nouns that look different in traditional script; each needle gets two of them."""
    candidates = sorted(
        word
        for word, freq, tag in _dictionary()
        if tag == "n" and 20 <= freq <= 300 and len(word) in (2, 3) and hant(word) != word
    )
    return tuple(random.Random(seed).sample(candidates, 400))


@cache
def vocabulary(seed: int = SEED) -> dict[str, Pool]:
    excluded = set(needle_words(seed))
    pools: dict[str, Pool] = {}
    for slot, tags in (("W", {"n", "vn"}), ("V", {"v"})):
        words, cumulative, total = [], [], 0.0
        for word, freq, tag in _dictionary():
            if tag in tags and freq >= 50 and word not in excluded:
                total += freq**0.75
                words.append(word)
                cumulative.append(total)
        pools[slot] = Pool(words, cumulative)
    return pools


# Phone numbers


def _official_digits() -> set[str]:
    from articles.registry import LENDERS

    return {number[0] for lender in LENDERS for number in lender["numbers"]}


def random_number(rng: random.Random) -> str:
    """A random 400 / 95xxx / mobile / landline number in one of the ways people write it."""
    roll = rng.random()
    if roll < 0.35:
        digits = f"400{rng.randrange(10**7):07d}"
        return rng.choice(
            [
                f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
                f"{digits[:3]} {digits[3:6]} {digits[6:]}",
                digits,
            ]
        )
    if roll < 0.5:
        while True:
            digits = f"95{rng.randrange(1000):03d}"
            if digits not in _official_digits():
                return digits
    if roll < 0.9:
        digits = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        return rng.choice(
            [
                digits,
                f"{digits[:3]} {digits[3:7]} {digits[7:]}",
                f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
                f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}",
            ]
        )
    area = rng.choice(["010", "021", "020", "0755", "023", "028", "027", "0571"])
    return f"{area}-{rng.randrange(2 * 10**7, 9 * 10**7)}"


def sample_numbers(seed: int = SEED) -> dict[str, str]:
    """A few fixed random numbers that many articles carry, so phone queries have hits."""
    rng = random.Random(f"{seed}-numbers")
    return {
        "400": f"400{rng.randrange(10**7):07d}",
        "mobile": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "95": f"95{rng.randrange(200, 300):03d}",
    }


# Articles


@dataclass
class ArticleSpec:
    index: int
    title: str
    slug: str
    lender: str | None  # registry slug
    script: str
    summary: str
    sections: list[tuple[str, str, str]]  # kind, heading, body

    def chars(self) -> int:
        return (
            len(self.title) + len(self.summary) + sum(len(h) + len(b) for _, h, b in self.sections)
        )


@dataclass
class Needle:
    slug: str
    script: str
    lender: str
    phrase: str  # simplified
    in_title: bool

    def query(self, script: str) -> str:
        text = f"{self.lender} {self.phrase}"
        return text if script == "hans" else hant(text)


@dataclass
class Corpus:
    size: int
    seed: int
    articles: list[ArticleSpec] = field(default_factory=list)
    needles: list[Needle] = field(default_factory=list)

    def chars(self) -> int:
        return sum(article.chars() for article in self.articles)


class _Lender:
    """A lender's names in both scripts."""

    def __init__(self, entry: dict):
        self.slug = entry.get("slug")
        self.name = (entry["name"], hant(entry["name"]))
        self.operator = (entry["operator"], hant(entry["operator"]))
        aliases = [name for name, *_ in entry["aliases"]] if self.slug else entry["aliases"]
        self.aliases = [(name, hant(name)) for name in aliases] or [self.name]
        self.numbers = [number[0] for number in entry["numbers"]]


class _Grammar:
    def __init__(self, seed: int):
        from articles.registry import LENDERS

        self.seed = seed
        self.lenders = [_Lender(entry) for entry in LENDERS]
        # Popular lenders get more articles (weight 1/rank^0.7); every lender gets some.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(self.lenders))]
        self.lender_cumulative = list(itertools.accumulate(weights))
        self.generic = _Lender(GENERIC_LENDER)
        self.titles = _templates(TITLES)
        self.generic_titles = _templates(GENERIC_TITLES)
        self.summaries = _templates(SUMMARIES)
        self.headings = {kind: _templates(texts) for kind, texts in HEADINGS.items()}
        self.sentences = {kind: _templates(texts) for kind, texts in SENTENCES.items()}
        self.demo = {kind: _templates(texts) for kind, texts in demo_sentences().items()}
        self.generic_sentences = _templates(GENERIC_SENTENCES)
        self.vocab_sentences = _templates(VOCAB_SENTENCES)
        self.list_items = _templates(LIST_ITEMS)
        self.pools = vocabulary(seed)
        self.numbers = sample_numbers(seed)
        self.lists = {
            "C": [(w, hant(w)) for w in CITIES],
            "T": [(w, hant(w)) for w in TIMES],
            "P": [(w, hant(w)) for w in PERSONS],
            "CH": [(w, hant(w)) for w in CHANNELS],
            "LAW": [(w, hant(w)) for w in LAWS],
            "AG": [(w, hant(w)) for w in AGENCIES],
            "D": [(w, hant(w)) for w in DAYS],
        }

    def lender(self, rng) -> _Lender:
        if rng.random() < 0.05:
            return self.generic
        roll = rng.random() * self.lender_cumulative[-1]
        return self.lenders[bisect.bisect(self.lender_cumulative, roll)]


class _Fill:
    """Slot values for one article, in its script."""

    def __init__(self, grammar: _Grammar, rng: random.Random, lender: _Lender, script: int):
        self.g, self.rng, self.lender, self.script = grammar, rng, lender, script
        self.numbers = 0

    def __call__(self, slot: str) -> str:
        rng, s = self.rng, self.script
        if slot == "L":
            return (
                self.lender.name[s] if rng.random() < 0.85 else rng.choice(self.lender.aliases)[s]
            )
        if slot == "A":
            return rng.choice(self.lender.aliases)[s]
        if slot == "O":
            return self.lender.operator[s]
        if slot in ("W", "V"):
            word = self.g.pools[slot].pick(rng)
            return word if s == HANS else hant(word)
        if slot == "N":
            self.numbers += 1
            if rng.random() < 0.08:
                return self._sample_number()
            return random_number(rng)
        if slot == "ON":
            return rng.choice(self.lender.numbers) if self.lender.numbers else random_number(rng)
        if slot == "M":
            return str(rng.randrange(5, 2000) * 100)
        return rng.choice(self.g.lists[slot])[s]

    def _sample_number(self) -> str:
        kind = self.rng.choice(sorted(self.g.numbers))
        digits = self.g.numbers[kind]
        if kind == "400":
            return self.rng.choice([f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", digits])
        if kind == "mobile":
            return self.rng.choice([digits, f"{digits[:3]} {digits[3:7]} {digits[7:]}"])
        return digits


def _sentence(g: _Grammar, rng, own: list[Template], demo: list[Template]) -> Template:
    roll = rng.random()
    if roll < 0.38:
        return rng.choice(own)
    if roll < 0.63:
        return rng.choice(demo)
    if roll < 0.88:
        return rng.choice(g.vocab_sentences)
    return rng.choice(g.generic_sentences)


def _body(g: _Grammar, fill: _Fill, kind: str, target: int, extra: list[Template]) -> str:
    rng, s = fill.rng, fill.script
    own, demo = g.sentences[kind], g.demo.get(kind) or g.demo["any"]
    if kind == K.CALL_METHODS and fill.lender.numbers and rng.random() < 0.6:
        extra = [*extra, rng.choice(g.sentences["official"])]
    paragraphs, length, used = [], 0, set()
    while length < target or extra:
        if not extra and kind in (K.COPING, K.RISKS, K.LEGALITY) and rng.random() < 0.12:
            items = rng.sample(g.list_items, rng.randint(3, 5))
            paragraph = "\n".join(f"- {item.render(fill, s)}" for item in items)
        else:
            sentences = []
            for _ in range(rng.randint(2, 4)):
                if extra:
                    template = extra.pop(0)
                else:
                    template = _sentence(g, rng, own, demo)
                    if template in used:  # one retry keeps a section from repeating itself
                        template = _sentence(g, rng, own, demo)
                    used.add(template)
                sentences.append(template.render(fill, s))
                if length + sum(map(len, sentences)) >= target and not extra:
                    break
            paragraph = "".join(sentences)
            if rng.random() < 0.1:
                paragraph = f"**{paragraph}**"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "\n\n".join(paragraphs)


def article(g: _Grammar, index: int, needle: tuple[str, str] | None = None) -> ArticleSpec:
    rng = random.Random(f"{g.seed}-{index}")
    script = HANT if rng.random() < 0.5 else HANS
    lender = g.lender(rng)
    if needle is not None and lender is g.generic:
        lender = g.lenders[index % len(g.lenders)]
    fill = _Fill(g, rng, lender, script)
    titles = g.generic_titles if lender is g.generic else g.titles
    title = rng.choice(titles).render(fill, script)
    kinds = [K.BACKGROUND, K.ORIGIN, K.CALL_METHODS, K.LEGALITY, K.COPING]
    if rng.random() < 0.7:
        kinds.append(K.RISKS)
    if rng.random() < 0.4:
        kinds.append(K.OTHER)
    kinds.append(K.SUMMARY)
    needle_kind, needle_sentence = None, []
    if needle is not None:
        phrase = needle[script]
        name = lender.name[script]
        if index % 2 == 0:
            title = f"{name}{phrase}：{title}"
        else:
            needle_kind = rng.choice(kinds[:-1])
            text = "有读者专门问到{name}{phrase}的情况，下面单独说明。"
            needle_sentence = [Template(text.format(name=name, phrase=phrase))]
    sections = []
    for kind in kinds:
        heading = rng.choice(g.headings[kind]).render(fill, script)
        target = int(BODY_LENGTH[kind] * rng.lognormvariate(0, 0.3))
        extra = list(needle_sentence) if kind == needle_kind else []
        sections.append((kind, heading, _body(g, fill, kind, target, extra)))
    return ArticleSpec(
        index=index,
        title=title[:200],
        slug=f"bench-{index}",
        lender=lender.slug,
        script=SCRIPTS[script],
        summary=rng.choice(g.summaries).render(fill, script),
        sections=sections,
    )


def needle_count(size: int) -> int:
    return min(100, max(5, size // 10))


def generate(size: int, seed: int = SEED) -> Corpus:
    """`size` articles, the same ones for the same seed (and the same first ones for any size)."""
    g = _Grammar(seed)
    corpus = Corpus(size=size, seed=seed)
    count = needle_count(size)
    step = max(size // count, 1)
    words = needle_words(seed)
    needles = {}
    for k in range(count):
        phrase = words[2 * k] + words[2 * k + 1]
        needles[min(k * step + step // 2, size - 1)] = (phrase, hant(phrase))
    for index in range(size):
        needle = needles.get(index)
        spec = article(g, index, needle)
        corpus.articles.append(spec)
        if needle is not None:
            lender = next(entry for entry in g.lenders if entry.slug == spec.lender)
            corpus.needles.append(
                Needle(spec.slug, spec.script, lender.name[HANS], needle[0], index % 2 == 0)
            )
    return corpus


# Raw material from the project's own demo articles


@cache
def demo_sentences() -> dict[str, list[str]]:
    """Sentences of the demo articles by section kind, lender names turned into slots."""
    import articles
    from articles.documents import parse_document
    from articles.registry import LENDERS

    names = {}
    for lender in LENDERS:
        names[lender["name"]] = "{L}"
        names.setdefault(lender["operator"], "{O}")
        for alias, *_ in lender["aliases"]:
            names.setdefault(alias, "{O}")
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    by_kind: dict[str, list[str]] = {"any": []}
    demo_dir = Path(articles.__file__).parent / "demo"
    for path in sorted(demo_dir.glob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        for section in doc.sections:
            for line in section.body.splitlines():
                line = re.sub(r"^[-*>\s]*(?:\d+[.、]\s*)?", "", line).replace("**", "").strip()
                if not line or line.startswith("#") or "{" in line or "http" in line:
                    continue
                for sentence in re.findall(r"[^。！？]+[。！？]", line):
                    if re.search(r"\d{5,}", sentence) or not 8 <= len(sentence) <= 150:
                        continue
                    sentence = pattern.sub(lambda m: names[m.group()], sentence)
                    by_kind.setdefault(section.kind, []).append(sentence)
                    by_kind["any"].append(sentence)
    return by_kind


# Insertion


def insert(corpus: Corpus, batch_size: int = 1000) -> int:
    """Write the corpus as published articles with bulk_create (no signals: build the index after)."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Lender, Section

    lenders = dict(Lender.objects.values_list("slug", "pk"))
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(corpus.articles), batch_size):
            specs = corpus.articles[start : start + batch_size]
            rows = Article.objects.bulk_create(
                [
                    Article(
                        title=spec.title,
                        slug=spec.slug,
                        lender_id=lenders[spec.lender] if spec.lender else None,
                        summary=spec.summary,
                        status=Article.Status.PUBLISHED,
                        script=spec.script,
                        source="bench",
                        published_at=now,
                    )
                    for spec in specs
                ]
            )
            Section.objects.bulk_create(
                [
                    Section(article_id=row.pk, kind=kind, heading=heading, body=body, order=order)
                    for row, spec in zip(rows, specs, strict=True)
                    for order, (kind, heading, body) in enumerate(spec.sections, start=1)
                ]
            )
    return len(corpus.articles)


# The fixed query list: (category, query)


def queries(seed: int = SEED) -> list[tuple[str, str]]:
    numbers = sample_numbers(seed)
    n400, mobile, n95 = numbers["400"], numbers["mobile"], numbers["95"]
    return [
        ("lender", "微粒贷"),
        ("lender", "有钱花"),
        ("lender", "借呗"),
        ("lender", "京东金条"),
        ("lender", "招联好期贷"),
        ("lender", "360借条"),
        ("lender_hant", "微粒貸"),
        ("lender_hant", "有錢花"),
        ("lender_hant", "京東金條"),
        ("lender_hant", "分期樂"),
        ("partial", "粒贷"),
        ("partial", "好期贷"),
        ("partial", "随借"),
        ("partial", "金条"),
        ("operator", "度小满"),
        ("operator", "腾讯"),
        ("operator", "微众银行"),
        ("operator", "螞蟻集團"),
        ("pinyin", "weilidai"),
        ("pinyin", "youqianhua"),
        ("pinyin", "wld"),
        ("pinyin", "yqh"),
        ("phone", "95384"),
        ("phone", "95188"),
        ("phone", f"{n400[:3]}-{n400[3:6]}-{n400[6:]}"),
        ("phone", f"{n400[:3]} {n400[3:6]} {n400[6:]}"),
        ("phone", f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"),
        ("phone", mobile),
        ("phone", n95),
        ("generic", "催收电话"),
        ("generic", "紧急联系人"),
        ("generic", "逾期"),
        ("generic", "催收電話"),
        ("generic", "爆通讯录"),
        ("sentence", "微粒贷逾期三个月了催收天天打电话给我的紧急联系人合法吗"),
        ("sentence", "催收说要上门还要起诉我怎么办"),
        ("sentence", "接到自称律师事务所的电话说要冻结我的银行卡是真的吗"),
        ("mixed", "微粒貸逾期怎么办"),
        ("mixed", "借唄催收电話"),
        ("mixed", "京东金條 通讯錄"),
    ]
