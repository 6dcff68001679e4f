"""Tests for loaders.deadlines: every deadline wording of the seed appendices plus the variants users type."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

import catalogue
from loaders.deadlines import month_end, parse_deadline, quarter_end

Y2023 = (2023, 2023)  # seed 003: the province's 2023 annual plan
Y2125 = (2021, 2025)  # seed 004: the city's 2021–2025 plan

# (cell value, plan period, expected kind, expected due dates (ISO), expects an error)
Row = tuple[object, "tuple[int, int] | None", str, list[str], bool]

# Every distinct "Thời gian thực hiện" of the appendix of seed 003 (period 2023).
SEED_003: list[Row] = [
    ("Thường xuyên", Y2023, "continuous", [], False),
    ("Năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Quý 1-Năm 2023", Y2023, "once", ["2023-03-31"], False),
    ("Quý I Năm 2023", Y2023, "once", ["2023-03-31"], False),
    ("Quý IV- Năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Quý IV năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Hàng năm", Y2023, "recurring", ["2023-12-31"], False),
    ("Năm 2022", Y2023, "once", ["2022-12-31"], False),
    ("Năm 2022 và những năm tiếp theo", Y2023, "recurring", ["2023-12-31"], False),
    ("Trước 19/01/2023", Y2023, "once", ["2023-01-19"], False),
    ("Theo hướng dẫn của Bộ Nội vụ", Y2023, "unspecified", [], False),
    ("", Y2023, "unspecified", [], False),  # rows 2.1, 2.2 of area II and task V.2 are blank
]

# Every distinct "Thời gian" of the appendix of seed 004 (period 2021–2025).
SEED_004: list[Row] = [
    ("Quý III năm 2021", Y2125, "once", ["2021-09-30"], False),
    ("Hàng năm", Y2125, "recurring",
     ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"], False),
    ("Quý I hàng năm", Y2125, "recurring",
     ["2021-03-31", "2022-03-31", "2023-03-31", "2024-03-31", "2025-03-31"], False),
    ("Quý IV hàng năm", Y2125, "recurring",
     ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"], False),
    ("Tháng 1 hàng năm", Y2125, "recurring",
     ["2021-01-31", "2022-01-31", "2023-01-31", "2024-01-31", "2025-01-31"], False),
    ("2021-2022", Y2125, "once", ["2022-12-31"], False),
    ("2021-2025", Y2125, "once", ["2025-12-31"], False),
    ("Thường xuyên", Y2125, "continuous", [], False),
    ("", Y2125, "unspecified", [], False),  # task 19 has no deadline
]

VARIANTS: list[Row] = [
    # continuous
    ("thường xuyên, liên tục", Y2023, "continuous", [], False),
    ("Liên tục", Y2023, "continuous", [], False),
    ("THƯỜNG XUYÊN", Y2125, "continuous", [], False),
    # blank
    (None, Y2023, "unspecified", [], False),
    ("   ", Y2023, "unspecified", [], False),
    ("\u00a0\t\n", Y2023, "unspecified", [], False),
    # no date by design
    ("Theo yêu cầu", Y2023, "unspecified", [], False),
    ("Khi có yêu cầu", Y2023, "unspecified", [], False),
    ("Đột xuất", Y2023, "unspecified", [], False),
    ("Theo kế hoạch", Y2023, "unspecified", [], False),
    ("Theo chỉ đạo của UBND tỉnh", Y2023, "unspecified", [], False),
    ("Thực hiện theo kế hoạch", Y2023, "unspecified", [], False),
    # one year
    ("năm 2023.", Y2023, "once", ["2023-12-31"], False),
    ("2023", Y2023, "once", ["2023-12-31"], False),
    ("Trong năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Đến năm 2025", Y2125, "once", ["2025-12-31"], False),
    ("Hoàn thành năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Năm 2022", Y2125, "once", ["2022-12-31"], False),
    # quarters
    ("Quý II/2023", Y2023, "once", ["2023-06-30"], False),
    ("Quý II / 2023", Y2023, "once", ["2023-06-30"], False),
    ("Q2/2023", Y2023, "once", ["2023-06-30"], False),
    ("quý 2 năm 2023", Y2023, "once", ["2023-06-30"], False),
    ("Trong quý III/2024", Y2125, "once", ["2024-09-30"], False),
    ("Quý 4 – năm 2023", Y2023, "once", ["2023-12-31"], False),
    ("Quí III năm 2023", Y2023, "once", ["2023-09-30"], False),
    ("QUÝ  IV   NĂM   2023", Y2023, "once", ["2023-12-31"], False),
    # months and half years
    ("Tháng 3/2023", Y2023, "once", ["2023-03-31"], False),
    ("tháng 03 năm 2023", Y2023, "once", ["2023-03-31"], False),
    ("Tháng 12 năm 2022", Y2023, "once", ["2022-12-31"], False),
    ("Tháng 2/2024", Y2125, "once", ["2024-02-29"], False),
    ("03/2023", Y2023, "once", ["2023-03-31"], False),
    ("6 tháng đầu năm 2023", Y2023, "once", ["2023-06-30"], False),
    ("6 tháng cuối năm 2023", Y2023, "once", ["2023-12-31"], False),
    # days
    ("Trước ngày 30/6/2023", Y2023, "once", ["2023-06-30"], False),
    ("trước ngày 15-12-2023", Y2023, "once", ["2023-12-15"], False),
    ("30/06/2023", Y2023, "once", ["2023-06-30"], False),
    ("Hạn 31/3/2023", Y2023, "once", ["2023-03-31"], False),
    ("31.3.2023", Y2023, "once", ["2023-03-31"], False),
    ("Ngày 30 tháng 6 năm 2023", Y2023, "once", ["2023-06-30"], False),
    ("29/02/2024", Y2125, "once", ["2024-02-29"], False),
    # year spans
    ("2021 - 2025", Y2125, "once", ["2025-12-31"], False),
    ("Giai đoạn 2021-2025", Y2125, "once", ["2025-12-31"], False),
    ("Giai đoạn 2021 – 2025", Y2125, "once", ["2025-12-31"], False),
    ("Năm 2023-2024", Y2125, "once", ["2024-12-31"], False),
    ("Từ năm 2021 đến năm 2023", Y2125, "once", ["2023-12-31"], False),
    # recurring, every year of the period
    ("Hằng năm", Y2125, "recurring",
     ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"], False),
    ("hàng năm", Y2023, "recurring", ["2023-12-31"], False),
    ("Định kỳ hàng năm", Y2023, "recurring", ["2023-12-31"], False),
    ("Quý 1 hằng năm", Y2125, "recurring",
     ["2021-03-31", "2022-03-31", "2023-03-31", "2024-03-31", "2025-03-31"], False),
    ("Quý IV hàng năm", Y2023, "recurring", ["2023-12-31"], False),
    ("Trước 31/3 hàng năm", Y2125, "recurring",
     ["2021-03-31", "2022-03-31", "2023-03-31", "2024-03-31", "2025-03-31"], False),
    ("Trước ngày 15/12 hằng năm", Y2023, "recurring", ["2023-12-15"], False),
    ("Định kỳ hàng quý", Y2023, "recurring",
     ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"], False),
    ("Hàng quý", Y2023, "recurring", ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"], False),
    ("Hằng quý", (2023, 2024), "recurring",
     ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31",
      "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"], False),
    ("Hàng tháng", Y2023, "recurring",
     ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31", "2023-06-30",
      "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"], False),
    ("6 tháng, hàng năm", (2022, 2023), "recurring",
     ["2022-06-30", "2022-12-31", "2023-06-30", "2023-12-31"], False),
    ("Định kỳ 6 tháng", Y2023, "recurring", ["2023-06-30", "2023-12-31"], False),
    # from a year onwards
    ("Từ năm 2022", Y2125, "recurring", ["2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"], False),
    ("Từ năm 2022 trở đi", Y2023, "recurring", ["2023-12-31"], False),
    ("Năm 2022 và những năm tiếp theo", Y2125, "recurring",
     ["2022-12-31", "2023-12-31", "2024-12-31", "2025-12-31"], False),
    ("Năm 2022 và những năm tiếp theo", (2015, 2020), "recurring", ["2022-12-31"], False),
    # several explicit points
    ("Quý II và Quý IV năm 2023", Y2023, "recurring", ["2023-06-30", "2023-12-31"], False),
    ("Tháng 6/2023 và tháng 12/2023", Y2023, "recurring", ["2023-06-30", "2023-12-31"], False),
    ("Tháng 6 và tháng 12 năm 2023", Y2023, "recurring", ["2023-06-30", "2023-12-31"], False),
    ("Trước 30/6 và 31/12/2023", Y2023, "recurring", ["2023-06-30", "2023-12-31"], False),
    ("Quý II và Quý IV hàng năm", (2023, 2024), "recurring",
     ["2023-06-30", "2023-12-31", "2024-06-30", "2024-12-31"], False),
    # Excel-typed values
    (datetime(2023, 6, 30, 0, 0), Y2023, "once", ["2023-06-30"], False),
    (datetime(2023, 1, 19, 17, 45), Y2023, "once", ["2023-01-19"], False),
    (date(2024, 3, 31), Y2125, "once", ["2024-03-31"], False),
    (2023, Y2023, "once", ["2023-12-31"], False),
    (2025.0, Y2125, "once", ["2025-12-31"], False),
    (float("nan"), Y2023, "unspecified", [], False),
    # placeholders that carry no wording at all
    ("-", Y2023, "unspecified", [], False),
    ("...", Y2023, "unspecified", [], False),
    # unknown period: recurring wordings cannot be expanded, one-off dates still can
    ("Hàng năm", None, "recurring", [], False),
    ("Quý I hàng năm", None, "recurring", [], False),
    ("Từ năm 2022", None, "recurring", [], False),
    ("Quý 1-Năm 2023", None, "once", ["2023-03-31"], False),
    ("Thường xuyên", None, "continuous", [], False),
]

UNPARSEABLE: list[Row] = [
    ("abc", Y2023, "unspecified", [], True),
    ("sớm", Y2023, "unspecified", [], True),
    ("Quý 5 năm 2023", Y2023, "unspecified", [], True),
    ("Quý V năm 2023", Y2023, "unspecified", [], True),
    ("Quý 0/2023", Y2023, "unspecified", [], True),
    ("32/13/2023", Y2023, "unspecified", [], True),
    ("31/04/2023", Y2023, "unspecified", [], True),
    ("29/02/2023", Y2023, "unspecified", [], True),
    ("Tháng 13/2023", Y2023, "unspecified", [], True),
    ("Tháng 0 năm 2023", Y2023, "unspecified", [], True),
    ("Năm 1999", Y2023, "unspecified", [], True),
    ("Năm 2101", Y2023, "unspecified", [], True),
    ("2025-2021", Y2125, "unspecified", [], True),
    ("30/6/23", Y2023, "unspecified", [], True),
    ("Trước 32/3 hàng năm", Y2125, "unspecified", [], True),
    ("Quý I năm 2023 và hàng năm", Y2023, "unspecified", [], True),
    ("Ngay lập tức", Y2023, "unspecified", [], True),
    ("Đầu năm 2023", Y2023, "unspecified", [], True),
    ("Năm 2023 abc", Y2023, "unspecified", [], True),
    (5, Y2023, "unspecified", [], True),
    (True, Y2023, "unspecified", [], True),
]

# The same wordings decomposed (NFD), as some PDF/Word conversions leave them.
NFD: list[Row] = [
    (unicodedata.normalize("NFD", text), period, kind, dates, error)
    for text, period, kind, dates, error in [
        ("Quý IV- Năm 2023", Y2023, "once", ["2023-12-31"], False),
        ("Thường xuyên", Y2023, "continuous", [], False),
        ("Trước ngày 30/6/2023", Y2023, "once", ["2023-06-30"], False),
        ("Theo hướng dẫn của Bộ Nội vụ", Y2023, "unspecified", [], False),
        ("Hằng năm", Y2023, "recurring", ["2023-12-31"], False),
        ("Năm 2022 và những năm tiếp theo", Y2023, "recurring", ["2023-12-31"], False),
        ("Quý 5 năm 2023", Y2023, "unspecified", [], True),
    ]
]

Y2024 = (2024, 2024)
Y2425 = (2024, 2025)
Q2024 = ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
# Periodic wordings of other provinces' published plans and the reporting rules they cite (issue 10); the text
# is always kept, so an unspecified one still shows what the plan says.
OTHER_PROVINCES: list[Row] = [
    ("Định kỳ 6 tháng, năm", Y2024, "recurring", ["2024-06-30", "2024-12-31"], False),
    ("Định kỳ 6 tháng, năm", Y2425, "recurring", ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"], False),
    ("6 tháng, năm", Y2024, "recurring", ["2024-06-30", "2024-12-31"], False),
    ("6 tháng đầu năm và cả năm", Y2024, "recurring", ["2024-06-30", "2024-12-31"], False),
    ("Trước ngày 10 của tháng cuối quý", Y2024, "recurring", ["2024-03-10", "2024-06-10", "2024-09-10", "2024-12-10"], False),
    ("Trước ngày 10 tháng cuối quý", Y2024, "recurring", ["2024-03-10", "2024-06-10", "2024-09-10", "2024-12-10"], False),
    ("trước ngày 15 của tháng cuối mỗi quý", Y2024, "recurring", ["2024-03-15", "2024-06-15", "2024-09-15", "2024-12-15"], False),
    ("Hằng quý (trước ngày 15 tháng cuối quý)", Y2024, "recurring", ["2024-03-15", "2024-06-15", "2024-09-15", "2024-12-15"], False),
    ("Chậm nhất là ngày 20 của tháng cuối kỳ báo cáo", Y2024, "recurring",
     ["2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20"], False),
    ("Tháng 6 và tháng 12 hằng năm", Y2024, "recurring", ["2024-06-30", "2024-12-31"], False),
    ("Tháng 6 và tháng 12 hàng năm", Y2425, "recurring", ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"], False),
    ("Định kỳ hằng quý, 6 tháng, năm", Y2024, "recurring", Q2024, False),
    ("Hằng quý, 6 tháng và năm", Y2024, "recurring", Q2024, False),
    ("Trước ngày 25 hằng tháng", Y2024, "recurring", [f"2024-{m:02d}-25" for m in range(1, 13)], False),
    ("Hằng năm (trước ngày 15/12)", Y2425, "recurring", ["2024-12-15", "2025-12-15"], False),
    ("Hằng năm, chậm nhất ngày 30/11", Y2024, "recurring", ["2024-11-30"], False),
    ("Trước ngày 15/6 và 15/12 hằng năm", Y2024, "recurring", ["2024-06-15", "2024-12-15"], False),
    ("Trong năm 2024", Y2024, "once", ["2024-12-31"], False),
    ("Trong năm", Y2024, "once", ["2024-12-31"], False),
    ("Trong năm", Y2425, "recurring", ["2024-12-31", "2025-12-31"], False),
    ("Cả năm", Y2024, "once", ["2024-12-31"], False),
    ("Trong năm kế hoạch", Y2024, "once", ["2024-12-31"], False),
    ("Quý I, II/2024", Y2024, "recurring", ["2024-03-31", "2024-06-30"], False),
    ("Năm 2024 - 2025", Y2425, "once", ["2025-12-31"], False),
    ("Hoàn thành trước 30/11/2024", Y2024, "once", ["2024-11-30"], False),
    ("Chậm nhất ngày 20/12/2024", Y2024, "once", ["2024-12-20"], False),
    ("Theo lộ trình", Y2024, "unspecified", [], False),
    ("Theo lộ trình của Chính phủ", Y2425, "unspecified", [], False),
    ("Khi có văn bản chỉ đạo", Y2024, "unspecified", [], False),
    ("Khi có văn bản chỉ đạo của cấp trên", Y2024, "unspecified", [], False),
    ("Theo quy định", Y2024, "unspecified", [], False),
    ("Theo yêu cầu của cơ quan cấp trên", Y2024, "unspecified", [], False),
]

# Wordings as published by other provinces and ministries (issue 10), verbatim, each with the page it was read on.
# The expected parse was written by hand before the parser was run. A month or quarter without a year is recurring
# (one date per plan year), as everywhere above; a range is due at the end of its last month, quarter or day; "trước
# tháng 10/2024" (before October begins) is due at the end of September.
BRVT = ("http://cchc.baria-vungtau.gov.vn/tin-tuc-su-kien/-/view_content/content/203311/"
        "xay-dung-ke-hoach-cai-cach-hanh-chinh-hang-nam-va-bao-cao-cai-cach-hanh-chinh")  # UBND Bà Rịa – Vũng Tàu 2539/UBND-SNV
ND_BNV = ("https://sonoivu.namdinh.gov.vn/cai-cach-hanh-chinh/"
          "bo-noi-vu-huong-dan-thuc-hien-che-do-bao-cao-cai-cach-hanh-chinh-dinh-ky-2627")  # Bộ Nội vụ 581/BNV-CCHC
NB_130 = ("https://hethongphapluat.vn/ke-hoach-130-kh-ubnd-nam-2022-ve-giam-sat-danh-gia-thuc-hien-chuong-trinh-muc-tieu-"
          "quoc-gia-giam-ngheo-ben-vung-giai-doan-2021-2025-tren-dia-ban-tinh-ninh-binh.html")  # UBND Ninh Bình KH 130
QUY_NHON = ("https://binhdinh.gov.vn/tin-tuc/tin-tu-thi-xa-huyen-thanh-pho/"
            "quy-nhon-thanh-lap-to-kiem-tra-cong-tac-cai-cach-hanh-chinh-.html")
GDPL = "https://giadinhvaphapluat.vn/cap-xa/tag-48519.html"
KSBT_DN = "https://www.ksbtdanang.vn/news/tag/bộ-máy"
TIEN_PHONG = "https://tienphong.vn/tag/h%e1%bb%a3p+nh%e1%ba%a5t+t%e1%bb%89nh.tpo"
MOI_TRUONG = "https://moitruong.net.vn/sap-nhap-cap-tinh-ptag.html"
VNN_BNV = "https://vietnamnet.vn/sua-quy-dinh-de-thuc-hien-tthc-theo-mo-hinh-dich-vu-cong-tap-trung-cap-bo-2466207.html"
PLPT = "https://phapluatphattrien.vn/chinh-phu-yeu-cau-tao-dot-pha-ve-cai-cach-thu-tuc-hanh-chinh-d5100.html"
VNN_DVC = "https://vietnamnet.vn/12-dia-phuong-co-chat-luong-dich-vu-cong-truc-tuyen-dat-muc-tot-2399419.html"
QN_757 = ("https://hethongphapluat.vn/quyet-dinh-757-qd-ubnd-nam-2014-ve-quy-che-hoat-dong-cua-to-cong-tac-thuc-hien-ke-"
          "hoach-nang-cao-chi-so-nang-luc-canh-tranh-pci-tinh-quang-ninh.html")  # UBND Quảng Ninh KH 4542 (PCI)
DOC_NHANH = "https://m.docnhanh.vn/tags/pham-thi-thanh-tra"
TQ_SNV = "http://sonoivu.tuyenquang.gov.vn/GroupNews/5/Cai-cach-hanh-chinh.html"
QNG_1546 = ("https://m.thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/"
            "Quyet-dinh-1546-QD-UBND-2024-Ke-hoach-cai-cach-hanh-chinh-Quang-Ngai-nam-2025-634563.aspx")
VL_2890 = ("https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/"
           "Quyet-dinh-2890-QD-UBND-2024-Ke-hoach-Cai-cach-hanh-chinh-Vinh-Long-595752.aspx")
BAO_DAU_TU = ("https://baodautu.vn/infographic-sap-xep-16-don-vi-hanh-chinh-cap-huyen-va-637-don-vi-cap-xa-tu-nay-den-"
              "nam-2021-d86247.html")
HOA_BINH = ("https://hoabinh.gov.vn/cntt-va-vien-thong?p_p_id=com_soft_article_listnew_ListNewByCategoryPortlet_INSTANCE_byxk"
            "&_com_soft_article_listnew_ListNewByCategoryPortlet_INSTANCE_byxk_cur=67")
Y2013, Y2022, Y2025, Y2225 = (2013, 2013), (2022, 2022), (2025, 2025), (2022, 2025)
EVERY_MONTH_15 = [f"2024-{m:02d}-15" for m in range(1, 13)]

# (cell value, plan period, expected kind, expected due dates, expects an error, source)
SourcedRow = tuple[object, "tuple[int, int] | None", str, list[str], bool, str]
REAL_WORDINGS: list[SourcedRow] = [
    ("trước ngày 20/11 hàng năm", Y2024, "recurring", ["2024-11-20"], False, BRVT),
    ("trước ngày 15 của tháng", Y2024, "recurring", EVERY_MONTH_15, False, BRVT),
    ("trước ngày 05 tháng cuối cùng của mỗi quý", Y2024, "recurring",
     ["2024-03-05", "2024-06-05", "2024-09-05", "2024-12-05"], False, BRVT),
    ("trước ngày 05/6", Y2024, "recurring", ["2024-06-05"], False, BRVT),
    ("trước ngày 25/11 hàng năm", Y2425, "recurring", ["2024-11-25", "2025-11-25"], False, BRVT),
    ("chậm nhất là ngày 20 của tháng cuối kỳ báo cáo", Y2024, "recurring",
     ["2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20"], False, ND_BNV),
    ("hàng quý, 6 tháng và hàng năm", Y2024, "recurring", Q2024, False, ND_BNV),
    ("định kỳ 6 tháng, hằng năm", Y2225, "recurring",
     ["2022-06-30", "2022-12-31", "2023-06-30", "2023-12-31", "2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"],
     False, NB_130),
    ("đầu kỳ, giữa kỳ, cuối kỳ hoặc đột xuất khi cần thiết", Y2225, "unspecified", [], False, NB_130),
    ("từ ngày 1.8 đến ngày 17.9.2013", Y2013, "once", ["2013-09-17"], False, QUY_NHON),
    ("trước tháng 10/2024", (2023, 2025), "once", ["2024-09-30"], False, GDPL),
    ("trong tháng 5 và tháng 6 năm 2025", Y2025, "recurring", ["2025-05-31", "2025-06-30"], False, KSBT_DN),
    ("trước 15/4", Y2025, "recurring", ["2025-04-15"], False, TIEN_PHONG),
    ("trước ngày 30/8", Y2025, "recurring", ["2025-08-30"], False, MOI_TRUONG),
    ("những tháng cuối năm 2025", Y2025, "once", ["2025-12-31"], False, VNN_BNV),
    ("10 tháng đầu năm 2025", Y2025, "once", ["2025-10-31"], False, VNN_BNV),
    ("Hoàn thành trong năm 2025", Y2025, "once", ["2025-12-31"], False, PLPT),
    ("trong tháng 4/2025", Y2025, "once", ["2025-04-30"], False, VNN_DVC),
    ("năm 2013 và các năm tiếp theo", (2013, 2015), "recurring", ["2013-12-31", "2014-12-31", "2015-12-31"], False, QN_757),
    ("Ngày 1/5", Y2025, "recurring", ["2025-05-01"], False, DOC_NHANH),
    ("6 tháng cuối năm 2023", (2023, 2023), "once", ["2023-12-31"], False, TQ_SNV),
    ("giai đoạn 2021 - 2025", Y2125, "once", ["2025-12-31"], False, QNG_1546),
    ("giai đoạn 2022 - 2030", (2022, 2030), "once", ["2030-12-31"], False, VL_2890),
    ("từ nay đến năm 2021", (2019, 2021), "once", ["2021-12-31"], False, BAO_DAU_TU),
    ("Trong 9 tháng đầu năm 2022", Y2022, "once", ["2022-09-30"], False, HOA_BINH),
]

# The wordings the brief of issue 10 quotes, and their neighbours (no source: typed the way officials type them)
RANGES: list[Row] = [
    ("Tháng 11-12", Y2024, "recurring", ["2024-12-31"], False),
    ("Tháng 11 - 12 năm 2024", Y2024, "once", ["2024-12-31"], False),
    ("Tháng 10 - 11/2024", Y2024, "once", ["2024-11-30"], False),
    ("Từ tháng 3 đến tháng 11 năm 2024", Y2024, "once", ["2024-11-30"], False),
    ("Quý III-IV/2024", Y2024, "once", ["2024-12-31"], False),
    ("Quý II - Quý III", Y2425, "recurring", ["2024-09-30", "2025-09-30"], False),
    ("Từ quý II đến quý IV năm 2025", Y2425, "once", ["2025-12-31"], False),
    ("Từ ngày 01/3 đến ngày 30/11/2024", Y2024, "once", ["2024-11-30"], False),
    ("Hoàn thành trước quý III/2024", Y2024, "once", ["2024-06-30"], False),
    ("Trước năm 2025", Y2024, "once", ["2024-12-31"], False),
    ("Trước tháng 01/2025", Y2425, "once", ["2024-12-31"], False),
    ("Tháng 12 - 11/2024", Y2024, "unspecified", [], True),  # a range that runs backwards
    ("Quý IV - II/2024", Y2024, "unspecified", [], True),
    ("những tháng đầu năm 2025", Y2025, "unspecified", [], True),  # names no month
]

ALL_ROWS = (SEED_003 + SEED_004 + VARIANTS + UNPARSEABLE + NFD + OTHER_PROVINCES + RANGES
            + [r[:5] for r in REAL_WORDINGS])


def test_real_wordings_name_their_source() -> None:
    assert len(REAL_WORDINGS) == len({r[0] for r in REAL_WORDINGS})
    assert all(r[5].startswith(("http://", "https://")) for r in REAL_WORDINGS)


@pytest.mark.parametrize(("value", "period", "kind", "dates", "has_error"), ALL_ROWS,
                         ids=[f"{i}:{v!r}@{p}" for i, (v, p, *_rest) in enumerate(ALL_ROWS)])
def test_parse_deadline(value: object, period: tuple[int, int] | None, kind: str,
                        dates: list[str], has_error: bool) -> None:
    got = parse_deadline(value, period)
    assert got.kind == kind
    assert [d.isoformat() for d in got.due_dates] == dates
    assert (got.error is not None) == has_error
    assert got.kind in catalogue.DEADLINE_KINDS


@pytest.mark.parametrize(("value", "period"), [(r[0], r[1]) for r in ALL_ROWS])
def test_due_dates_are_sorted_plain_dates(value: object, period: tuple[int, int] | None) -> None:
    got = parse_deadline(value, period)
    assert isinstance(got.due_dates, tuple)
    assert all(type(d) is date for d in got.due_dates)
    assert list(got.due_dates) == sorted(set(got.due_dates))


@pytest.mark.parametrize(("value", "period", "outside"), [
    ("Năm 2022", Y2023, True),
    ("Năm 2023", Y2023, False),
    ("Quý III năm 2021", Y2125, False),
    ("Trong quý III/2024", Y2023, True),
    ("Trước 19/01/2023", Y2023, False),
    ("Tháng 12 năm 2022", Y2023, True),
    ("2021-2025", Y2023, True),
    ("2021-2022", Y2125, False),
    ("Năm 2022 và những năm tiếp theo", Y2023, False),
    ("Năm 2022 và những năm tiếp theo", (2015, 2020), True),
    ("Hàng năm", Y2125, False),
    (date(2024, 1, 1), Y2023, True),
    ("Năm 2022", None, False),
    ("Thường xuyên", Y2023, False),
    ("abc", Y2023, False),
])
def test_outside_period(value: object, period: tuple[int, int] | None, outside: bool) -> None:
    assert parse_deadline(value, period).outside_period is outside


@pytest.mark.parametrize(("raw", "text"), [
    ("Quý 1-Năm 2023", "Quý 1-Năm 2023"),
    ("  Quý  I   hàng   năm ", "Quý I hàng năm"),
    (unicodedata.normalize("NFD", "Trước 19/01/2023"), "Trước 19/01/2023"),
    ("Giai đoạn 2021 – 2025", "Giai đoạn 2021 - 2025"),
    ("Theo hướng dẫn của Bộ Nội vụ", "Theo hướng dẫn của Bộ Nội vụ"),
    ("sớm", "sớm"),
    (None, ""),
    (datetime(2023, 1, 9, 8, 30), "09/01/2023"),
    (date(2023, 12, 31), "31/12/2023"),
    (2023, "2023"),
    (2023.0, "2023"),
])
def test_text_keeps_raw_wording(raw: object, text: str) -> None:
    got = parse_deadline(raw, Y2023)
    assert got.text == text
    assert unicodedata.is_normalized("NFC", got.text)


@pytest.mark.parametrize("raw", ["abc", "Quý 5 năm 2023", "32/13/2023", unicodedata.normalize("NFD", "sớm")])
def test_error_message_quotes_the_wording(raw: str) -> None:
    got = parse_deadline(raw, Y2023)
    expected = unicodedata.normalize("NFC", raw)
    assert got.error == catalogue.message("deadline_unparsed", text=expected)
    assert got.text == expected
    assert got.due_dates == ()
    assert got.outside_period is False


def test_parses_are_cached() -> None:
    first = parse_deadline("Quý II và Quý IV năm 2023", Y2023)
    assert parse_deadline("Quý II và Quý IV năm 2023", Y2023) is first
    assert parse_deadline("Quý II và Quý IV năm 2023", Y2125) is not first  # period is part of the key


def test_invalid_period_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_deadline("Năm 2023", (2025, 2021))


@pytest.mark.parametrize(("year", "q", "expected"), [
    (2023, 1, date(2023, 3, 31)), (2023, 2, date(2023, 6, 30)),
    (2023, 3, date(2023, 9, 30)), (2023, 4, date(2023, 12, 31)),
])
def test_quarter_end(year: int, q: int, expected: date) -> None:
    assert quarter_end(year, q) == expected


@pytest.mark.parametrize("q", [0, 5, -1])
def test_quarter_end_rejects_bad_quarters(q: int) -> None:
    with pytest.raises(ValueError):
        quarter_end(2023, q)


@pytest.mark.parametrize(("year", "m", "expected"), [
    (2023, 1, date(2023, 1, 31)), (2023, 2, date(2023, 2, 28)), (2024, 2, date(2024, 2, 29)),
    (2100, 2, date(2100, 2, 28)), (2023, 4, date(2023, 4, 30)), (2023, 12, date(2023, 12, 31)),
])
def test_month_end(year: int, m: int, expected: date) -> None:
    assert month_end(year, m) == expected


@pytest.mark.parametrize("m", [0, 13])
def test_month_end_rejects_bad_months(m: int) -> None:
    with pytest.raises(ValueError):
        month_end(2023, m)
