"""System checks (run by `manage.py check`, `migrate`, `runserver` and every management
command): the installed Whoosh still has the private parts the engine reads, and every
section kind has its own bit in the index.

A Whoosh without those parts is an error: searches would fail. A version not tested here is
a warning: the engine falls back to Whoosh's public matcher where a posting list is not in
the format it knows, and tests/test_whoosh_internals.py says whether the fast path still
reads the same postings.
"""

from __future__ import annotations

from django.core import checks

from articles.models import Section

from . import layout, whoosh_internals


def register() -> None:
    checks.register(whoosh_version)
    checks.register(section_kind_bits)


def whoosh_version(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    missing, untested = whoosh_internals.problems()
    found: list[checks.CheckMessage] = [
        checks.Error(
            f"安装的 Whoosh 缺少搜索引擎要读的内部接口：{name}",
            hint="安装 pyproject.toml 指定的 Whoosh 版本（whoosh==2.7.4）",
            id="articles.E001",
        )
        for name in missing
    ]
    found += [
        checks.Warning(
            f"没有测试过的 Whoosh 版本：{note}",
            hint="运行 pytest tests/test_whoosh_internals.py 确认读取倒排表的快速路径结果不变",
            id="articles.W001",
        )
        for note in untested
    ]
    return found


def section_kind_bits(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(problem, hint="在 KIND_BITS 里给它一个未用的位", id="articles.E002")
        for problem in layout.problems(Section.Kind.values, layout.KIND_BITS)
    ]
