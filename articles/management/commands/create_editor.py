import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.editors import EDITOR_GROUP, REVIEWER_GROUP, make_editor, user_exists


class Command(BaseCommand):
    help = (
        f"创建一个编辑账号（可登录后台、属于“{EDITOR_GROUP}”组、不能管理用户），并提示输入密码；"
        f"加 --reviewer 则同时给审核人角色（“{REVIEWER_GROUP}”组：可以发布文章）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录用的用户名")
        parser.add_argument(
            "--reviewer",
            action="store_true",
            help="同时设为审核人：可以发布、退回文章，登录时必须使用两步验证",
        )

    def handle(self, *args, username, reviewer, **options):
        password = None
        if not user_exists(username):
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再输入一次密码："):
                raise CommandError("两次输入的密码不一致，没有创建账号。")
        try:
            user, created = make_editor(username, password, reviewer=reviewer)
        except ValidationError as exc:
            raise CommandError("没有创建账号：" + "".join(exc.messages)) from exc
        verb = "已创建" if created else "已把现有用户设为"
        role = "审核人（编辑 + 审核）" if reviewer else "编辑"
        line = f"{verb}{role}账号 {user.username}，请打开 /admin/ 登录。"
        if reviewer:
            line += "审核人登录时必须使用两步验证：第一次登录会要求用手机验证器设置。"
        self.stdout.write(line)
