"""The Nu HTML Checker finds no error in the main pages as served, in both scripts."""

import json
import shutil
import subprocess

import pytest

from .helpers import MAIN_PAGES, VARIANT_PREFIXES, VNU_JAR, page_url

pytestmark = pytest.mark.browser


def test_main_pages_are_valid_html(site, tmp_path):
    if not VNU_JAR.exists():
        pytest.skip(f"{VNU_JAR} is missing: `make test-deps` runs npm install")
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH: the Nu HTML Checker needs Java 11 or newer")
    files = []
    for variant in VARIANT_PREFIXES:
        for name in MAIN_PAGES:
            status, html = site.fetch(page_url(name, variant))
            assert status == (404 if name == "not-found" else 200), (variant, name)
            path = tmp_path / f"{variant}-{name}.html"
            path.write_bytes(html)
            files.append(str(path))
    # One JVM for every file: it takes seconds to start.
    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = checked.stdout.strip() or checked.stderr.strip()
    try:
        report = json.loads(output)
    except ValueError:
        pytest.fail(f"the Nu checker gave no report (exit {checked.returncode}): {output[-2000:]}")
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine', '?')}: {message['message']}"
        for message in report["messages"]
        if message["type"] != "info"
    ]
    assert not errors, "\n".join(errors)
