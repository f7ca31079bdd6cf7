"""Editors' Markdown: rendered safely (no script can run), headings kept below their section."""

import re
import time
from html.parser import HTMLParser

import markdown
import pytest
from django.test import override_settings
from django.utils import translation

from articles.markdown import ALLOWED_TAGS, _renderer, render_markdown
from articles.models import Section
from tests.factories import make_article

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">悬停</div>',
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">样式</p>',
    '<a href="javascript:alert(1)">链接</a>',
    '<a href="&#106;avascript:alert(1)">实体编码</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">十六进制</a>',
    '<a href="jav&#x09;ascript:alert(1)">制表符</a>',
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](&#106;avascript:alert(1))",
    "[点我](javascript&colon;alert(1))",
    "[点我](  javascript:alert(1))",
    "[点我](vbscript:msgbox(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[点我](https://example.com/"onmouseover="alert(1))',
    '[点我](https://example.com/ "title" onclick=alert(1))',
    "![图](javascript:alert(1))",
    '![图](x" onerror="alert(1))',
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    '<http://example.com/" onmouseover="alert(1)>',
    "[参考][1]\n\n[1]: javascript:alert(1)",
    '[参考][x]\n\n[x]: data:text/html,<script>alert(1)</script> "标题"',
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "```\n<img src=x onerror=alert(1)>\n```",
    '<details open ontoggle="alert(1)">',
    '<a href="https://example.com" target="_blank" onclick="alert(1)">外链</a>',
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "| 表头 |\n| --- |\n| <script>alert(1)</script> |",
    "> <img src=x onerror=alert(1)>",
]

_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|file):", re.IGNORECASE)
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "srcdoc",
    "xlink:href",
    "background",
}
_DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "img",
    "video",
    "audio",
    "source",
    "details",
    "body",
    "frame",
    "frameset",
    "applet",
}


class _Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme(value):
    # Browsers ignore whitespace and control characters inside a scheme.
    return re.sub(r"[\x00-\x20]", "", value or "")


def assert_inert(html, allowed_tags=frozenset(ALLOWED_TAGS)):
    """No element or attribute in `html` can run script, whatever the text around it says."""
    assert "<script" not in html.lower()
    for tag, attrs in _Tags(html).tags:
        assert tag in allowed_tags, (tag, html)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (name, html)
            assert name.lower() not in ("style", "srcdoc"), (name, html)
            if name.lower() in _URL_ATTRIBUTES:
                assert not _BAD_SCHEME.match(_scheme(value)), (name, value, html)


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 25


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_inert(payload):
    html = str(render_markdown(payload))
    assert_inert(html)
    assert not re.search(r"<a [^>]*href=\"\s*javascript:", html, re.IGNORECASE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_inside_chinese_prose_is_inert(payload):
    html = str(render_markdown(f"接到电话先核实。\n\n{payload}\n\n- 保留录音 {payload}"))
    assert_inert(html)
    assert "接到电话先核实。" in html


def test_ordinary_markdown_still_works():
    html = str(render_markdown("**重点**和*提示*\n\n- 一\n- 二\n\n[官网](https://example.com/)"))
    assert "<strong>重点</strong>" in html
    assert "<em>提示</em>" in html
    assert "<li>一</li>" in html
    assert '<a href="https://example.com/" rel="nofollow noopener noreferrer">官网</a>' in html


def test_phone_and_mail_links_are_allowed():
    html = str(render_markdown("[客服](tel:95384) <kefu@example.com>"))
    assert 'href="tel:95384"' in html
    assert "mailto:" in html


def test_headings_move_below_the_section_heading():
    html = str(render_markdown("# 一级\n\n## 二级\n\n### 三级\n\n标题\n===\n\n###### 六级"))
    assert "<h3>一级</h3>" in html
    assert "<h4>二级</h4>" in html
    assert "<h5>三级</h5>" in html
    assert "<h3>标题</h3>" in html
    assert "<h6>六级</h6>" in html
    assert "<h1" not in html and "<h2" not in html


def test_body_headings_never_skip_a_level():
    html = str(render_markdown("### 1. 先核实\n\n正文\n\n##### 1.1 细节\n\n### 2. 再协商"))
    assert "<h3>1. 先核实</h3>" in html
    assert "<h4>1.1 细节</h4>" in html
    assert "<h3>2. 再协商</h3>" in html


def test_html_comments_are_editors_notes_not_prose():
    html = str(render_markdown("正文<!-- 编辑备注：待核实 -->继续\n\n<!-- section: coping -->"))
    assert "编辑备注" not in html
    assert "section:" not in html
    assert "正文继续" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = str(render_markdown('<b onclick="x">粗</b>'))
    assert "&lt;b" in html
    assert "<b" not in html


def test_very_long_source_is_cut_not_crashed():
    html = str(render_markdown("催" * 200_000))
    assert 90_000 < len(html) < 110_000


@pytest.mark.django_db
def test_payloads_are_inert_on_the_article_page(client):
    article = make_article(
        title='<script>alert("title")</script>标题',
        summary='<img src=x onerror=alert("summary")>摘要',
        sections=[("other", f"小标题{i}<script>", payload) for i, payload in enumerate(PAYLOADS)],
    )
    with translation.override("zh-hans"):
        url = article.get_absolute_url()
    for prefix in ("", "/zh-hant"):
        response = client.get(prefix + url)
        assert response.status_code == 200
        html = response.content.decode()
        body = html[html.index('<div class="article-body">') : html.index('id="feedback"')]
        assert_inert(
            body, allowed_tags=frozenset(ALLOWED_TAGS) | {"div", "section", "h2", "p", "time"}
        )
        for tag, attrs in _Tags(html).tags:
            attrs = dict(attrs)
            assert not [name for name in attrs if name.lower().startswith("on")], (tag, attrs)
            if tag == "script":
                assert attrs.get("type") == "application/ld+json" or attrs.get(
                    "src", ""
                ).startswith("/static/")
            for name in _URL_ATTRIBUTES & set(attrs):
                assert not _BAD_SCHEME.match(_scheme(attrs[name])), (tag, attrs)
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.DOTALL)
        assert all("<" not in script for script in scripts)  # JSON-LD cannot close its element


# Bounded work: python-markdown walks from every `[` to the end of its paragraph when nothing
# closes it, so a body within the admin's 10,000 characters could hold a page for a minute.

LINKS = [
    "[官网](https://example.com/)",
    '[官网](https://example.com/ "标题")',
    "[官网](<https://example.com/a b>)",
    "[a [b] c](https://example.com/)",
    "[[注]](https://example.com/)",
    "[a](https://example.com/(x))",
    '[a](https://example.com/ "t)',
    '[a]("b',
    "[a][ref] 和 [ref]\n\n[ref]: https://example.com/r",
    "![图](https://example.com/x.png) ![图][ref]\n\n[ref]: https://example.com/y.png",
    "`[a](b)` 和 \\[a](b) 和 [a]",
    "    [a](https://example.com/)",
    "[未闭合 [a](https://example.com/) ] 后面",
]


def _stock_markdown(source):
    renderer = markdown.Markdown(extensions=["sane_lists", "tables", "nl2br"], output_format="html")
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return renderer.convert(source)


@pytest.mark.parametrize("source", LINKS)
def test_links_render_exactly_as_python_markdown_renders_them(source):
    assert _renderer().convert(source) == _stock_markdown(source)


def test_an_unclosed_title_stays_text_rather_than_a_link_that_swallows_the_line():
    # python-markdown itself makes this a link ending before it began, and drops " 后面".
    html = str(render_markdown('前面 [a]("b(c 后面'))
    assert "<a" not in html
    assert '[a]("b(c 后面' in html.replace("&quot;", '"')


HOSTILE_BODIES = {
    "open brackets": "[" * 10_000,
    "open image brackets": "![" * 5_000,
    "open link targets": "[a](" * 2_500,
}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", list(HOSTILE_BODIES))
def test_a_body_built_to_stall_markdown_is_shown_as_text_in_well_under_a_second(client, shape):
    body = HOSTILE_BODIES[shape]
    article = make_article("括号文章", sections=[("other", "正文", body)])
    started = time.perf_counter()
    response = client.get(article.get_absolute_url())
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert seconds < 1.0  # the old walk took from seconds to minutes
    assert body[:20] in response.content.decode().replace("&quot;", '"')


def _shown_headings(response):
    return re.findall(
        r'<section class="section[^"]*"[^>]*>\s*<h2[^>]*>(.*?)</h2>', response.content.decode()
    )


@pytest.mark.django_db
def test_an_article_of_twelve_thousand_sections_shows_its_first_forty(client):
    article = make_article("万段文章", sections=[])
    Section.objects.bulk_create(
        Section(article=article, kind="other", heading=f"第{i}段", body="正文。" * 100, order=i)
        for i in range(12_000)
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert _shown_headings(response) == [f"第{i}段" for i in range(40)]


@pytest.mark.django_db
def test_an_article_within_the_limits_is_shown_whole(client):
    sections = [("other", f"第{i}段", "字" * 1_500) for i in range(40)]  # 60,000 characters
    article = make_article("满额文章", sections=sections)
    response = client.get(article.get_absolute_url())
    assert len(_shown_headings(response)) == 40


@pytest.mark.django_db
def test_a_legacy_article_past_the_character_limit_shows_its_beginning(client):
    sections = [("other", f"第{i}段", "字" * 400) for i in range(5)]
    article = make_article("超长旧文章", sections=sections)
    with override_settings(KB_MAX_ARTICLE_CHARS=1_000):
        response = client.get(article.get_absolute_url())
    # The section that takes the text past the limit is the last one shown.
    assert _shown_headings(response) == ["第0段", "第1段", "第2段"]
