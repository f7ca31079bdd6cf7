"""Every main page, cold: under 100 KB transferred, nothing broken, nothing from elsewhere."""

import json

import pytest

from .helpers import ARTIFACTS, MAIN_PAGES, VARIANT_PREFIXES, page_url

pytestmark = pytest.mark.browser

BUDGET_BYTES = 100 * 1024


def _transferred(responses) -> int:
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


@pytest.mark.parametrize("variant", VARIANT_PREFIXES)
def test_each_page_stays_under_100_kb_with_every_request_local(site, new_context, variant):
    weights, broken, offsite = {}, [], []
    for name in MAIN_PAGES:
        context = new_context()  # an empty cache, like a first visit
        responses = []
        context.on("response", lambda response, seen=responses: seen.append(response))
        page = context.new_page()
        page.goto(page_url(name, variant), wait_until="load")
        weights[name] = _transferred(responses)
        for response in responses:
            wanted = (
                404 if name == "not-found" and response.request.is_navigation_request() else 200
            )
            if response.status not in (wanted, 204, 301, 302, 304):
                broken.append(f"{variant} {name}: {response.status} {response.url}")
        offsite += context.request_log.offsite()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"page-weight-{variant}.json").write_text(json.dumps(weights, indent=1))

    assert not offsite, offsite
    assert not broken, broken
    assert not {name: size for name, size in weights.items() if size >= BUDGET_BYTES}, weights
