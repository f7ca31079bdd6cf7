"""axe-core on the main pages in both scripts: no serious or critical violation."""

import pytest

from .helpers import AXE_JS, MAIN_PAGES, VARIANT_PREFIXES, page_url

pytestmark = pytest.mark.browser

_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


@pytest.mark.parametrize("variant", VARIANT_PREFIXES)
def test_axe_finds_no_serious_or_critical_violation(site, new_context, variant):
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: `make test-deps` runs npm install")
    # The site's CSP forbids inline scripts, and axe is injected as one.
    page = new_context(bypass_csp=True).new_page()
    problems, search_results = [], 0
    for name in MAIN_PAGES:
        response = page.goto(page_url(name, variant))
        assert response.status == (404 if name == "not-found" else 200), name
        if name == "search":
            search_results = page.locator("main a[href*='/articles/']").count()
        page.add_script_tag(path=str(AXE_JS))
        for violation in page.evaluate(_RUN_AXE):
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{variant} {name}: {violation}")
    assert not problems, "\n".join(problems)
    site.require_search_index()
    assert search_results, "the search page was checked without results"
