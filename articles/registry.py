"""The lender registry that ships with the code and is installed by a data migration.

Each entry: product name, operator, aliases by kind, and official numbers. A number is
listed only with the public channel that publishes it; `verified_on` stays empty until an
editor has checked it at that source, and pages then show it as awaiting verification.
Re-running `install` updates entries in place and never removes what editors added.
"""

OPERATOR, BRAND, ALIAS, ENGLISH = "operator", "brand", "alias", "english"

LENDERS = [
    {
        "name": "微粒贷",
        "slug": "weilidai",
        "operator": "微众银行",
        "description": "微众银行在微信和手机 QQ 里提供的小额信用贷款。",
        "website": "https://www.webank.com/",
        "aliases": [
            ("微众银行", OPERATOR),
            ("深圳前海微众银行", OPERATOR),
            ("腾讯", BRAND),
            ("微信", BRAND),
            ("WeBank", ENGLISH),
            ("微粒贷借钱", ALIAS),
        ],
        "numbers": [("95384", "客服热线", "微众银行官方网站", "https://www.webank.com/")],
    },
    {
        "name": "有钱花",
        "slug": "youqianhua",
        "operator": "度小满",
        "description": "度小满（原百度金融）旗下的个人消费信贷产品，曾用名“百度有钱花”。",
        "website": "https://www.duxiaoman.com/",
        "aliases": [
            ("度小满", OPERATOR),
            ("度小满金融", OPERATOR),
            ("百度", BRAND),
            ("百度有钱花", ALIAS),
            ("满易贷", ALIAS),
        ],
        "numbers": [("95055", "客服热线", "度小满官方网站", "https://www.duxiaoman.com/")],
    },
    {
        "name": "借呗",
        "slug": "jiebei",
        "operator": "重庆蚂蚁消费金融",
        "description": "支付宝里的信用贷款，现由重庆蚂蚁消费金融有限公司等机构提供资金。",
        "website": "https://www.alipay.com/",
        "aliases": [
            ("蚂蚁借呗", ALIAS),
            ("蚂蚁消费金融", OPERATOR),
            ("蚂蚁集团", BRAND),
            ("蚂蚁", BRAND),
            ("支付宝", BRAND),
            ("阿里巴巴", BRAND),
        ],
        "numbers": [("95188", "支付宝客服热线", "支付宝官方网站", "https://www.alipay.com/")],
    },
    {
        "name": "花呗",
        "slug": "huabei",
        "operator": "重庆蚂蚁消费金融",
        "description": "支付宝里的消费信贷（先买后还）服务。",
        "website": "https://www.alipay.com/",
        "aliases": [
            ("蚂蚁花呗", ALIAS),
            ("蚂蚁消费金融", OPERATOR),
            ("蚂蚁集团", BRAND),
            ("支付宝", BRAND),
        ],
        "numbers": [("95188", "支付宝客服热线", "支付宝官方网站", "https://www.alipay.com/")],
    },
    {
        "name": "网商贷",
        "slug": "wangshangdai",
        "operator": "浙江网商银行",
        "description": "网商银行面向小微经营者的信用贷款，入口在支付宝。",
        "website": "https://www.mybank.cn/",
        "aliases": [("网商银行", OPERATOR), ("蚂蚁集团", BRAND), ("支付宝", BRAND)],
        "numbers": [],
    },
    {
        "name": "京东金条",
        "slug": "jingdong-jintiao",
        "operator": "京东金融",
        "description": "京东金融 App 里的个人信用借款产品。",
        "website": "https://jr.jd.com/",
        "aliases": [
            ("金条", ALIAS),
            ("京东金融", OPERATOR),
            ("京东科技", OPERATOR),
            ("京东", BRAND),
        ],
        "numbers": [("95118", "京东金融客服热线", "京东金融官方网站", "https://jr.jd.com/")],
    },
    {
        "name": "京东白条",
        "slug": "jingdong-baitiao",
        "operator": "京东金融",
        "description": "京东的先消费后付款服务，也可分期。",
        "website": "https://jr.jd.com/",
        "aliases": [("白条", ALIAS), ("京东金融", OPERATOR), ("京东", BRAND)],
        "numbers": [("95118", "京东金融客服热线", "京东金融官方网站", "https://jr.jd.com/")],
    },
    {
        "name": "美团借钱",
        "slug": "meituan-jieqian",
        "operator": "美团",
        "description": "美团 App 里的个人信用借款入口，曾叫“美团生活费”。",
        "website": "https://www.meituan.com/",
        "aliases": [
            ("美团生活费", ALIAS),
            ("美团金融", BRAND),
            ("美团", BRAND),
            ("三快小贷", OPERATOR),
        ],
        "numbers": [("10107888", "美团客服热线", "美团官方网站", "https://www.meituan.com/")],
    },
    {
        "name": "安逸花",
        "slug": "anyihua",
        "operator": "马上消费金融",
        "description": "马上消费金融股份有限公司的个人消费信贷 App。",
        "website": "https://www.msxf.com/",
        "aliases": [("马上消费金融", OPERATOR), ("马上消费", OPERATOR), ("马上金融", ALIAS)],
        "numbers": [],
    },
    {
        "name": "招联好期贷",
        "slug": "zhaolian-haoqidai",
        "operator": "招联消费金融",
        "description": "招联消费金融有限公司（招商银行与中国联通合资）的信用贷款产品。",
        "website": "https://www.mucfc.com/",
        "aliases": [
            ("好期贷", ALIAS),
            ("招联金融", OPERATOR),
            ("招联消费金融", OPERATOR),
            ("招联", ALIAS),
            ("招商银行", BRAND),
            ("中国联通", BRAND),
        ],
        "numbers": [("95786", "客服热线", "招联金融官方网站", "https://www.mucfc.com/")],
    },
    {
        "name": "360借条",
        "slug": "360-jietiao",
        "operator": "奇富科技",
        "description": "奇富科技（原 360 数科）旗下的信用借款产品，现名“奇富借条”。",
        "website": "https://www.qifu.tech/",
        "aliases": [
            ("奇富借条", ALIAS),
            ("奇富科技", OPERATOR),
            ("360数科", OPERATOR),
            ("360金融", OPERATOR),
            ("360", BRAND),
        ],
        "numbers": [],
    },
    {
        "name": "分期乐",
        "slug": "fenqile",
        "operator": "乐信",
        "description": "乐信集团旗下的分期消费和借款平台。",
        "website": "https://www.fenqile.com/",
        "aliases": [("乐信", OPERATOR), ("乐信集团", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "平安普惠",
        "slug": "pingan-puhui",
        "operator": "平安普惠融资担保",
        "description": "中国平安旗下面向个人和小微企业的借款服务。",
        "website": "",
        "aliases": [
            ("平安", BRAND),
            ("中国平安", BRAND),
            ("陆金所", BRAND),
            ("平安惠普", ALIAS),  # the name as often misspelt
        ],
        "numbers": [],
    },
    {
        "name": "拍拍贷",
        "slug": "paipaidai",
        "operator": "信也科技",
        "description": "信也科技集团旗下的个人信用借款平台。",
        "website": "",
        "aliases": [("信也科技", OPERATOR), ("信也", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "洋钱罐",
        "slug": "yangqianguan",
        "operator": "瓴岳科技",
        "description": "瓴岳科技旗下的借款服务平台。",
        "website": "",
        "aliases": [("瓴岳科技", OPERATOR), ("瓴岳", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "你我贷",
        "slug": "niwodai",
        "operator": "嘉银金科",
        "description": "嘉银金科旗下的个人借款平台。",
        "website": "",
        "aliases": [("嘉银金科", OPERATOR), ("嘉银科技", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "宜人贷",
        "slug": "yirendai",
        "operator": "宜人金科",
        "description": "宜信旗下的个人借款服务，现属宜人金科。",
        "website": "",
        "aliases": [("宜人金科", OPERATOR), ("宜信", BRAND), ("宜人借款", ALIAS)],
        "numbers": [],
    },
    {
        "name": "捷信",
        "slug": "jiexin",
        "operator": "捷信消费金融",
        "description": "捷信消费金融有限公司的消费分期与现金贷款。",
        "website": "",
        "aliases": [("捷信消费金融", OPERATOR), ("捷信金融", ALIAS), ("Home Credit", ENGLISH)],
        "numbers": [],
    },
    {
        "name": "中银消费金融",
        "slug": "zhongyin-xiaofei-jinrong",
        "operator": "中银消费金融",
        "description": "中国银行控股的持牌消费金融公司，产品有“新易贷”等。",
        "website": "",
        "aliases": [("中银消金", ALIAS), ("新易贷", ALIAS), ("中国银行", BRAND)],
        "numbers": [],
    },
    {
        "name": "小米随借",
        "slug": "xiaomi-suijie",
        "operator": "重庆小米消费金融",
        "description": "小米旗下的信用借款服务，原名“小米贷款”。",
        "website": "",
        "aliases": [
            ("随借", ALIAS),
            ("小米贷款", ALIAS),
            ("小米消费金融", OPERATOR),
            ("天星数科", OPERATOR),
            ("小米金融", OPERATOR),  # 天星数科's name until 2021
            ("小米", BRAND),
        ],
        "numbers": [],
    },
    {
        "name": "苏宁任性贷",
        "slug": "suning-renxingdai",
        "operator": "苏宁消费金融",
        "description": "苏宁消费金融有限公司的个人信用贷款。",
        "website": "",
        "aliases": [("任性贷", ALIAS), ("苏宁消费金融", OPERATOR), ("苏宁金融", BRAND)],
        "numbers": [],
    },
    {
        "name": "抖音放心借",
        "slug": "douyin-fangxinjie",
        "operator": "字节跳动",
        "description": "抖音 App 里的信用借款入口，资金由合作金融机构提供。",
        "website": "",
        "aliases": [("放心借", ALIAS), ("抖音", BRAND), ("字节跳动", BRAND)],
        "numbers": [],
    },
    {
        "name": "微博借钱",
        "slug": "weibo-jieqian",
        "operator": "微博",
        "description": "微博（新浪）旗下的借款入口。",
        "website": "",
        "aliases": [("微博", BRAND), ("新浪", BRAND), ("微博钱包", ALIAS)],
        "numbers": [],
    },
    {
        "name": "省呗",
        "slug": "shengbei",
        "operator": "萨摩耶数科",
        "description": "萨摩耶数科旗下的借款服务。",
        "website": "",
        "aliases": [("萨摩耶", OPERATOR), ("萨摩耶数科", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "还呗",
        "slug": "huanbei",
        "operator": "数禾科技",
        "description": "数禾科技旗下的信用借款 App。",
        "website": "",
        "aliases": [("数禾科技", OPERATOR), ("数禾", OPERATOR)],
        "numbers": [],
    },
    # Products borrowers ask about that other lenders' names used to swallow: a bank's
    # credit card is not the same company's loan (平安银行信用卡 ≠ 平安普惠), a "pay later"
    # service is not its sister loan (美团月付 ≠ 美团借钱). Numbers: none found at an
    # official source yet, so none listed.
    {
        "name": "美团月付",
        "slug": "meituan-yuefu",
        "operator": "美团",
        "description": "美团 App 里的先消费、次月还款服务，和美团借钱是两个产品。",
        "website": "https://www.meituan.com/",
        "aliases": [("美团先用后付", ALIAS)],
        "numbers": [],
    },
    {
        "name": "平安银行信用卡",
        "slug": "pingan-yinhang-xinyongka",
        "operator": "平安银行",
        "description": "平安银行发行的信用卡，由平安银行信用卡中心管理；和平安普惠不是同一家公司的产品。",
        "website": "",
        "aliases": [("平安信用卡", ALIAS), ("平安银行信用卡中心", ALIAS), ("平安口袋银行", ALIAS)],
        "numbers": [],
    },
    {
        "name": "招商银行信用卡",
        "slug": "zhaoshang-yinhang-xinyongka",
        "operator": "招商银行",
        "description": "招商银行发行的信用卡，由招商银行信用卡中心管理，App 名为“掌上生活”。",
        "website": "",
        "aliases": [
            ("招行信用卡", ALIAS),
            ("招商信用卡", ALIAS),
            ("招商银行信用卡中心", ALIAS),
            ("掌上生活", ALIAS),
            ("招行", ALIAS),
        ],
        "numbers": [],
    },
    {
        "name": "广发银行信用卡",
        "slug": "guangfa-yinhang-xinyongka",
        "operator": "广发银行",
        "description": "广发银行发行的信用卡，由广发银行信用卡中心管理。",
        "website": "",
        "aliases": [("广发信用卡", ALIAS), ("广发卡", ALIAS), ("广发银行信用卡中心", ALIAS)],
        "numbers": [],
    },
    {
        "name": "携程金融",
        "slug": "xiecheng-jinrong",
        "operator": "携程",
        "description": "携程旗下的消费信贷服务，常见的是“拿去花”分期付款。",
        "website": "",
        "aliases": [("拿去花", ALIAS), ("携程拿去花", ALIAS), ("携程旅行", BRAND)],
        "numbers": [],
    },
    {
        "name": "苏宁任性付",
        "slug": "suning-renxingfu",
        "operator": "苏宁消费金融",
        "description": "苏宁易购的先消费后付款和分期服务，和苏宁任性贷是两个产品。",
        "website": "",
        "aliases": [("任性付", ALIAS), ("苏宁易购任性付", ALIAS)],
        "numbers": [],
    },
    {
        "name": "小赢卡贷",
        "slug": "xiaoying-kadai",
        "operator": "小赢科技",
        "description": "小赢科技旗下的个人信用借款产品。",
        "website": "",
        "aliases": [("小赢科技", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "中邮消费金融",
        "slug": "zhongyou-xiaofei-jinrong",
        "operator": "中邮消费金融",
        "description": "中国邮政储蓄银行控股的持牌消费金融公司，App 名为“中邮钱包”。",
        "website": "",
        "aliases": [("中邮消金", ALIAS), ("中邮钱包", ALIAS)],
        "numbers": [],
    },
    {
        "name": "信用飞",
        "slug": "xinyongfei",
        "operator": "维信金科",
        "description": "维信金科旗下的借款服务。",
        "website": "",
        "aliases": [("维信金科", OPERATOR), ("维信", OPERATOR)],
        "numbers": [],
    },
    {
        "name": "抖音月付",
        "slug": "douyin-yuefu",
        "operator": "字节跳动",
        "description": "抖音 App 里的先消费、后还款和分期付款服务，和抖音放心借是两个产品。",
        "website": "",
        "aliases": [("抖音", BRAND), ("字节跳动", BRAND)],
        "numbers": [],
    },
    {
        "name": "浦发银行信用卡",
        "slug": "pufa-yinhang-xinyongka",
        "operator": "浦发银行",
        "description": "上海浦东发展银行发行的信用卡，由浦发银行信用卡中心管理。",
        "website": "",
        "aliases": [
            ("浦发信用卡", ALIAS),
            ("浦发银行信用卡中心", ALIAS),
            ("上海浦东发展银行", OPERATOR),
        ],
        "numbers": [],
    },
    {
        "name": "中信银行信用卡",
        "slug": "zhongxin-yinhang-xinyongka",
        "operator": "中信银行",
        "description": "中信银行发行的信用卡，由中信银行信用卡中心管理。",
        "website": "",
        "aliases": [("中信信用卡", ALIAS), ("中信银行信用卡中心", ALIAS)],
        "numbers": [],
    },
    {
        "name": "交通银行信用卡",
        "slug": "jiaotong-yinhang-xinyongka",
        "operator": "交通银行",
        "description": "交通银行发行的信用卡，由交通银行太平洋信用卡中心管理，App 名为“买单吧”。",
        "website": "",
        "aliases": [
            ("交行信用卡", ALIAS),
            ("交通信用卡", ALIAS),
            ("交通银行信用卡中心", ALIAS),
            ("买单吧", ALIAS),
            ("交行", ALIAS),
        ],
        "numbers": [],
    },
    {
        "name": "光大银行信用卡",
        "slug": "guangda-yinhang-xinyongka",
        "operator": "光大银行",
        "description": "中国光大银行发行的信用卡，由光大银行信用卡中心管理。",
        "website": "",
        "aliases": [
            ("光大信用卡", ALIAS),
            ("光大银行信用卡中心", ALIAS),
            ("中国光大银行", OPERATOR),
        ],
        "numbers": [],
    },
]


def install(apps=None) -> int:
    """Create or update every registry lender; returns how many were created.

    Takes the historical `apps` registry when run from a migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Lender = apps.get_model("articles", "Lender")
    LenderAlias = apps.get_model("articles", "LenderAlias")
    OfficialNumber = apps.get_model("articles", "OfficialNumber")
    from kb.text import phone_digits

    created_count = 0
    for entry in LENDERS:
        lender, created = Lender.objects.get_or_create(
            name=entry["name"],
            defaults={
                "slug": entry["slug"],
                "operator": entry["operator"],
                "description": entry["description"],
                "website": entry["website"],
            },
        )
        created_count += created
        if not created:
            changed = False
            for field in ("operator", "description", "website"):
                if not getattr(lender, field) and entry[field]:
                    setattr(lender, field, entry[field])
                    changed = True
            if changed:
                lender.save()
        for alias, kind in entry["aliases"]:
            LenderAlias.objects.get_or_create(lender=lender, name=alias, defaults={"kind": kind})
        for number, purpose, source_name, source_url in entry["numbers"]:
            OfficialNumber.objects.get_or_create(
                lender=lender,
                digits=phone_digits(number),
                defaults={
                    "number": number,
                    "purpose": purpose,
                    "source_name": source_name,
                    "source_url": source_url,
                },
            )
    return created_count
