"""What the browser tests share: where things are, the pages they visit, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

EDITOR_USERNAME = "browser-editor"
EDITOR_PASSWORD = "Shenhe-2026-bianji!"
# A reviewer (审核) publishes; their authenticator's secret is fixed so a test can type its code.
REVIEWER_USERNAME = "browser-reviewer"
REVIEWER_PASSWORD = "Fabu-2026-shenhe!"
REVIEWER_TOTP_KEY = "3132333435363738393031323334353637383930"


_last_step = [0]


def reviewer_code() -> str:
    """A code the reviewer's authenticator shows now or in the next 30 seconds (django-otp
    accepts one step either side). A code is accepted once only, so a second sign-in in the
    same 30 seconds takes the next step's; that allows two sign-ins per half minute."""
    from django_otp.oath import TOTP

    clock = TOTP(bytes.fromhex(REVIEWER_TOTP_KEY))
    now = clock.t()
    step = max(now, _last_step[0] + 1)
    _last_step[0] = step
    clock.drift = step - now
    return f"{clock.token():06d}"


# Demo content (articles/demo/) the tests read like a borrower would.
ARTICLE_SLUG = "weilidai-cuishou-laidian-shi-shei"
ARTICLE_TITLE_HANS = "微粒贷逾期后打来的电话，到底是谁在催收？"
ARTICLE_TITLE_HANT = "微粒貸逾期後打來的電話，到底是誰在催收？"
LENDER_SLUG = "weilidai"

# The main pages: each is checked by axe, the Nu checker, the weight budget and screenshots,
# in both scripts (the /zh-hant/ copy of each path).
MAIN_PAGES = {
    "home": "/",
    "article": f"/articles/{ARTICLE_SLUG}/",
    "article-table": "/articles/meituan-jieqian-lvshihan-shangmen-cuishou/",
    "lender": f"/lenders/{LENDER_SLUG}/",
    "lenders": "/lenders/",
    "search": "/search/?q=%E5%BE%AE%E7%B2%92%E8%B4%B7",  # 微粒贷
    "search-number": "/search/?q=%2B86+138-0013-8000",  # the answer card and the report form
    "number-listed": "/number/?n=95384",
    "number-unlisted": "/number/?n=13900000000",
    "scam-guide": "/guides/scam-calls/",
    "not-found": "/no-such-page/",
}
VARIANT_PREFIXES = {"zh-hans": "", "zh-hant": "/zh-hant"}


def page_url(name: str, variant: str = "zh-hans") -> str:
    """Path of one of MAIN_PAGES in a script variant."""
    return VARIANT_PREFIXES[variant] + MAIN_PAGES[name]


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under test-artifacts/screenshots/ (gitignored): the whole page, or
    (full_page=False) the screen the reader is looking at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
