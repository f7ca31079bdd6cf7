"""Screenshots of every main page on a phone and a desktop, for a person to look at.

Saved to test-artifacts/screenshots/<variant>-<page>-<width>.png. While taking them, the
test checks what a borrower would notice first on a phone: nothing wider than the screen,
buttons and fields big enough to tap, and nothing jumping around as the page loads.
"""

import pytest

from .helpers import DESKTOP, MAIN_PAGES, PHONE, VARIANT_PREFIXES, page_url, screenshot

pytestmark = pytest.mark.browser

_LAYOUT = """() => {
  const root = document.documentElement;
  const small = [...document.querySelectorAll("button, input:not([type=hidden]), select, textarea")]
    .filter(el => el.offsetParent !== null)
    .map(el => [el.name || el.textContent.trim(), el.getBoundingClientRect()])
    .filter(([, box]) => box.height < 44 || box.width < 44)
    .map(([label, box]) => `${label} ${Math.round(box.width)}×${Math.round(box.height)}`);
  return {overflow: root.scrollWidth - root.clientWidth, small};
}"""

_LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 50);
})"""


@pytest.mark.parametrize("variant", VARIANT_PREFIXES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_fit_the_screen_and_are_saved_as_screenshots(new_context, variant, viewport):
    page = new_context(viewport=viewport).new_page()
    problems = []
    for name in MAIN_PAGES:
        page.goto(page_url(name, variant))
        layout = page.evaluate(_LAYOUT)
        if layout["overflow"] > 0:
            problems.append(f"{name}: {layout['overflow']}px wider than the screen")
        if viewport == PHONE and layout["small"]:
            problems.append(f"{name}: tap targets under 44px: {layout['small']}")
        shift = page.evaluate(_LAYOUT_SHIFT)
        if shift > 0.05:
            problems.append(f"{name}: layout shift {shift:.3f}")
        screenshot(page, f"{variant}-{name}-{viewport['width']}")
    assert not problems, "\n".join(problems)
