"""Command line for the same operations the app offers: init, import, rollback, samples, users, bench.

    python manage.py init [--no-samples] [--province CODE]
    python manage.py import FILE [--unit UNIT] [--period YYYY|YYYY-YYYY] [--dry-run] [--json] [--user NAME]
                             [--accept-targets all|1,3,5]   (FILE: .xlsx, or a plan as .docx / .pdf)
    python manage.py rollback BATCH_ID [--user NAME]

--user: the import or rollback is written, scoped and audited as this user (an editor only inside their
scope, a viewer not at all, a rollback an admin's only); without it, as the oldest enabled admin.
    python manage.py batches
    python manage.py alias add "Sở NV" --agency SNV [--user NAME] | alias list [--json] | alias remove ID
    python manage.py bench [--rows N] [--quick] [--load]
    python manage.py brief --scope province|district|agency [--code 365] [--period 2025-Q2] [--current-map]
                           [--pin ID] --out FILE.pptx
    python manage.py bench --scales [1,4,34]
    python manage.py national [--provinces N] [--database URL] [--seed S] [--user NAME] [--no-prepare]

Exit codes: 0 ok, 1 the input has errors, 2 wrong usage.
"""
from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from pathlib import Path

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors; keep that, print in one line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: lỗi: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _period(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(20\d\d)(?:\s*-\s*(20\d\d))?", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"thời kỳ không hợp lệ: {text!r} (ví dụ 2023 hoặc 2021-2025)")
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise argparse.ArgumentTypeError(f"thời kỳ không hợp lệ: {text!r}")
    return a, b


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    p = _Parser(prog="manage.py", description="Quản trị dữ liệu CCHC")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    init = sub.add_parser("init", help="tạo/nâng cấp cơ sở dữ liệu, nạp dữ liệu tham chiếu và dữ liệu mẫu")
    init.add_argument("--no-samples", action="store_true")
    init.add_argument("--province", help="mã tỉnh trên bản đồ từ 01/07/2025 mà hệ thống phục vụ (mặc định "
                                         "CCHC_PROVINCE, hoặc 37 – Ninh Bình); tỉnh khác được dựng từ gói vietnamadminunits")
    imp = sub.add_parser("import", help="nhập một tệp Excel, hoặc một kế hoạch dạng Word (.docx) / PDF")
    imp.add_argument("file")
    imp.add_argument("--unit", help="mã hoặc tên đơn vị ban hành (ghi đè khối tiêu đề)")
    imp.add_argument("--period", type=_period, help="YYYY hoặc YYYY-YYYY (ghi đè khối tiêu đề)")
    imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    imp.add_argument("--json", action="store_true", help="in đúng một đối tượng JSON")
    imp.add_argument("--user", default=None,
                     help="ghi với tên và phạm vi của người dùng này (mặc định: tài khoản quản trị lâu nhất còn hoạt động)")
    imp.add_argument("--accept-targets", type=_accept, default=None,
                     help="xác nhận các chỉ tiêu đề xuất từ văn bản: all, hoặc số thứ tự (từ 1) trong danh sách targets")
    rb = sub.add_parser("rollback", help="hoàn tác một lô nhập")
    rb.add_argument("batch_id", type=int)
    rb.add_argument("--user", default=None, help="người hoàn tác, phải là quản trị viên (mặc định như import)")
    sub.add_parser("batches", help="liệt kê các lô đã nhập")
    alias = sub.add_parser("alias", help="tên gọi khác và cách đọc bảng đã ghi nhận (cơ quan, đơn vị, trạng thái, cột)")
    alias.add_argument("action", choices=["add", "list", "remove"])
    alias.add_argument("text", nargs="?", help="add: cách ghi trong tệp (vd «Sở NV»); remove: số của tên gọi (alias list)")
    target = alias.add_mutually_exclusive_group()
    target.add_argument("--agency", help="mã cơ quan mà cách ghi này chỉ (vd SNV)")
    target.add_argument("--unit", help="mã đơn vị hành chính (vd 356)")
    target.add_argument("--status", help="mã trạng thái: not_started, in_progress, done, done_late")
    target.add_argument("--field", help="trường của cột có tiêu đề này (vd output), cùng --sheet-kind")
    alias.add_argument("--sheet-kind", help="loại trang của cột: plan_tasks, progress, indicator_catalogue, "
                                             "indicator_values, par_scores")
    alias.add_argument("--user", default=None, help="ghi với tên và phạm vi của người dùng này (như import)")
    alias.add_argument("--json", action="store_true", help="in đúng một đối tượng JSON")
    alias.add_argument("--all", action="store_true", help="list: cả những tên gọi đã gỡ")
    bench = sub.add_parser("bench", help="đo hiệu năng (tỷ lệ so với mốc đo trong cùng lần chạy)")
    bench.add_argument("--rows", type=int, default=100_000)
    bench.add_argument("--quick", action="store_true", help="ít lần lặp hơn")
    bench.add_argument("--load", action="store_true",
                       help="đo tải máy chủ thật qua websocket: 10, 25, 50 người xem, 1 và 2 tiến trình (loadtest/)")
    sub.add_parser("samples", help="tạo lại các tệp mẫu trong data/samples")
    user = sub.add_parser("user", help="quản lý người dùng")
    user.add_argument("action", choices=["add", "passwd", "role", "disable", "enable", "list"])
    user.add_argument("username", nargs="?")
    user.add_argument("--name")
    user.add_argument("--role", choices=["admin", "editor", "viewer"])
    user.add_argument("--scope", help="mã cơ quan/đơn vị, cách nhau bởi dấu phẩy (biên tập viên)")
    user.add_argument("--password", help="mật khẩu (bỏ trống để nhập hoặc sinh ngẫu nhiên)")
    brief = sub.add_parser("brief", help="xuất bản tin PowerPoint cho cuộc họp (cùng nội dung trang Trình chiếu)")
    brief.add_argument("--scope", choices=["province", "district", "agency"], default="province")
    brief.add_argument("--code", help="mã huyện (district, vd 365) hoặc mã cơ quan (agency, vd STP)")
    brief.add_argument("--period", type=_quarter, help="quý, vd 2025-Q2 (mặc định: quý mới nhất có số liệu)")
    brief.add_argument("--current-map", action="store_true",
                       help="theo địa giới hiện nay (như nút «Theo địa giới hiện nay» của trang Trình chiếu)")
    brief.add_argument("--pin", type=int, help="số liệu đã chốt tại một cuộc họp (số của lần chốt, xem «pin list»)")
    brief.add_argument("--out", required=True, help="tệp .pptx sẽ ghi")
    pin = sub.add_parser("pin", help="chốt số liệu đã trình bày tại một cuộc họp (giữ nguyên, không bị xóa), liệt kê, bỏ chốt")
    pin.add_argument("action", choices=["add", "list", "remove"])
    pin.add_argument("id", nargs="?", type=int, help="số của lần chốt (remove)")
    pin.add_argument("--name", help="tên cuộc họp (add), vd \"Giao ban CCHC Quý III/2026\"")
    pin.add_argument("--date", type=_day, help="ngày trình bày dd/mm/yyyy (add; mặc định: hôm nay)")
    pin.add_argument("--user", help="chốt/bỏ chốt với tư cách người dùng này (mặc định: quản trị viên)")
    pin.add_argument("--all", action="store_true", help="cả những lần đã bỏ chốt (list)")
    bench.add_argument("--scales", nargs="?", const="1,4,34", default=None, metavar="1,4,34",
                       help="bảng theo quy mô (số tỉnh): số liệu, thời gian nạp, bộ nhớ, lần xem đầu (bench_scale.py)")
    nat = sub.add_parser("national", help="tạo và nạp bộ số liệu toàn quốc tất định (34 tỉnh, 3.321 xã, bản đồ 2025)")
    nat.add_argument("--provinces", type=int, default=None, help="số tỉnh (mặc định: cả 34; tỉnh phục vụ trước)")
    nat.add_argument("--database", default=None, help="URL cơ sở dữ liệu (mặc định DATABASE_URL hoặc SQLite)")
    nat.add_argument("--seed", type=int, default=None, help="hạt giống (cùng hạt giống → cùng dữ liệu từng byte)")
    nat.add_argument("--user", default=None, help="quản trị viên ghi lô này (mặc định như import)")
    nat.add_argument("--no-prepare", action="store_true", help="không chuẩn bị dữ liệu xem sau khi nạp")
    return p


def _day(text: str):  # noqa: ANN202 - a date
    from datetime import datetime  # lazy: each command loads only what it needs (start-up of the CLI)

    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (ví dụ 15/12/2026)") from None


def _accept(text: str) -> str | frozenset[int]:
    if text.strip().lower() == "all":
        return "all"
    try:
        picks = frozenset(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"danh sách không hợp lệ: {text!r} (ví dụ all hoặc 1,3,5)") from None
    if not picks or min(picks) < 1:
        raise argparse.ArgumentTypeError(f"danh sách không hợp lệ: {text!r}")
    return picks


def _quarter(text: str) -> tuple[int, int]:
    from formats import parse_quarter_key  # lazy: each command loads only what it needs (start-up of the CLI)

    try:
        return parse_quarter_key(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"quý không hợp lệ: {text!r} (ví dụ 2025-Q2)") from None


def cmd_init(args: argparse.Namespace) -> int:
    import settings  # lazy: each command loads only what it needs (start-up of the CLI)
    from service.bootstrap import bootstrap  # lazy: as above

    if args.province:
        settings.override("CCHC_PROVINCE", args.province.strip())
    if not build_reference_if_missing(print):
        return EXIT_ERRORS
    # the sample workbooks are Nam Định's (the committed province's history); another province starts empty
    other = settings.province() != settings.committed_province()
    try:
        report = bootstrap(load_samples=False if (args.no_samples or other) else None, echo=print)
    except RuntimeError as exc:  # the database already serves another province
        print(exc, file=sys.stderr)
        return EXIT_ERRORS
    print(json.dumps(report, ensure_ascii=False))
    return EXIT_OK


def build_reference_if_missing(echo) -> bool:  # noqa: ANN001 - a print-like callable
    """Build the reference tables of the province served when they are not there yet (needs vietnamadminunits,
    pinned in requirements-build.txt); False with the reason printed when that is impossible."""
    import subprocess  # lazy: start-up of the CLI

    import settings  # lazy: as above
    from catalogue import message  # lazy: as above

    folder = settings.reference_dir()
    if (folder / "units.csv").exists():
        return True
    script = Path(__file__).resolve().parent / "scripts" / "build_reference.py"
    run = subprocess.run([sys.executable, str(script), "--province", settings.province(), "--out", str(folder)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        echo(message("reference_missing", province=settings.province(), folder=folder))
        echo(run.stderr.strip() or run.stdout.strip())
        return False
    echo(run.stdout.strip())
    return True


def cmd_import(args: argparse.Namespace) -> int:
    from loaders.parse import Options  # lazy: each command loads only what it needs (start-up of the CLI)
    from service import imports  # lazy: as above
    from store.db import shared_engine  # lazy: as above

    options = Options(unit=args.unit, period=args.period)
    path = Path(args.file)
    if not path.exists():
        return _usage_error(args, f"Không tìm thấy tệp {args.file}")
    engine = shared_engine()
    try:
        username, scope = _writer(engine, args.user)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    if args.dry_run:  # the upload page's validation: parsed, then matched against the store, as the user
        return _dry_run(args, imports.dry_run(engine, path, path.name, user=username, scope=scope, options=options,
                                              via="cli"))
    picks = args.accept_targets
    accept = None if picks is None else (
        lambda props: props if picks == "all" else [p for i, p in enumerate(props, 1) if i in picks])
    # one transaction, audited as the user "via cli", then the views' data for the new version is prepared
    res = imports.import_file(engine, path, path.name, user=username, scope=scope, options=options, via="cli",
                              accept_targets=accept)
    if args.json:
        from analytics.rankings import rank_table  # lazy: a command loads its modules only when it runs

        out = res.parse.as_json(rank_table=rank_table)
        out["ok"] = res.status == "imported"
        out["errors"] = [p.as_dict() for p in res.errors]
        out["batch_id"] = res.batch_id
        out["counts"] = res.counts
        print(json.dumps(out, ensure_ascii=False))
    else:
        _print_problems(res.problems)
        print(f"{res.status}: lô #{res.batch_id} {res.counts}" if res.batch_id else f"{res.status}: không ghi gì.")
    return EXIT_OK if res.status == "imported" else EXIT_ERRORS


def _dry_run(args: argparse.Namespace, rehearsal) -> int:  # noqa: ANN001 - a service.imports.Rehearsal
    """`import --dry-run`: the same validation as the upload page (service.dry_run: rehearsed and rolled back),
    every error in one pass, nothing written."""
    res = rehearsal.result
    result = res.parse
    if args.json:
        print(json.dumps(dry_run_json(res), ensure_ascii=False))
    else:
        _print_problems(res.problems)
        for q in res.questions:
            print(f"[hỏi] {q.sheet} dòng {q.row or ''}: «{q.text}» ({q.kind}) → "
                  + "; ".join(f"{c.code} {c.label}" for c in q.candidates[:3]) + "  (manage.py alias add)")
        print(f"{'Hợp lệ' if res.ok else 'Có lỗi'}: {len(result.outputs)} sản phẩm, "
              f"{sum(len(f) for f in result.frames.values())} dòng số liệu"
              + (f", {len(result.targets)} chỉ tiêu đề xuất từ văn bản (chưa ghi; --accept-targets để xác nhận)." if result.targets else "."))
    return EXIT_OK if res.ok else EXIT_ERRORS


def dry_run_json(res) -> dict:  # noqa: ANN001 - a store.importer.ImportResult
    """The dry-run contract: the parse's JSON, with the errors and warnings of matching and scope added."""
    from analytics.rankings import rank_table  # lazy: a command loads its modules only when it runs

    out = res.parse.as_json(rank_table=rank_table)
    out["ok"] = res.ok
    out["errors"] = [p.as_dict() for p in res.errors]
    out["warnings"] = [p.as_dict() for p in res.problems if p.severity == "warning"]
    out["questions"] = [q.as_json() for q in res.questions]
    return out


def _print_problems(problems: list) -> None:
    for p in problems:
        where = " ".join(x for x in (p.sheet, f"dòng {p.row}" if p.row else "", f"cột {p.column}" if p.column else "") if x)
        print(f"[{'LỖI' if p.severity == 'error' else 'cảnh báo'}] {where}: {p.message}")


def _usage_error(args: argparse.Namespace, msg: str) -> int:
    """Say why the command cannot run (one JSON object with --json) and return the usage exit code."""
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "plan": {"unit": None, "period": None, "title": None}, "sheets": [],
                          "tasks": [], "errors": [{"sheet": "(tệp)", "row": None, "column": None, "message": msg}],
                          "warnings": [], "targets": [], "columns": {}, "progress": [], "values": [], "scores": [],
                          "questions": []}, ensure_ascii=False))
    else:
        print(msg, file=sys.stderr)
    return EXIT_USAGE


def _writer(engine, name: str | None):  # noqa: ANN001, ANN202
    """(user name, Scope) the command line writes as; ValueError (Vietnamese) for an unknown or disabled user."""
    from store.accounts import default_writer, ensure_admin, writer_scope  # lazy: start-up of the CLI

    ensure_admin(engine, echo=lambda m: print(m, file=sys.stderr))  # a first run: the admin (stdout keeps the JSON)
    username = (name or "").strip().lower() or default_writer(engine)
    return username, writer_scope(username, engine)


def cmd_rollback(args: argparse.Namespace) -> int:
    from service import imports  # lazy: start-up of the CLI
    from store.db import shared_engine  # lazy: as above

    engine = shared_engine()
    try:
        username, scope = _writer(engine, args.user)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    done = imports.rollback(engine, args.batch_id, username, scope=scope, via="cli")
    for e in done.errors:
        print(e, file=sys.stderr)
    if done.ok:
        print(f"Đã hoàn tác lô #{args.batch_id}.")
    return EXIT_OK if done.ok else EXIT_ERRORS


def cmd_alias(args: argparse.Namespace) -> int:
    """`alias add|list|remove`: the dry run's choices from the command line, scoped and audited like import."""
    from service import aliases  # lazy: start-up of the CLI
    from store.aliases import listing  # lazy: as above
    from store.db import shared_engine  # lazy: as above

    engine = shared_engine()
    if args.action == "list":
        frame = listing(engine, include_removed=args.all)
        if args.json:
            print(frame.astype(object).where(frame.notna(), None).to_json(orient="records", force_ascii=False, date_format="iso"))
        else:
            print(frame.to_string(index=False) if len(frame) else "Chưa có tên gọi khác nào được ghi nhận.")
        return EXIT_OK
    if not args.text:
        return _usage_error(args, "Thiếu cách ghi (add) hoặc số của tên gọi (remove).")
    try:
        username, scope = _writer(engine, args.user)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    if args.action == "remove":
        if not args.text.isdigit():
            return _usage_error(args, f"Số không hợp lệ: {args.text!r} (xem alias list)")
        done = aliases.remove_alias(engine, int(args.text), username, scope, via="cli")
    else:
        picks = [(k, v) for k, v in (("agency", args.agency), ("unit", args.unit), ("status", args.status),
                                     ("column", args.field)) if v]
        if not picks:
            return _usage_error(args, "Cần một trong --agency, --unit, --status, --field.")
        kind, target = picks[0]
        if kind == "column" and not args.sheet_kind:
            return _usage_error(args, "--field cần --sheet-kind.")
        choice = aliases.Choice(kind, args.text, target.strip(), args.sheet_kind if kind == "column" else None)
        done = aliases.add_aliases(engine, [choice], username, scope, via="cli", file_name="(manage.py alias)")
    messages, batch_id = done.messages, done.batch_id
    if args.json:
        print(json.dumps({"ok": not messages, "batch_id": batch_id, "errors": messages}, ensure_ascii=False))
    else:
        for m in messages:
            print(m, file=sys.stderr)
        if not messages:
            print(f"Đã ghi (lô #{batch_id}; hoàn tác: manage.py rollback {batch_id})." if batch_id else "Đã có sẵn, không ghi gì.")
    return EXIT_ERRORS if messages else EXIT_OK


def cmd_batches(_args: argparse.Namespace) -> int:
    from store.db import shared_engine  # lazy: start-up of the CLI
    from store.queries import batches  # lazy: as above

    print(batches(shared_engine()).to_string(index=False))
    return EXIT_OK


def cmd_samples(_args: argparse.Namespace) -> int:
    from scripts.make_samples import main as make  # lazy: start-up of the CLI

    return make([])


def cmd_bench(args: argparse.Namespace) -> int:
    if args.load:
        from loadtest.run import main as load  # lazy: start-up of the CLI

        return load([], quick=args.quick)
    if args.scales:
        from bench_scale import run_scales  # lazy: start-up of the CLI

        return run_scales(args.scales, quick=args.quick)
    from bench import run  # lazy: start-up of the CLI

    return run(rows=args.rows, quick=args.quick)


def cmd_user(args: argparse.Namespace) -> int:
    """`user add|passwd|role|disable|enable|list`: the accounts from the command line, changed by "cli"."""
    from service import users  # lazy: start-up of the CLI
    from service.bootstrap import bootstrap  # lazy: as above
    from store.accounts import all_users  # lazy: as above
    from store.db import shared_engine  # lazy: as above

    engine = shared_engine()
    bootstrap(engine, load_samples=False)
    if args.action == "list":
        for u in all_users(engine):
            flags = " (khóa)" if u["disabled"] else ""
            print(f"{u['username']:<16} {u['role']:<7} {u['name']}{flags}  phạm vi: {','.join(u['agencies'] + u['units']) or '-'}")
        return EXIT_OK
    if not args.username:
        print("Thiếu tên đăng nhập.", file=sys.stderr)
        return EXIT_USAGE
    scope = [x.strip() for x in (args.scope or "").split(",") if x.strip()]
    agencies = [x for x in scope if not x.isdigit()]
    units = [x for x in scope if x.isdigit()]
    try:
        if args.action in ("add", "passwd"):
            prompt = "Mật khẩu (bỏ trống để sinh ngẫu nhiên): " if args.action == "add" else "Mật khẩu mới: "
            given = args.password or (getpass.getpass(prompt) if sys.stdin.isatty() else "") or None
            if args.action == "add":
                password = users.add_user(engine, args.username, args.name or args.username, args.role or "viewer",
                                          by="cli", password=given, agencies=agencies, units=units)
            else:
                password = users.set_password(engine, args.username, by="cli", password=given)
            if not args.password:
                print(f"Mật khẩu {'của' if args.action == 'add' else 'mới của'} {args.username}: {password}")
        elif args.action == "role":
            users.change_role(engine, args.username, by="cli", role=args.role,
                              agencies=agencies if args.scope is not None else None,
                              units=units if args.scope is not None else None)
        elif args.action in ("disable", "enable"):
            users.set_disabled(engine, args.username, by="cli", disabled=args.action == "disable")
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    print("Xong.")
    return EXIT_OK


def cmd_brief(args: argparse.Namespace) -> int:
    from analytics.meeting import DeckError  # lazy: each command loads only what it needs (start-up of the CLI)
    from service import briefs  # lazy: each command loads only what it needs (start-up of the CLI)
    from store.db import shared_engine  # lazy: each command loads only what it needs (start-up of the CLI)

    if args.scope != "province" and not args.code:
        print(f"--scope {args.scope} cần --code (mã huyện hoặc mã cơ quan)", file=sys.stderr)
        return EXIT_USAGE
    engine = shared_engine()
    try:
        view = briefs.view_data(engine, args.pin)
    except LookupError:
        print(f"Không có lần chốt số liệu #{args.pin} (hoặc đã bỏ chốt).", file=sys.stderr)
        return EXIT_USAGE
    period = args.period or view.facts()[0]
    if period is None:
        print("Chưa có số liệu tiến độ nào: hãy nhập dữ liệu trước.", file=sys.stderr)
        return EXIT_ERRORS
    try:
        deck, data = briefs.brief(briefs.inputs(view, period[0], period[1], args.current_map), args.scope, args.code)
    except DeckError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    Path(args.out).write_bytes(data)
    print(f"Đã ghi {args.out}: {deck.scope_label}, {deck.period_label}, {len(deck.slides)} trang nội dung.")
    return EXIT_OK


def cmd_pin(args: argparse.Namespace) -> int:
    """`pin add|list|remove`: the Trình chiếu page's "Chốt số liệu đã trình bày" from the command line (audited)."""
    import settings  # lazy: each command loads only what it needs (start-up of the CLI)
    from formats import fmt_date  # lazy: each command loads only what it needs (start-up of the CLI)
    from store import pins  # lazy: each command loads only what it needs (start-up of the CLI)
    from store.db import shared_engine  # lazy: each command loads only what it needs (start-up of the CLI)

    engine = shared_engine()
    if args.action == "list":
        rows = pins.pins(engine, include_unpinned=args.all)
        for x in rows:
            state = f" · bỏ chốt bởi {x.unpinned_by}" if x.unpinned_at else ""
            print(f"#{x.id}  {fmt_date(x.presented_on)}  {x.name}  (phiên bản {x.data_version}, {x.created_by}){state}")
        if not rows:
            print("Chưa có lần chốt số liệu nào.")
        return EXIT_OK
    try:
        username, scope = _writer(engine, args.user)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    try:
        if args.action == "add":
            if scope.read_only:
                return _usage_error(args, f"Người dùng «{username}» chỉ được xem, không được chốt số liệu.")
            pin_id = pins.pin(engine, args.name or "", args.date or settings.today(), username)
            print(f"Đã chốt số liệu #{pin_id}. Mở: /trinh-chieu?pin={pin_id}")
            return EXIT_OK
        if args.id is None:
            return _usage_error(args, "Thiếu số của lần chốt cần bỏ.")
        pins.unpin(engine, args.id, username, is_admin=scope.is_admin)
        print(f"Đã bỏ chốt số liệu #{args.id}.")
        return EXIT_OK
    except pins.PinError as exc:
        return _usage_error(args, str(exc))


def cmd_national(args: argparse.Namespace) -> int:
    """`national`: generate the national dataset (samples.national) and bulk-load it (store.bulk) as one audited
    batch; `manage.py rollback` undoes it."""

    from samples import national  # lazy: each command loads only what it needs (start-up of the CLI)
    from store.db import make_engine, shared_engine, upgrade  # lazy: as above
    from store.reference import ensure_reference  # lazy: as above

    if args.provinces is not None and not 1 <= args.provinces <= len(national.provinces_2025()):
        return _usage_error(args, f"--provinces phải từ 1 đến {len(national.provinces_2025())}")
    engine = make_engine(args.database) if args.database else shared_engine()
    upgrade(engine)
    ensure_reference(engine)
    try:
        username, scope = _writer(engine, args.user)
    except ValueError as exc:
        return _usage_error(args, str(exc))
    if not scope.is_admin:
        return _usage_error(args, "Chỉ quản trị viên được nạp bộ số liệu toàn quốc.")
    provinces = national.pick(args.provinces)
    seed = national.SEED if args.seed is None else args.seed
    print(f"Tạo và nạp {len(provinces)} tỉnh, {sum(len(p.communes) for p in provinces)} xã, "
          f"{national.expected_rows(provinces)} số liệu …", flush=True)
    res = national.load(engine, provinces, user=username, seed=seed,
                        progress=lambda n: print(f"  … {n} dòng", flush=True))
    if res.status != "imported":
        for e in res.errors:
            print(e, file=sys.stderr)
        return EXIT_ERRORS
    print(f"imported: lô #{res.batch_id} {res.counts} trong {res.seconds['total']:.1f} s "
          f"(ghi {res.seconds['write']:.1f} s, thay thế {res.seconds['supersede']:.1f} s); sha256 {res.sha256}")
    if not args.no_prepare:
        from service.imports import refresh_after  # lazy: start-up of the CLI

        _view, took = refresh_after(engine, res.batch_id)
        print(f"Đã chuẩn bị dữ liệu xem trong {took:.1f} s.")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler = {"init": cmd_init, "import": cmd_import, "rollback": cmd_rollback, "batches": cmd_batches,
               "bench": cmd_bench, "alias": cmd_alias, "samples": cmd_samples, "user": cmd_user, "brief": cmd_brief,
               "pin": cmd_pin, "national": cmd_national}[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
