"""Agencies as officials write them (issue 10): initials built from the canonical names (no hand list), line breaks,
group leads by the plan's level and unit. Every phrase is a table row."""
from __future__ import annotations

import copy
import dataclasses
from datetime import date

import pytest

from loaders.agencies import Resolver, abbreviations, resolver_for
from loaders.reference import reference

ON = date(2024, 6, 1)


@pytest.mark.parametrize("name, spelled", [
    ("Sở Nội vụ", "Sở NV"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch&ĐT"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VH, TT&DL"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh"),
    ("Phòng Tài chính - Kế hoạch", "Phòng TC-KH"),
    ("Sở Ngoại vụ", "Sở NgV"),
])
def test_abbreviation_rule(name: str, spelled: str) -> None:
    assert spelled in [a for a, _ in abbreviations(name)]


def test_an_initial_that_cuts_an_onset_is_weaker() -> None:
    assert dict(abbreviations("Sở Nội vụ"))["Sở NV"] == 2
    assert dict(abbreviations("Sở Ngoại vụ"))["Sở NV"] == 1  # "Ng" cut to "N": Nội vụ keeps "Sở NV"


@pytest.fixture(scope="module")
def bare() -> Resolver:
    """A resolver without the reference's alias list: only canonical names and the rule."""
    full = reference()
    ref = dataclasses.replace(full, aliases=full.aliases.iloc[0:0]) if dataclasses.is_dataclass(full) else copy.copy(full)
    assert len(ref.aliases) == 0
    return Resolver(ref)


@pytest.mark.parametrize("typed, canonical", [
    ("Sở NV", "Sở Nội vụ"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở TT & TT", "Sở Thông tin và Truyền thông"),
    ("Sở TTTT", "Sở Thông tin và Truyền thông"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở KH và ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("VP. UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("Sở NgV", "Sở Ngoại vụ"),
])
def test_initials_resolve_without_a_hand_list(bare: Resolver, typed: str, canonical: str) -> None:
    res = bare.resolve_cell(typed, "36", ON)
    assert not res.errors, res.errors
    assert [r.name for r in res.refs] == [canonical]


@pytest.mark.parametrize("typed, issuer, canonical", [
    ("UBND TP", "356", "UBND thành phố Nam Định"),
    ("UBND huyện", "365", "UBND huyện Giao Thủy"),
    ("Phòng TC-KH", "365", "Phòng Tài chính - Kế hoạch huyện Giao Thủy"),
])
def test_own_unit_initials(bare: Resolver, typed: str, issuer: str, canonical: str) -> None:
    res = bare.resolve_cell(typed, issuer, ON)
    assert not res.errors, res.errors
    assert [r.name for r in res.refs] == [canonical]


# (cell, issuer unit, the names it resolves to: agencies' canonical names or group labels, in order)
CELLS = [
    ("Văn phòng UBND tỉnh\nSở Tư pháp", "36", ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp"]),
    ("Sở Nội vụ\r\nSở Tài chính\n", "36", ["Sở Nội vụ", "Sở Tài chính"]),
    ("Sở Nông nghiệp và\nPhát triển nông thôn", "36", ["Sở Nông nghiệp và Phát triển nông thôn"]),  # one name wrapped
    ("Các sở, ngành", "36", ["Các sở, ban, ngành"]),
    ("Các Sở, ngành tỉnh", "36", ["Các sở, ban, ngành"]),
    ("Các cơ quan chuyên môn thuộc UBND tỉnh", "36", ["Các sở, ban, ngành"]),
    ("Các cơ quan chuyên môn thuộc UBND huyện", "365", ["Các phòng chuyên môn"]),
    ("Các cơ quan chuyên môn", "365", ["Các phòng chuyên môn"]),
    ("Các cơ quan chuyên môn", "36", ["Các sở, ban, ngành"]),
    ("các phòng, ban chuyên môn", "365", ["Các phòng chuyên môn"]),
    ("Các phòng, ban chuyên môn thuộc UBND thành phố", "356", ["Các phòng chuyên môn"]),
    ("Công an huyện", "365", ["Công an huyện Giao Thủy"]),
    ("Công an thành phố", "356", ["Công an thành phố Nam Định"]),
    ("Công an cấp huyện", "36", ["Công an cấp huyện"]),
    ("Công an tỉnh", "36", ["Công an tỉnh"]),
    ("Công an huyện, Phòng Tư pháp", "365", ["Công an huyện Giao Thủy", "Phòng Tư pháp huyện Giao Thủy"]),
    ("Công an xã", "365", ["Công an cấp xã"]),
]


@pytest.mark.parametrize("cell, issuer, names", CELLS)
def test_cells(cell: str, issuer: str, names: list[str]) -> None:
    res = resolver_for(reference()).resolve_cell(cell, issuer, ON)
    assert not res.errors, res.errors
    assert [r.name for r in res.refs] == names


def test_group_members_follow_the_level() -> None:
    r = resolver_for(reference())
    offices = r.resolve_cell("Các cơ quan chuyên môn thuộc UBND huyện", "365", ON).refs[0]
    assert offices.members and all(m.endswith("-365") for m in offices.members)
    depts = r.resolve_cell("Các sở, ngành", "36", ON).refs[0]
    assert "SNV" in depts.members and "STP" in depts.members and not any(m.endswith("-365") for m in depts.members)
