"""Several editors saving at once on SQLite: every save waits its turn and lands.

Real OS processes against a file database of their own (the test database may live in
memory, where SQLite's locking is different), each saving through the ORM the way the
admin does: read the article, then write it and a section, in one transaction.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="SQLite only (DATABASE_URL is set)"
)

BASE_DIR = Path(settings.BASE_DIR)
WRITERS = 3
SECONDS = 2.5

# One editor: wait for the start signal, then save for SECONDS. Each save reads the shared
# article's save counter, adds a section and writes the counter back, all in one transaction,
# so a save that is lost or fails shows in the counter, the section count or the errors.
SAVER = """
import json, os, sys, time
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
django.setup()
from django.db import transaction
from articles.models import Article, Section

name, go, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.005)
saved, errors = 0, []
until = time.monotonic() + seconds
while time.monotonic() < until:
    try:
        with transaction.atomic():
            article = Article.objects.get(slug="shared")
            order = article.sections.count()
            Section.objects.create(
                article=article, kind="other", heading=f"{name} 第{saved}次", body="正文。",
                order=order,
            )
            article.summary = str(int(article.summary) + 1)
            article.save()
        saved += 1
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"saved": saved, "errors": errors}), flush=True)
"""

SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
django.setup()
from articles.models import Article
Article.objects.create(title="多人同时编辑的文章", slug="shared", summary="0", status="draft")
"""

COUNT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
django.setup()
from articles.models import Article
article = Article.objects.get(slug="shared")
print(json.dumps({"counter": int(article.summary), "sections": article.sections.count()}))
"""


def _env(data_dir: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(KB_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kb.settings")
    return env


def _python(env, *args, **kw):
    result = subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, **kw
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def shared_article(tmp_path):
    env = _env(tmp_path / "data")
    _python(env, "manage.py", "migrate", "--noinput", timeout=300)
    _python(env, "-c", SETUP, timeout=120)
    return env


def _save_at_once(env, workdir: Path) -> list[dict]:
    go = workdir / "go"
    logs = [workdir / f"writer-{n}.log" for n in range(WRITERS)]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, f"编辑{n}", str(go), str(SECONDS)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        for n, log in enumerate(logs)
    ]
    try:
        for writer, log in zip(writers, logs, strict=True):
            assert writer.stdout.readline().strip() == "ready", log.read_text()[-3000:]
        go.touch()
        reports = []
        for writer, log in zip(writers, logs, strict=True):
            out, _ = writer.communicate(timeout=120)
            assert writer.returncode == 0, log.read_text()[-3000:]
            reports.append(json.loads(out.strip().splitlines()[-1]))
        return reports
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()


def test_editors_saving_at_once_on_sqlite_lose_nothing_and_see_no_error(shared_article, tmp_path):
    reports = _save_at_once(shared_article, tmp_path)
    errors = [error for report in reports for error in report["errors"]]
    saved = sum(report["saved"] for report in reports)
    assert errors == [], f"{len(errors)} failed saves against {saved} landed: {errors[:3]}"
    assert all(report["saved"] > 0 for report in reports), reports
    final = json.loads(_python(shared_article, "-c", COUNT, timeout=120))
    assert final == {"counter": saved, "sections": saved}
