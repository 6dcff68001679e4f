"""`manage.py user add|passwd|role|disable|enable|list`: the accounts from the command line."""
from __future__ import annotations

import argparse
import getpass
import sys

from store.accounts import _engine, add_user, all_users, update_user
from store.passwords import random_password


def cli(args: argparse.Namespace) -> int:
    """`manage.py user add|passwd|role|disable|enable|list`."""
    from store.bootstrap import bootstrap

    engine = _engine()
    bootstrap(engine, load_samples=False)
    if args.action == "list":
        for u in all_users(engine):
            flags = " (khóa)" if u["disabled"] else ""
            print(f"{u['username']:<16} {u['role']:<7} {u['name']}{flags}  phạm vi: {','.join(u['agencies'] + u['units']) or '-'}")
        return 0
    if not args.username:
        print("Thiếu tên đăng nhập.", file=sys.stderr)
        return 2
    scope = [x.strip() for x in (args.scope or "").split(",") if x.strip()]
    agencies = [x for x in scope if not x.isdigit()]
    units = [x for x in scope if x.isdigit()]
    try:
        if args.action == "add":
            password = args.password or (getpass.getpass("Mật khẩu (bỏ trống để sinh ngẫu nhiên): ") if sys.stdin.isatty() else "") or random_password()
            add_user(args.username, args.name or args.username, args.role or "viewer", password, agencies, units, by="cli", engine=engine)
            if not args.password:
                print(f"Mật khẩu của {args.username}: {password}")
        elif args.action == "passwd":
            password = args.password or (getpass.getpass("Mật khẩu mới: ") if sys.stdin.isatty() else "") or random_password()
            update_user(args.username, by="cli", engine=engine, password=password)
            if not args.password:
                print(f"Mật khẩu mới của {args.username}: {password}")
        elif args.action == "role":
            values: dict = {}
            if args.role:
                values["role"] = args.role
            if args.scope is not None:
                values["agencies"], values["units"] = agencies, units
            update_user(args.username, by="cli", engine=engine, **values)
        elif args.action in ("disable", "enable"):
            update_user(args.username, by="cli", engine=engine, disabled=args.action == "disable")
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("Xong.")
    return 0
