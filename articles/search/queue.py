"""The durable list of articles whose index entries must be brought up to date.

A row is written by the save that makes it necessary, in the same transaction (so it commits
or rolls back with the save), and deleted only after the index holds the article as it was
when the row was read. A process killed between the commit and the index write leaves the
row behind for the next drain: after the next save, at start-up, or `manage.py index_queue
--drain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from articles.models import IndexTask

Reason = IndexTask.Reason
BATCH = 400  # rows per statement: two parameters each, under SQLite's old limit of 999


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest: datetime | None
    failing: int  # rows whose last attempt failed

    def oldest_seconds(self, now: datetime | None = None) -> float | None:
        if self.oldest is None:
            return None
        return max(0.0, ((now or timezone.now()) - self.oldest).total_seconds())

    def describe(self) -> str:
        """One line for an operator: 待更新索引：3 篇，最早的已等 125 秒，其中 1 篇上次失败."""
        if not self.pending:
            return "待更新索引：0 篇"
        line = f"待更新索引：{self.pending} 篇，最早的已等 {self.oldest_seconds():.0f} 秒"
        return line + (f"，其中 {self.failing} 篇上次失败" if self.failing else "")


def add(pks, reason: str) -> None:
    """Queue these articles (a new request replaces the token of an old one)."""
    rows = [IndexTask(article_id=int(pk), reason=reason) for pk in set(pks)]
    if rows:
        IndexTask.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["article_id"],
            update_fields=["reason", "token"],
        )


def take(limit: int | None = BATCH) -> list[IndexTask]:
    """The oldest queued rows (all of them with `limit=None`), left in the table until `done`."""
    return list(IndexTask.objects.order_by("created_at", "id")[:limit])


def done(tasks) -> int:
    """Delete these rows unless the article was queued again since they were read."""
    tasks = list(tasks)
    deleted = 0
    for start in range(0, len(tasks), BATCH):
        chunk = tasks[start : start + BATCH]
        # Tokens are random: a row matches only if its token is still one that was read.
        deleted += IndexTask.objects.filter(
            pk__in=[t.pk for t in chunk], token__in=[t.token for t in chunk]
        ).delete()[0]
    return deleted


def failed(pks, error: BaseException) -> None:
    """Keep these articles queued (adding any that were not) and note why the update failed."""
    pks = sorted({int(pk) for pk in pks})
    tasks = IndexTask.objects
    message = f"{type(error).__name__}: {error}"[:300]
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        rows = [IndexTask(article_id=pk, reason=Reason.REQUESTED) for pk in chunk]
        tasks.bulk_create(rows, ignore_conflicts=True)
        tasks.filter(article_id__in=chunk).update(attempts=F("attempts") + 1, last_error=message)


def backlog(using: str = "default") -> Backlog:
    found = IndexTask.objects.aggregate(
        pending=Count("id"),
        oldest=Min("created_at"),
        failing=Count("id", filter=Q(attempts__gt=0)),
    )
    return Backlog(found["pending"], found["oldest"], found["failing"])
