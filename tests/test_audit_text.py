"""The audit log in words: catalogue labels for actions and actors, details as sentences, scopes by name."""
from __future__ import annotations

import pytest

from components.audit_text import action_label, actor_label, describe, scope_text

AGENCIES = {"STP": "Sở Tư pháp", "SNV": "Sở Nội vụ"}
UNITS = {"365": "Huyện Giao Thủy"}
PEOPLE = {"hoa": "Nguyễn Thị Hoa", "admin": "admin"}


@pytest.mark.parametrize("code,expected", [
    ("login", "Đăng nhập"), ("login_failed", "Đăng nhập sai"), ("user_add", "Tạo tài khoản"),
    ("user_update", "Sửa tài khoản"), ("import", "Nhập dữ liệu"), ("rollback", "Hoàn tác lần nhập"),
    ("logout", "Đăng xuất"), ("sessions_revoked", "Thu hồi phiên đăng nhập"),
])
def test_actions_have_labels(code, expected):
    assert action_label(code) == expected


@pytest.mark.parametrize("who,expected", [
    ("system", "Hệ thống (khi cài đặt)"), ("cli", "Dòng lệnh trên máy chủ"), (None, "Hệ thống (khi cài đặt)"),
    ("hoa", "Nguyễn Thị Hoa (hoa)"), ("admin", "admin"), ("unknown", "unknown"),
])
def test_actors_have_labels(who, expected):
    assert actor_label(who, PEOPLE) == expected


@pytest.mark.parametrize("action,details,expected", [
    ("login", {"via": "password"}, "Đăng nhập bằng mật khẩu."),
    ("login_failed", {"attempts": 3, "locked": True}, "Sai mật khẩu lần thứ 3; tài khoản bị tạm khóa."),
    ("user_add", {"username": "hoa", "role": "editor", "agencies": ["STP"], "units": ["365"]},
     "Tạo tài khoản «hoa», vai trò Biên tập; phạm vi: Sở Tư pháp; Huyện Giao Thủy."),
    ("user_update", {"username": "hoa", "role": "viewer", "password": "x"},
     "Sửa tài khoản «hoa»: vai trò → Xem; mật khẩu → đã đổi."),
    ("user_update", {"username": "hoa", "disabled": "True"}, "Sửa tài khoản «hoa»: khóa tài khoản → có."),
    ("import", {"batch_id": 4, "file": "04_tien_do.xlsx", "sha256": "ab", "counts": {"progress_reports": 3638},
                "via": "cli"},
     "Nhập tệp «04_tien_do.xlsx» (lần nhập số 4) bằng dòng lệnh trên máy chủ: 3.638 báo cáo tiến độ."),
    ("rollback", {"batch_id": 7, "file": "a.xlsx", "via": "app"}, "Hoàn tác lần nhập số 7 (tệp «a.xlsx») trên ứng dụng."),
])
def test_details_read_as_sentences(action, details, expected):
    text = describe(action, details, PEOPLE, AGENCIES, UNITS)
    assert text == expected
    assert "{" not in text and "sha256" not in text


@pytest.mark.parametrize("agencies,units,expected", [
    (["STP"], [], "Sở Tư pháp"), (["STP", "SNV"], ["365"], "Sở Tư pháp; Sở Nội vụ; Huyện Giao Thủy"),
    (["XYZ"], [], "XYZ"), ([], [], "toàn bộ"),
])
def test_scopes_show_names(agencies, units, expected):
    assert scope_text(agencies, units, AGENCIES, UNITS) == expected
