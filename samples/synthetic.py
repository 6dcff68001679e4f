"""Deterministic synthetic workbooks: indicator catalogue, quarterly progress, indicator values and PAR INDEX.

Everything is drawn from numpy's default_rng with fixed seeds; nothing depends on the clock or the
network. The workbooks are laid out the way officials type them: a title block (issuer and the
national motto, title, "kèm theo" line) above a bold, bordered, shaded header, sized columns, the
header repeated on every printed page, notes and a signature block under the table. (No "(1) (2) …"
column-number row: only the plan loader skips one; the other loaders would read it as data.)

The story told by the numbers (kept deliberately, tests check parts of it):
* Districts: Thành phố Nam Định (356) and Hải Hậu (366) lead on every digital indicator and the
  PAR INDEX; Giao Thủy (365) and Nghĩa Hưng (361) trail, drift further behind over time and miss
  more commune reports. Communes vary around their district; wards (phường) are ahead of rural
  communes. Mỹ Lộc (358) reports until Q4 2024; from 2025 its communes belong to the city.
* Province anchors: full-process online dossiers 52.96 % in 2024, satisfaction 84.57 % in 2021;
  MoHA PAR INDEX 86.40 (rank 40/63) in 2021 and 87.32 (rank 29) in 2023.
* Departments: Sở Nội vụ, Sở TT&TT and Văn phòng UBND tỉnh ahead; Sở Y tế behind; Sở Tư pháp
  falls from rank 9 to 12 between 2023 and 2024 although its score rises by 1.2 points (it loses
  points on "Cải cách TTHC").
* Progress: Sở Y tế, UBND Giao Thủy, UBND Nghĩa Hưng, their communes and Phòng Tài chính – Kế
  hoạch of the city finish late more often and skip quarterly reports more often.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from catalogue import AREAS, LEVELS, REPORT_STATUSES
from loaders.parse import parse_workbook
from quarter import Quarter
from samples.xlsx import finish
from store.importer import output_refs, plan_code

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# --- reference data --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _csv(name: str) -> pd.DataFrame:
    """A reference CSV with every column as text (empty cells are empty strings)."""
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False)


HISTORY_PROVINCE = "36"  # the samples tell Nam Định's story (2021 – Q2/2025) on its own map


@lru_cache(maxsize=1)
def units() -> pd.DataFrame:
    """units.csv: the units of Nam Định (the reference also holds Hà Nam, Ninh Bình and the 2025 map)."""
    u = _csv("units.csv")
    return u[u["province_code"] == HISTORY_PROVINCE].reset_index(drop=True)


@lru_cache(maxsize=1)
def agencies() -> pd.DataFrame:
    """agencies.csv: Nam Định's agencies as they were from 2021 (not those created on 1 March 2025)."""
    a = _csv("agencies.csv")
    return a[a["unit_code"].isin(set(units()["code"])) & (a["valid_from"] == "")].reset_index(drop=True)


def seed_targets() -> pd.DataFrame:
    """seed_targets.csv (109 targets)."""
    return _csv("seed_targets.csv")


def unit_name(code: str) -> str:
    """The official name of a unit ("Huyện Nghĩa Hưng")."""
    hit = units()[units()["code"] == code]
    return str(hit.iloc[0]["name"])


def agency_name(code: str) -> str:
    """The canonical name of an agency."""
    hit = agencies()[agencies()["code"] == code]
    return str(hit.iloc[0]["name"])


def _valid(frame: pd.DataFrame, on: date) -> pd.Series:
    """Rows of a reference table valid on a date (ISO strings, empty = open)."""
    iso = on.isoformat()
    return ((frame["valid_from"] == "") | (frame["valid_from"] <= iso)) & ((frame["valid_to"] == "") | (frame["valid_to"] >= iso))


def parent_map(on: date) -> dict[str, str]:
    """unit code → parent code on a date."""
    p = _csv("unit_parents.csv")
    p = p[_valid(p, on)]
    return dict(zip(p["code"], p["parent_code"]))


def valid_units(on: date, level: str) -> list[str]:
    """Codes of the units of one level that exist on a date, in units.csv order."""
    u = units()
    return list(u.loc[_valid(u, on) & (u["level"] == level), "code"])


def communes_of(district: str, on: date) -> list[str]:
    """Communes under a district on a date, in units.csv order."""
    parents = parent_map(on)
    return [c for c in valid_units(on, "commune") if parents.get(c) == district]


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter."""
    return Quarter(year, quarter).end

# --- sheet layout ------------------------------------------------------------------------------


@dataclass
class SheetSpec:
    """One table sheet as officials lay it out."""

    name: str
    title: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float]
    issuer: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH")
    pre_rows: Sequence[Sequence[object]] = ()  # rows between the header and the data ("Điểm tối đa")
    notes: Sequence[str] = ()  # lines under the table, in column A
    signature: Sequence[str] = ()
    signature_col: int = 0  # 1-based column of the signature block (0 = the last column)
    formats: dict[int, str] = field(default_factory=dict)  # 1-based column → number format
    center_cols: Sequence[int] = ()
    merge_pre: int = 0  # merge the first cells of each pre-row over this many columns


def write_sheet(ws: Worksheet, spec: SheetSpec) -> None:
    """Write the title block, header, rows, notes and signature of one sheet."""
    width = len(spec.header)
    half = max(2, width // 2)
    ws.title = spec.name
    # issuer (left) and national motto (right)
    ws.cell(1, 1, spec.issuer[0]).font = BOLD
    ws.cell(2, 1, spec.issuer[1]).font = BOLD
    ws.cell(1, half + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = BOLD
    ws.cell(2, half + 1, "Độc lập - Tự do - Hạnh phúc").font = BOLD
    for r in (1, 2):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=half)
        ws.merge_cells(start_row=r, start_column=half + 1, end_row=r, end_column=width)
        ws.cell(r, 1).alignment = CENTER
        ws.cell(r, half + 1).alignment = CENTER
    r = 4
    for i, line in enumerate(spec.title):
        cell = ws.cell(r, 1, line)
        cell.font = ITALIC if line.startswith("(") else Font(bold=True, size=13 if i == 0 else 11)
        cell.alignment = CENTER
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    r += 1
    header_row = r
    for c, text in enumerate(spec.header, 1):
        cell = ws.cell(r, c, text)
        cell.font = BOLD
        cell.border = BOX
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
    ws.row_dimensions[r].height = 48
    ws.print_title_rows = f"{header_row}:{r}"
    ws.freeze_panes = ws.cell(r + 1, 1)
    r += 1
    for row in spec.pre_rows:
        for c, v in enumerate(row, 1):
            cell = ws.cell(r, c, v)
            cell.font = BOLD
            cell.border = BOX
            cell.alignment = CENTER
        if spec.merge_pre > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=spec.merge_pre)
        r += 1
    center = set(spec.center_cols)
    for row in spec.rows:
        for c, v in enumerate(row, 1):
            cell = ws.cell(r, c, v)
            cell.border = BOX
            if c in spec.formats:
                cell.number_format = spec.formats[c]
            if c in center:
                cell.alignment = CENTER
            elif isinstance(v, str) and len(v) > 30:
                cell.alignment = WRAP_TOP
        r += 1
    r += 1
    for line in spec.notes:
        ws.cell(r, 1, line).font = ITALIC
        r += 1
    col = spec.signature_col or width
    for i, line in enumerate(spec.signature):
        cell = ws.cell(r, col, line)
        cell.font = ITALIC if i == 0 else BOLD
        cell.alignment = Alignment(horizontal="center")
        r += 1
    for c, w in enumerate(spec.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


def _signature(place_date: str, role: str, name: str) -> tuple[str, ...]:
    """A signature block: place and date, role, blank lines for the signature, name."""
    return (place_date, role, "", "", name)


# --- a. indicator catalogue --------------------------------------------------------------------

SOURCE_NAMES = {
    "000": "Kế hoạch CCHC tỉnh năm 2022",
    "001": "Chương trình tổng thể CCHC tỉnh 2021–2030",
    "002": "Kế hoạch CCHC huyện Nghĩa Hưng 2021–2025",
    "003": "Kế hoạch CCHC tỉnh năm 2023",
    "004": "Kế hoạch nâng cao PAR INDEX thành phố Nam Định 2021–2025",
}
CATALOGUE_YEARS = (2022, 2025, 2030)
CATALOGUE_HEADER = ("STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Lĩnh vực", "Đơn vị tính", "Cấp áp dụng", "Địa bàn",
                    "Chỉ tiêu 2022", "Chỉ tiêu 2025", "Chỉ tiêu 2030", "Nguồn", "Nguyên văn")
INSTRUCTIONS = (
    "HƯỚNG DẪN ĐIỀN DANH MỤC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH",
    "Trang «Danh mục chỉ tiêu» liệt kê các chỉ tiêu định lượng của Chương trình tổng thể CCHC tỉnh giai đoạn "
    "2021–2030 và các kế hoạch CCHC của tỉnh, huyện, thành phố.",
    "1. Mỗi dòng là một chỉ tiêu cho một cấp áp dụng và một địa bàn. Cột «Cấp áp dụng» ghi một trong: "
    "Cấp tỉnh, Cấp huyện, Cấp xã, Chung (áp dụng cho mọi cấp).",
    "2. Cột «Mã chỉ tiêu» ghi mã cố định, chữ in hoa không dấu, nối bằng dấu gạch dưới; không đổi mã khi sửa "
    "tên chỉ tiêu để số liệu các kỳ vẫn khớp.",
    "3. Cột «Địa bàn» để trống khi chỉ tiêu áp dụng toàn tỉnh; ghi tên đơn vị hành chính (ví dụ: Huyện Nghĩa "
    "Hưng, Thành phố Nam Định) khi chỉ tiêu là của riêng địa phương đó.",
    "4. Các cột «Chỉ tiêu 2022», «Chỉ tiêu 2025», «Chỉ tiêu 2030» ghi mức phải đạt đúng như văn bản, ví dụ: "
    "«Tối thiểu 80%», «100%», «25% - 35%», «Giảm tối thiểu 10% so với năm 2021», «Thuộc nhóm khá», "
    "«Năm 2021: 30%; mỗi năm tăng tối thiểu 20% đến khi đạt 100%».",
    "5. Cột «Nguồn» ghi văn bản giao chỉ tiêu; cột «Nguyên văn» chép đúng câu trong văn bản để đối chiếu khi cần.",
    "6. Không gộp ô, không chèn dòng tổng cộng hoặc dòng trống giữa bảng; thêm chỉ tiêu mới ở cuối bảng.",
    "Lưu ý: sau khi sửa, tải tệp lên mục «Nhập dữ liệu» và xem kết quả kiểm tra trước khi nhập chính thức.",
)


def catalogue_rows() -> list[list[object]]:
    """One row per (indicator, level, scope) with the target wording in the column of its year."""
    st = seed_targets()
    groups: dict[tuple[str, str, str], list[pd.Series]] = {}
    for _, rec in st.iterrows():
        groups.setdefault((rec["indicator_code"], rec["level"], rec["scope_unit_code"]), []).append(rec)
    rows: list[list[object]] = []
    for no, ((code, level, scope), recs) in enumerate(groups.items(), 1):
        first = recs[0]
        targets: dict[int, str] = {int(r["year"]): r["target_text"] for r in recs}
        sources = list(dict.fromkeys(r["source"] for r in recs))
        quotes = list(dict.fromkeys(r["quote"] for r in recs if r["quote"]))
        rows.append([
            no, code, first["indicator_name"], AREAS[first["area"]].label, first["unit"],
            "Chung" if level == "all" else LEVELS[level].label,
            unit_name(scope) if scope else None,
            *[targets.get(y) for y in CATALOGUE_YEARS],
            "; ".join(f"Seed {s} – {SOURCE_NAMES[s]}" for s in sources),
            "\n".join(quotes) or None,
        ])
    return rows


def write_catalogue(path: Path) -> Path:
    """The indicator catalogue workbook: an instructions sheet first, then «Danh mục chỉ tiêu»."""
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    for r, line in enumerate(INSTRUCTIONS, 1):
        cell = guide.cell(r, 1, line)
        cell.font = Font(bold=True, size=13) if r == 1 else Font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 120
    spec = SheetSpec(
        "Danh mục chỉ tiêu",
        ("DANH MỤC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH TỈNH NAM ĐỊNH",
         "GIAI ĐOẠN 2021 - 2030",
         "(Tổng hợp từ Chương trình tổng thể CCHC tỉnh và các kế hoạch CCHC của tỉnh, huyện, thành phố)"),
        CATALOGUE_HEADER, catalogue_rows(),
        (5, 30, 45, 24, 10, 11, 18, 14, 22, 16, 30, 60),
        issuer=("UBND TỈNH NAM ĐỊNH", "SỞ NỘI VỤ"),
        signature=_signature("Nam Định, ngày 15 tháng 01 năm 2025", "GIÁM ĐỐC", "Trần Văn Minh"),
        signature_col=11, center_cols=(1, 5, 6),
    )
    write_sheet(wb.create_sheet(), spec)
    return finish(wb, path)


# --- b. indicator values ------------------------------------------------------------------------

QUARTERS: tuple[tuple[int, int], ...] = tuple((y, q) for y in range(2021, 2026) for q in range(1, 5) if (y, q) <= (2025, 2))
# district effect on the logit scale and its yearly drift (trajectories differ, not just levels)
DISTRICT_EFFECT = {"356": 0.55, "366": 0.38, "364": 0.15, "362": 0.10, "359": 0.0, "363": -0.05,
                   "358": -0.08, "360": -0.15, "361": -0.45, "365": -0.60}
DISTRICT_DRIFT = {"356": 0.06, "366": 0.05, "364": 0.02, "361": -0.06, "365": -0.08}


@dataclass(frozen=True)
class RateSpec:
    """How one indicator's commune values are generated."""

    code: str
    anchors: tuple[float, ...]  # province value in 2021..2025 (%)
    calibrate_year: int  # the province value of this year is matched exactly
    district_scale: float = 1.0
    commune_sd: float = 0.30
    noise_sd: float = 0.12
    base: str = "dossiers"  # denominator basis: dossiers | work_files | documents | online_users | none
    share: float = 1.0  # denominator as a share of the basis


RATE_SPECS: tuple[RateSpec, ...] = (
    RateSpec("TTHC_ONLINE_DOSSIER_RATE", (17.5, 30.5, 43.0, 52.96, 58.5), 2024),
    RateSpec("TTHC_INTERNAL_E_TRANSFER_RATE", (38.0, 52.0, 63.0, 71.0, 76.0), 2024, share=0.32),
    RateSpec("TTHC_ONLINE_PAYMENT_RATE", (8.0, 18.0, 31.0, 44.0, 52.0), 2024, share=0.22),
    RateSpec("TTHC_RESULT_DIGITISATION_RATE", (14.0, 33.0, 50.0, 64.0, 72.0), 2024, share=0.92),
    RateSpec("NO_RESUBMISSION_RATE", (12.0, 27.0, 42.0, 56.0, 63.0), 2024),
    RateSpec("WORK_FILE_ONLINE_RATE", (36.0, 45.0, 53.0, 60.0, 64.0), 2024, base="work_files"),
    RateSpec("EID_ONLINE_USER_RATE", (22.0, 48.0, 66.0, 79.0, 86.0), 2024, base="online_users", share=0.9),
    RateSpec("E_DOCUMENT_RATE", (72.0, 82.0, 89.0, 94.0, 96.0), 2024, base="documents"),
    RateSpec("ADMIN_SERVICE_SATISFACTION", (84.57, 85.9, 87.1, 88.2, 89.0), 2021, district_scale=0.35,
             commune_sd=0.15, noise_sd=0.08, base="none"),
)
VALUES_HEADER = ("Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", "Năm", "Quý", "Giá trị", "Tử số", "Mẫu số")


def _logit(p: float) -> float:
    """log(p/(1-p)) of a percentage."""
    x = p / 100.0
    return math.log(x / (1.0 - x))


def _expit(x: np.ndarray) -> np.ndarray:
    """Inverse logit, as a share."""
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class ValuesModel:
    """Commune-level arrays (communes × quarters) of every indicator and the roll-up structure."""

    communes: list[str]
    quarters: tuple[tuple[int, int], ...]
    present: np.ndarray  # bool, False = the commune did not report that quarter
    num: dict[str, np.ndarray]
    den: dict[str, np.ndarray]
    value: dict[str, np.ndarray]
    names: dict[str, str]
    # what the arrays were drawn from, kept so later quarters continue the same communes (samples.present):
    # "workload" → per-commune bases (nc × 1); per indicator: the quarter-independent logit part, the yearly
    # drift's coefficient, the denominator's share of its basis and the calibrated shift
    latent: dict[str, dict[str, object]] = field(default_factory=dict)

    def districts(self, qi: int) -> list[tuple[str, list[int]]]:
        """Valid districts of quarter qi with the row indexes of their communes."""
        on = quarter_end(*self.quarters[qi])
        parents = parent_map(on)
        index = {c: i for i, c in enumerate(self.communes)}
        out = []
        for d in valid_units(on, "district"):
            out.append((d, [index[c] for c in self.communes if parents.get(c) == d]))
        return out


def _aggregate(model: ValuesModel, code: str, qi: int, idx: Sequence[int]) -> tuple[float | None, int | None, int | None]:
    """(value, numerator, denominator) of a set of communes in one quarter, over those that reported."""
    rows = [i for i in idx if model.present[i, qi]]
    if not rows:
        return None, None, None
    if code in model.num:
        n = int(model.num[code][rows, qi].sum())
        d = int(model.den[code][rows, qi].sum())
        return round(100.0 * n / d, 2), n, d
    return round(float(np.mean(model.value[code][rows, qi])), 2), None, None


@lru_cache(maxsize=1)
def values_model() -> ValuesModel:
    """Generate the commune arrays once (deterministic)."""
    rng = np.random.default_rng(20250401)
    u = units()
    communes = list(u.loc[u["level"] == "commune", "code"])
    kinds = dict(zip(u["code"], u["type"]))
    home = parent_map(date(2021, 3, 31))
    nc, nq = len(communes), len(QUARTERS)
    t = np.array([y + (q - 0.5) / 4.0 for y, q in QUARTERS])  # quarter mid-points in years
    years = np.array([y for y, _ in QUARTERS])
    dist = [home[c] for c in communes]
    d_eff = np.array([DISTRICT_EFFECT[d] for d in dist])[:, None]
    d_drift = np.array([DISTRICT_DRIFT.get(d, 0.0) for d in dist])[:, None]
    type_eff = np.array([{"Phường": 0.25, "Thị trấn": 0.12}.get(kinds[c], 0.0) for c in communes])[:, None]
    capacity = rng.normal(0.0, 1.0, (nc, 1))  # a commune's general capacity, shared by indicators
    # workloads per quarter
    growth = 1.06 ** (years - 2021)
    season = np.array([{1: 0.85, 2: 1.0, 3: 1.02, 4: 1.13}[q] for _, q in QUARTERS])
    size = {"Phường": (700, 1400), "Thị trấn": (450, 800), "Xã": (180, 480)}
    dossier_base = np.array([rng.uniform(*size[kinds[c]]) for c in communes])[:, None]
    dossiers = rng.poisson(dossier_base * growth * season)
    wf = {"Phường": (150, 300), "Thị trấn": (100, 200), "Xã": (50, 130)}
    work_file_base = np.array([rng.uniform(*wf[kinds[c]]) for c in communes])[:, None]
    work_files = rng.poisson(work_file_base * growth)
    dc = {"Phường": (200, 400), "Thị trấn": (110, 240), "Xã": (80, 220)}
    document_base = np.array([rng.uniform(*dc[kinds[c]]) for c in communes])[:, None]
    documents = rng.poisson(document_base * growth * season)
    latent: dict[str, dict[str, object]] = {"workload": {
        "dossiers": dossier_base, "work_files": work_file_base, "documents": document_base}}
    # missing reports: ~2 %, more in the trailing districts
    miss_p = np.array([0.04 if d in ("361", "365") else 0.015 for d in dist])[:, None]
    present = rng.random((nc, nq)) >= miss_p  # Mỹ Lộc's communes go on reporting in 2025, under the city
    names = dict(seed_targets().drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"])
    num: dict[str, np.ndarray] = {}
    den: dict[str, np.ndarray] = {}
    value: dict[str, np.ndarray] = {}
    anchor_t = np.arange(2021, 2026) + 0.5
    for spec in RATE_SPECS:
        base_curve = np.interp(t, anchor_t, [_logit(a) for a in spec.anchors])
        own = rng.normal(0.0, spec.commune_sd, (nc, 1))
        noise = rng.normal(0.0, spec.noise_sd, (nc, nq))
        z = rng.standard_normal((nc, nq))
        share = rng.uniform(0.85, 1.15, (nc, 1)) * spec.share
        logit = (base_curve[None, :] + spec.district_scale * (d_eff + d_drift * (t[None, :] - 2023.0))
                 + spec.district_scale * type_eff + 0.7 * spec.commune_sd * capacity + own + noise)
        if spec.base == "none":
            def province_value(shift: float) -> float:
                """The province's mean of quarterly commune means in the calibration year."""
                v = np.round(100.0 * _expit(logit + shift), 2)
                cols = np.where(years == spec.calibrate_year)[0]
                return float(np.mean([np.round(v[present[:, j], j].mean(), 2) for j in cols]))
            shift = _calibrate(province_value, spec.anchors[spec.calibrate_year - 2021])
            value[spec.code] = np.round(100.0 * _expit(logit + shift), 2)
            latent[spec.code] = _latent(spec, d_eff, type_eff, capacity, own, d_drift, share, shift)
            continue
        if spec.base == "dossiers":
            d = np.maximum(1, np.rint(dossiers * share)).astype(np.int64)
        elif spec.base == "work_files":
            d = np.maximum(1, work_files).astype(np.int64)
        elif spec.base == "documents":
            d = np.maximum(1, documents).astype(np.int64)
        else:  # people who used online services: the online dossiers of the commune
            d = np.maximum(5, np.rint(num["TTHC_ONLINE_DOSSIER_RATE"] * share)).astype(np.int64)

        def draw(shift: float, d: np.ndarray = d, logit: np.ndarray = logit, z: np.ndarray = z) -> np.ndarray:
            """Numerators for a logit shift (normal approximation of a binomial with fixed draws)."""
            p = _expit(logit + shift)
            n = np.rint(d * p + z * np.sqrt(d * p * (1.0 - p)))
            return np.clip(n, 0, d).astype(np.int64)

        def province_rate(shift: float, d: np.ndarray = d, draw: Callable = draw) -> float:
            """The province's weighted rate in the calibration year."""
            n = draw(shift)
            m = present & (years == spec.calibrate_year)[None, :]
            return 100.0 * float(n[m].sum()) / float(d[m].sum())

        shift = _calibrate(province_rate, spec.anchors[spec.calibrate_year - 2021])
        num[spec.code], den[spec.code] = draw(shift), d
        latent[spec.code] = _latent(spec, d_eff, type_eff, capacity, own, d_drift, share, shift)
    return ValuesModel(communes, QUARTERS, present, num, den, value, names, latent)


def _latent(spec: RateSpec, d_eff: np.ndarray, type_eff: np.ndarray, capacity: np.ndarray, own: np.ndarray,
            d_drift: np.ndarray, share: np.ndarray, shift: float) -> dict[str, object]:
    """The quarter-independent parts of one indicator's commune logits (see ValuesModel.latent)."""
    return {"static": spec.district_scale * (d_eff + type_eff) + 0.7 * spec.commune_sd * capacity + own,
            "drift": spec.district_scale * d_drift, "share": share, "shift": shift}


def _calibrate(f: Callable[[float], float], target: float) -> float:
    """The logit shift s at which the increasing function f(s) is closest to target (bisection)."""
    lo, hi = -3.0, 3.0
    for _ in range(50):
        mid = (lo + hi) / 2.0
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return lo if abs(f(lo) - target) <= abs(f(hi) - target) else hi


def values_rows() -> list[list[object]]:
    """The long rows: indicator × quarter × (province, each district and its reporting communes)."""
    m = values_model()
    names = {c: unit_name(c) for c in units()["code"]}
    rows: list[list[object]] = []
    for spec in RATE_SPECS:
        code = spec.code
        label = m.names[code]
        for qi, (y, q) in enumerate(m.quarters):
            districts = m.districts(qi)
            all_idx = [i for _, idx in districts for i in idx]

            def line(unit: str, agg: tuple[float | None, int | None, int | None]) -> list[object]:
                """One sheet row."""
                return [code, label, unit, names[unit], y, q, *agg]

            rows.append(line("36", _aggregate(m, code, qi, all_idx)))
            for d, idx in districts:
                rows.append(line(d, _aggregate(m, code, qi, idx)))
                for i in idx:
                    if m.present[i, qi]:
                        rows.append(line(m.communes[i], _aggregate(m, code, qi, [i])))
    return rows


def write_values(path: Path, quarters: Sequence[tuple[int, int]] | None = None) -> Path:
    """The long values workbook (sheet «Số liệu»); `quarters` limits the periods written (default: all)."""
    keep = set(quarters) if quarters else None
    rows = [r for r in values_rows() if keep is None or (r[4], r[5]) in keep]
    spec = SheetSpec(
        "Số liệu",
        ("SỐ LIỆU CÁC CHỈ TIÊU CẢI CÁCH HÀNH CHÍNH THEO QUÝ",
         "(Tổng hợp từ báo cáo của UBND các huyện, thành phố và UBND các xã, phường, thị trấn; "
         "số liệu cấp huyện, cấp tỉnh là tổng tử số, mẫu số của các xã có báo cáo)"),
        VALUES_HEADER, rows, (30, 50, 10, 26, 7, 6, 10, 10, 10),
        issuer=("UBND TỈNH NAM ĐỊNH", "SỞ NỘI VỤ"),
        signature=_signature("Nam Định, ngày 15 tháng 7 năm 2025", "NGƯỜI TỔNG HỢP", "Nguyễn Thị Hà"),
        signature_col=7, formats={7: "0.00", 8: "#,##0", 9: "#,##0"}, center_cols=(3, 5, 6),
    )
    wb = Workbook()
    write_sheet(wb.active, spec)
    return finish(wb, path)


WIDE_INDICATOR = "INTERNAL_TTHC_PUBLISHED_RATE"
WIDE_YEARS = (2021, 2022, 2023, 2024)


def wide_rows() -> list[list[object]]:
    """Yearly values of one value-only indicator for the province and the districts of 2021–2024."""
    rng = np.random.default_rng(20250402)
    label = seed_targets().set_index("indicator_code").loc[WIDE_INDICATOR, "indicator_name"]
    label = str(label.iloc[0] if isinstance(label, pd.Series) else label)
    districts = valid_units(date(2024, 12, 31), "district")
    province_curve = np.array([58.0, 69.0, 79.5, 87.5])
    rows: list[list[object]] = []
    table: dict[str, np.ndarray] = {}
    for d in districts:
        eff = 12.0 * DISTRICT_EFFECT[d] + 4.0 * DISTRICT_DRIFT.get(d, 0.0) * np.arange(4)
        table[d] = np.clip(np.round(province_curve + eff + rng.normal(0.0, 1.5, 4), 2), 0, 100)
    province = np.round(np.mean(list(table.values()), axis=0), 2)
    rows.append([WIDE_INDICATOR, label, "36", unit_name("36"), *province.tolist()])
    for d in districts:
        rows.append([WIDE_INDICATOR, label, d, unit_name(d), *table[d].tolist()])
    return rows


# Yearly figures reported once a year by the standing office (2020 only where a target compares with it).
# Hand-set, plausible trajectories: some indicators reach their 2025 target, some are at risk, some off track.
YEARLY_YEARS = (2020, 2021, 2022, 2023, 2024)
YEARLY: tuple[tuple[str, str, tuple[float | None, ...]], ...] = (
    ("ONLINE_SERVICE_PORTAL_INTEGRATION_RATE", "36", (None, 72.0, 88.0, 96.0, 99.0)),
    ("ONLINE_TXN_E_AUTH_RATE", "36", (None, 40.0, 62.0, 81.0, 93.0)),
    ("TTHC_ONLINE_L34_RATE", "36", (None, 55.0, 71.0, 84.0, 92.0)),
    ("TTHC_NATIONAL_PORTAL_RATE", "36", (None, 48.0, 69.0, 83.0, 94.0)),
    ("TTHC_SATISFACTION", "36", (None, 84.6, 86.1, 87.3, 88.4)),
    ("TTHC_SATISFACTION_LAND_INVEST", "36", (None, 78.2, 80.0, 81.5, 82.9)),
    ("ONLINE_PAYMENT_TXN_RATE", "36", (None, 6.5, 14.2, 22.8, 31.4)),
    ("REG_SIMPLIFICATION_RATE", "36", (None, 4.0, 9.0, 13.5, 17.0)),
    ("TTHC_DECENTRALISED_RATE", "36", (None, 3.0, 6.0, 8.5, 10.0)),
    ("HEALTH_EDU_SATISFACTION", "36", (None, 80.1, 81.5, 83.0, 84.2)),
    ("PSU_SELF_FINANCED_RATE", "36", (None, 8.0, 11.0, 14.0, 17.0)),
    ("GOV_PORTAL_INFO_RATE", "36", (None, 76.0, 85.0, 92.0, 97.0)),
    ("SHARED_DB_CONNECTED_RATE", "36", (None, 30.0, 45.0, 58.0, 66.0)),
    ("REPORTING_SYSTEM_LINK_RATE", "36", (None, 60.0, 85.0, 100.0, 100.0)),
    ("DIGITAL_INSPECTION_RATE", "36", (None, 12.0, 21.0, 31.0, 40.0)),
    ("INFO_SYSTEM_INTEGRATION_RATE", "36", (None, 35.0, 48.0, 61.0, 70.0)),
    ("ADULT_BANK_ACCOUNT_RATE", "36", (None, 62.0, 66.0, 71.0, 75.0)),
    ("ECON_PSU_CONVERSION_RATE", "36", (None, 40.0, 55.0, 68.0, 80.0)),
    ("PSU_COUNT_CHANGE", "36", (None, 1168.0, 1131.0, 1092.0, 1061.0)),
    ("PSU_PAYROLL_CHANGE", "36", (None, 24850.0, 24231.0, 23640.0, 23105.0)),
    ("ADMIN_UNIT_REARRANGEMENT", "36", (None, 0.0, 0.0, 0.0, 1.0)),
    ("LEGAL_DOC_COMPLIANCE_RATE", "361", (None, 92.0, 95.0, 97.0, 98.0)),
    ("HAMLET_REARRANGEMENT", "361", (None, 0.0, 1.0, 1.0, 1.0)),
    ("PSU_PAYROLL_CHANGE", "361", (None, 2140.0, 2101.0, 2068.0, 2030.0)),
    ("ONE_STOP_TTHC_RATE", "356", (None, 96.0, 98.0, 100.0, 100.0)),
    ("TTHC_ONLINE_DOSSIER_L3_RATE", "356", (None, 30.0, 38.0, 45.0, 52.0)),
    ("TTHC_ONLINE_DOSSIER_L4_RATE", "356", (None, 18.0, 26.0, 33.0, 41.0)),
    ("POSTAL_DOSSIER_RATE", "356", (11.2, 12.0, 12.6, 13.1, 13.9)),
    ("CCHC_INITIATIVE_PROVINCIAL", "356", (None, 0.0, 0.0, 1.0, 1.0)),
)


def yearly_rows() -> list[list[object]]:
    """One row per (indicator, unit) with its yearly figures."""
    names = seed_targets().drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
    return [[code, str(names[code]), unit, unit_name(unit), *values] for code, unit, values in YEARLY]


def write_values_wide(path: Path) -> Path:
    """A small WIDE values workbook: one indicator, province and districts, one column per year."""
    spec = SheetSpec(
        "Số liệu năm",
        ("TỶ LỆ THỦ TỤC HÀNH CHÍNH NỘI BỘ ĐƯỢC CÔNG BỐ, CÔNG KHAI VÀ CẬP NHẬT KỊP THỜI",
         "GIAI ĐOẠN 2021 - 2024",
         "(Đơn vị tính: %; số liệu cấp tỉnh là bình quân các huyện, thành phố)"),
        ("Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", *[f"Năm {y}" for y in WIDE_YEARS]),
        wide_rows(), (30, 45, 10, 24, 11, 11, 11, 11),
        issuer=("UBND TỈNH NAM ĐỊNH", "VĂN PHÒNG UBND TỈNH"),
        signature=_signature("Nam Định, ngày 20 tháng 01 năm 2025", "CHÁNH VĂN PHÒNG", "Lê Quang Huy"),
        signature_col=6, formats={c: "0.00" for c in range(5, 9)}, center_cols=(3,),
    )
    wb = Workbook()
    write_sheet(wb.active, spec)
    yearly = SheetSpec(
        "Chỉ tiêu năm",
        ("SỐ LIỆU CÁC CHỈ TIÊU BÁO CÁO HẰNG NĂM", "GIAI ĐOẠN 2020 - 2024"),
        ("Mã chỉ tiêu", "Chỉ tiêu", "Mã ĐVHC", "Đơn vị hành chính", *[f"Năm {y}" for y in YEARLY_YEARS]),
        yearly_rows(), (34, 50, 10, 22, 11, 11, 11, 11, 11),
        issuer=("UBND TỈNH NAM ĐỊNH", "SỞ NỘI VỤ"),
        signature=_signature("Nam Định, ngày 20 tháng 01 năm 2025", "GIÁM ĐỐC", "Trần Văn Minh"),
        signature_col=7, formats={c: "#,##0.0" for c in range(5, 10)}, center_cols=(3,),
    )
    write_sheet(wb.create_sheet(), yearly)
    return finish(wb, path)


# --- c. PAR INDEX --------------------------------------------------------------------------------

PAR_COMPONENTS: tuple[tuple[str, str, float], ...] = (
    ("direction", "Công tác chỉ đạo, điều hành CCHC", 9.0),
    ("legal_docs", "Xây dựng và tổ chức thực hiện VBQPPL", 6.0),
    ("procedure", "Cải cách thủ tục hành chính", 12.0),
    ("organisation", "Cải cách tổ chức bộ máy", 7.0),
    ("civil_service", "Xây dựng và nâng cao chất lượng đội ngũ CBCCVC", 8.0),
    ("finance", "Cải cách tài chính công", 6.0),
    ("modernisation", "Hiện đại hóa nền hành chính", 10.0),
    ("one_stop", "Thực hiện cơ chế một cửa, một cửa liên thông", 12.0),
    ("survey", "Điều tra xã hội học", 30.0),
)
assert sum(m for _, _, m in PAR_COMPONENTS) == 100.0
PAR_YEARS = (2021, 2022, 2023, 2024)
PROVINCE_PAR = {2021: (86.40, 40), 2022: (86.93, 33), 2023: (87.32, 29), 2024: (88.05, 25)}
PERCENT_SHEET = ("district", 2022)  # this sheet is written in % of the maximum
SUBJECT_SHEETS = {"department": "Sở ngành", "district": "Huyện", "commune": "Xã"}
SUBJECT_TITLES = {
    "department": "CỦA CÁC SỞ, BAN, NGÀNH THUỘC UBND TỈNH",
    "district": "CỦA UBND CÁC HUYỆN, THÀNH PHỐ",
    "commune": "CỦA UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN",
}
DEPT_LEVEL = {"SNV": 4.5, "STTTT": 3.5, "VPUBND": 3.0, "STP": 0.8, "SYT": -6.0, "SNNPTNT": -2.5}
DEPT_TREND = {"SYT": -0.6, "SXD": 1.2, "SCT": -1.0, "STNMT": 1.0}
DISTRICT_LEVEL = {"356": 4.0, "366": 3.0, "364": 1.5, "362": 0.8, "359": 0.2, "363": -0.3, "358": -0.8,
                  "360": -1.2, "361": -3.5, "365": -4.5}
STP_RANKS = (9, 12)  # Sở Tư pháp's rank in 2023 and 2024
STP_GAIN = 1.20  # points gained 2023 → 2024


@dataclass
class ParScores:
    """Component scores (points) per subject kind, year and subject code."""

    subjects: dict[str, list[str]]  # kind → codes (departments in agencies.csv order)
    scores: dict[tuple[str, int, str], np.ndarray]  # (kind, year, code) → points per component

    def total(self, kind: str, year: int, code: str) -> float:
        """Total points, rounded to 2 decimals."""
        return round(float(self.scores[(kind, year, code)].sum()), 2)

    def ranked(self, kind: str, year: int) -> list[tuple[str, float, int]]:
        """(code, total, rank) of the subjects of one sheet, best first (ties broken by code)."""
        codes = [c for c in self.subjects[kind] if (kind, year, c) in self.scores]
        order = sorted(codes, key=lambda c: (-self.total(kind, year, c), c))
        return [(c, self.total(kind, year, c), i) for i, c in enumerate(order, 1)]


def _subjects_of(kind: str, year: int) -> list[str]:
    """Subjects scored in a year: departments, the districts valid that year, every commune."""
    if kind == "department":
        a = agencies()
        return list(a.loc[a["rank_group"] == "department", "code"])
    return valid_units(date(year, 12, 31), kind)


@lru_cache(maxsize=1)
def par_scores() -> ParScores:
    """Generate every subject's component scores for 2021–2024 (deterministic)."""
    rng = np.random.default_rng(20250403)
    maxima = np.array([m for _, _, m in PAR_COMPONENTS])
    comp_index = {c: i for i, (c, _, _) in enumerate(PAR_COMPONENTS)}
    home = parent_map(date(2021, 3, 31))
    subjects = {k: _subjects_of(k, 2021) for k in SUBJECT_SHEETS}
    scores: dict[tuple[str, int, str], np.ndarray] = {}
    for kind, codes in subjects.items():
        base0, slope = {"department": (83.2, 0.8), "district": (83.0, 1.0), "commune": (79.5, 1.2)}[kind]
        for code in codes:
            if kind == "department":
                level = DEPT_LEVEL.get(code, rng.normal(0.0, 2.8))
                trend = DEPT_TREND.get(code, rng.normal(0.0, 0.8))
            elif kind == "district":
                level = DISTRICT_LEVEL[code] + rng.normal(0.0, 0.5)
                trend = DISTRICT_DRIFT.get(code, 0.0) * 10.0 + rng.normal(0.0, 0.3)
            else:
                level = 0.7 * DISTRICT_LEVEL[home[code]] + rng.normal(0.0, 3.0)
                trend = DISTRICT_DRIFT.get(home[code], 0.0) * 10.0 + rng.normal(0.0, 0.6)
            bias = rng.normal(0.0, 3.0, len(maxima))
            bias[comp_index["survey"]] *= 0.4
            bias -= float(bias @ maxima) / float(maxima.sum())  # reshapes the profile, not the total
            if code == "STP":
                bias[comp_index["procedure"]] = -11.0  # points lost on "Cải cách TTHC"
            for year in PAR_YEARS:
                if code not in _subjects_of(kind, year):
                    continue
                pct = base0 + slope * (year - 2021) + level + trend * (year - 2022.5) + bias + rng.normal(0.0, 1.8, len(maxima))
                scores[(kind, year, code)] = np.round(maxima * np.clip(pct, 40.0, 99.5) / 100.0, 2)
    result = ParScores(subjects, scores)
    _place_stp(result, comp_index["survey"])
    return result


def _place_stp(par: ParScores, survey: int) -> None:
    """Put Sở Tư pháp at rank 9 in 2023 and rank 12 in 2024 with a score 1.2 points higher.

    STP's survey points are set so its totals fall between its neighbours; the other departments'
    2024 scores are nudged by a common share of the maximum when needed.
    """
    maxima = np.array([m for _, _, m in PAR_COMPONENTS])
    depts = par.subjects["department"]

    def others(year: int) -> list[float]:
        """The other departments' totals of a year, best first."""
        return sorted((par.total("department", year, c) for c in depts if c != "STP"), reverse=True)

    r23, r24 = STP_RANKS
    o23 = others(2023)
    a = round((o23[r23 - 2] + o23[r23 - 1]) / 2.0, 2)
    b = round(a + STP_GAIN, 2)
    for _ in range(10):  # nudge the others' 2024 scores until b sits between ranks r24-1 and r24
        o24 = others(2024)
        shift = b - (o24[r24 - 2] + o24[r24 - 1]) / 2.0
        if abs(shift) < 0.01:
            break
        for c in depts:
            if c != "STP":
                s = par.scores[("department", 2024, c)]
                s[:] = np.round(np.clip(s + shift * maxima / 100.0, 0.0, 0.995 * maxima), 2)
    for year, target in ((2023, a), (2024, b)):
        s = par.scores[("department", year, "STP")]
        s[survey] = round(target - (s.sum() - s[survey]), 2)
        assert 0.0 <= s[survey] <= maxima[survey]
    assert [r for c, _, r in par.ranked("department", 2023) if c == "STP"] == [r23]
    assert [r for c, _, r in par.ranked("department", 2024) if c == "STP"] == [r24]


def _par_sheet(par: ParScores, kind: str, year: int, names: dict[str, str] | None = None, subject_title: str = "",
               place: str = "Nam Định", decision: str = "", issuer: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"),
               ) -> SheetSpec:
    """One subject group's scores of one year, in points or (PERCENT_SHEET) in % of the maximum (the later
    samples give their own names, title, place, decision and issuer)."""
    percent = (kind, year) == PERCENT_SHEET
    names = names or {c: (agency_name(c) if kind == "department" else unit_name(c)) for c in par.subjects[kind]}
    rows: list[list[object]] = []
    totals: list[np.ndarray] = []
    maxima = np.array([m for _, _, m in PAR_COMPONENTS])
    for no, (code, total, rank) in enumerate(par.ranked(kind, year), 1):
        s = par.scores[(kind, year, code)]
        shown = np.round(100.0 * s / maxima, 2) if percent else s
        total_shown = round(total, 2)
        rows.append([no, code, names[code], *[float(v) for v in shown], total_shown, rank])
        totals.append(np.append(shown, total_shown))
    mean = np.round(np.mean(totals, axis=0), 2)
    rows.append([None, None, "Trung bình", *[float(v) for v in mean], None])
    if percent:
        comp_headers = [f"{label} (%)" for _, label, _ in PAR_COMPONENTS]
        total_header = "Tổng điểm (%)"
        pre = [["Điểm tối đa", None, None, *[m for _, _, m in PAR_COMPONENTS], 100.0, None]]
    else:
        comp_headers = [f"{label} (tối đa {m:g} điểm)" for _, label, m in PAR_COMPONENTS]
        total_header = "Tổng điểm (tối đa 100 điểm)"
        pre = []
    who = {"department": "CHỦ TỊCH HỘI ĐỒNG THẨM ĐỊNH", "district": "CHỦ TỊCH HỘI ĐỒNG THẨM ĐỊNH",
           "commune": "TỔ THẨM ĐỊNH CHỈ SỐ CCHC"}[kind]
    title = [f"KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}", subject_title or SUBJECT_TITLES[kind]]
    if percent:
        title[1] += " (tính theo %)"
    decision = decision or f"Quyết định số {412 + 37 * (year - 2021)}/QĐ-UBND ngày 28/3/{year + 1}"
    title.append(f"(Kèm theo {decision} của UBND tỉnh)")
    return SheetSpec(
        f"{SUBJECT_SHEETS[kind]} {year}", title,
        ("STT", "Mã", "Cơ quan, đơn vị", *comp_headers, total_header, "Xếp hạng"),
        rows, (5, 9, 34, *[13] * len(PAR_COMPONENTS), 12, 9), pre_rows=pre, merge_pre=3 if pre else 0,
        notes=("Ghi chú: xếp hạng theo tổng điểm từ cao xuống thấp trong nhóm.",),
        signature=_signature(f"{place}, ngày 28 tháng 3 năm {year + 1}", who, "Nguyễn Văn Thành"), issuer=issuer,
        signature_col=10, formats={c: "0.00" for c in range(4, 4 + len(PAR_COMPONENTS) + 1)},
        center_cols=(1, 2, 4 + len(PAR_COMPONENTS) + 1),
    )


def _province_sheet() -> SheetSpec:
    """Nam Định's own PAR INDEX as published by the Ministry of Home Affairs."""
    rows = [[i, "36", "Tỉnh Nam Định", y, s, r] for i, (y, (s, r)) in enumerate(sorted(PROVINCE_PAR.items()), 1)]
    return SheetSpec(
        "Tỉnh",
        ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA TỈNH NAM ĐỊNH DO BỘ NỘI VỤ CÔNG BỐ",
         "GIAI ĐOẠN 2021 - 2024"),
        ("STT", "Mã", "Cơ quan, đơn vị", "Năm", "Tổng điểm (tối đa 100 điểm)", "Xếp hạng"),
        rows, (6, 8, 26, 8, 16, 10),
        notes=("Ghi chú: xếp hạng trong 63 tỉnh, thành phố trực thuộc Trung ương.",),
        signature=("", "SỞ NỘI VỤ TỔNG HỢP"), signature_col=5, formats={5: "0.00"}, center_cols=(1, 2, 4, 6),
    )


def write_par(path: Path) -> Path:
    """The PAR INDEX workbook: «Tỉnh», then one sheet per year and subject group."""
    par = par_scores()
    wb = Workbook()
    write_sheet(wb.active, _province_sheet())
    for year in PAR_YEARS:
        for kind in SUBJECT_SHEETS:
            write_sheet(wb.create_sheet(), _par_sheet(par, kind, year))
    return finish(wb, path)


# --- d. quarterly progress -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanOutput:
    """One output of a parsed plan: its reference, text, lead agencies and deadline."""

    plan: str
    ref: str
    output: str
    leads: tuple[str, ...]
    deadline_kind: str
    due_dates: tuple[date, ...]
    period: tuple[int, int]


def read_plan_outputs(paths: Sequence[Path]) -> list[PlanOutput]:
    """Parse plan workbooks and list their outputs with refs as the importer computes them."""
    out: list[PlanOutput] = []
    for path in paths:
        result = parse_workbook(Path(path))
        code = plan_code(result.meta)
        period = result.meta.period or (2021, 2025)
        for ref, o in zip(output_refs(code, result.outputs), result.outputs):
            leads: list[str] = []
            for lead in o.leads:
                for a in ((lead.code,) if lead.code else lead.members):
                    if a and a not in leads:
                        leads.append(a)
            out.append(PlanOutput(code, ref, o.output, tuple(leads), o.deadline.kind, tuple(o.deadline.due_dates), period))
    return out


PROGRESS_HEADER = ("Mã sản phẩm", "Kế hoạch", "Sản phẩm", "Cơ quan báo cáo", "Kỳ báo cáo", "Trạng thái",
                   "Tỷ lệ hoàn thành (%)", "Văn bản chứng minh", "Ghi chú")
BEHIND_AGENCIES = frozenset({"SYT", "UBND-365", "UBND-361", "PTCKH-356"})
AHEAD_AGENCIES = frozenset({"SNV", "STTTT", "VPUBND", "UBND-356", "UBND-366", "VPHU-356", "PNV-356"})
TIERS = {  # on-time probability, share of quarterly reports skipped, share never finished when late
    "ahead": (0.90, 0.01, 0.0),
    "normal": (0.72, 0.03, 0.05),
    "behind": (0.40, 0.12, 0.25),
}
DOC_SYMBOL = {"SKHDT": "SKHĐT", "SGDDT": "SGDĐT", "SNNPTNT": "SNN", "SLDTBXH": "SLĐTBXH", "TTT": "TTr",
              "VPUBND": "VP", "TCTUBND": "TCT", "SVHTTDL": "SVHTTDL"}
NOTES = {
    "in_progress_behind": ("Đang chờ bố trí kinh phí", "Đang lấy ý kiến các cơ quan liên quan",
                           "Chậm do thiếu cán bộ chuyên trách"),
    "done_late": ("Chậm do thay đổi cán bộ phụ trách", "Chậm do chờ hướng dẫn của Bộ, ngành Trung ương",
                  "Hoàn thành sau thời hạn do phải trình lại"),
    "not_started": ("Chưa triển khai, chờ hướng dẫn", "Dự kiến triển khai quý sau"),
    "done": ("Đã đăng tải trên Cổng thông tin điện tử", "Đã gửi Sở Nội vụ tổng hợp"),
}


def _tier(agency: str) -> str:
    """ahead | normal | behind for one agency (communes follow their district; a 2025 agency its field's)."""
    if agency.endswith("-2025"):
        from samples import present  # lazy: a real cycle via samples.present

        if agency.startswith("UBND-") and agency != "UBND-37-2025":  # a new commune: where it came from
            unit = agency[5:]
            return "behind" if present._trailing(unit) else "ahead" if present._leading(unit) else "normal"
        agency = agency.split("-")[0]
    if agency in BEHIND_AGENCIES:
        return "behind"
    if agency in AHEAD_AGENCIES:
        return "ahead"
    if agency.startswith("UBND-") and len(agency) > 8:  # a commune people's committee
        parent = parent_map(date(2023, 12, 31)).get(agency[5:])
        if parent in ("361", "365"):
            return "behind"
        if parent in ("356", "366"):
            return "ahead"
    return "normal"


LAST_QUARTER = Quarter(2025, 2).index  # Q2 2025: the district level ended on 1 July 2025


def _window(plan: PlanOutput) -> tuple[int, int]:
    """First and last reported quarter index (year*4 + quarter-1) of a plan.

    A one-year plan is reported over its four quarters; a multi-year plan issued mid-year (seed 004)
    from Q3 of its first year, up to Q2 2025 at the latest.
    """
    a, b = plan.period
    if a == b:
        return Quarter(a, 1).index, Quarter(a, 4).index
    return Quarter(a, 3).index, min(Quarter(b, 4).index, LAST_QUARTER)


def _qi(d: date) -> int:
    """Quarter index of a date."""
    return Quarter.of(d).index


def _qlabel(qi: int) -> str:
    """"Quý III/2023"."""
    return Quarter.from_index(qi).label


def _doc_type(output: str) -> str:
    """KH / BC / QĐ / TB from the output's wording."""
    f = output.lower()
    for word, kind in (("quyết định", "QĐ"), ("kế hoạch", "KH"), ("báo cáo", "BC"), ("thông báo", "TB")):
        if word in f:
            return kind
    return "BC"


@lru_cache(maxsize=1)
def _agency_kinds() -> dict[str, str]:
    """agency code → kind (department, people_committee, district_office, ...), every province and period."""
    a = _csv("agencies.csv")
    return dict(zip(a["code"], a["kind"]))


def _evidence(rng: np.random.Generator, agency: str, kind: str) -> str:
    """A document number such as "KH 45/KH-SNV" or "QĐ 1955/QĐ-UBND"."""
    if _agency_kinds()[agency] in ("people_committee", "district_office") or kind == "QĐ":
        symbol = "UBND"
    else:
        base = agency.split("-")[0]  # "SNV-37-2025" → "SNV"
        symbol = DOC_SYMBOL.get(base, base)
    number = int(rng.integers(1, 600 if kind != "QĐ" else 2600))
    return f"{kind} {number}/{kind}-{symbol}"


@dataclass
class _Cycle:
    """One occurrence of an assignment: its due quarter and when it was (or will be) done."""

    due: int | None  # quarter index, None = no due date
    start: int  # first quarter with work in progress
    done: int | None  # completion quarter (None = never)
    first: int  # first quarter the cycle is reported
    last: int  # last quarter the cycle is reported


def _cycles(o: PlanOutput, w0: int, w1: int, tier: str, rng: np.random.Generator) -> list[_Cycle]:
    """The occurrences of one assignment inside the reporting window, with simulated completion."""
    p_on, _, p_never = TIERS[tier]
    cycles: list[_Cycle] = []

    def once(due: int, first: int, last: int, earliest: int, can_spill: bool) -> _Cycle:
        """One occurrence: done on time (weighted towards the due quarter), late, or never."""
        on_time = rng.random() < p_on
        if on_time:
            lo = min(max(earliest, due - 3), due)
            span = np.arange(lo, due + 1)
            weights = np.arange(1, len(span) + 1, dtype=float)
            done = int(rng.choice(span, p=weights / weights.sum()))
        elif rng.random() < p_never or (not can_spill and Quarter.from_index(due).quarter == 4):  # a December cycle cannot spill
            done = None
        else:
            done = due + 1 + int(rng.random() < 0.35)
        end = done if done is not None else due
        if end - earliest > 4:  # a multi-year task is worked on from the start of the plan
            start = earliest + int(rng.integers(0, 3))
        else:
            start = max(earliest, end - int(rng.integers(1, 4)))
        return _Cycle(due, min(start, end), done, first, last)

    if o.deadline_kind == "recurring" and o.due_dates:
        years = sorted({d.year for d in o.due_dates})
        for y in years:
            dues = [_qi(d) for d in o.due_dates if d.year == y]
            first, last = max(w0, Quarter(y, 1).index), min(w1, Quarter(y, 4).index)
            if first > last:
                continue
            cycles.append(once(max(dues), first, last, Quarter(y, 1).index, can_spill=False))
        return cycles
    if o.deadline_kind == "continuous":
        return [_Cycle(None, w0, None, w0, w1)]
    if o.deadline_kind == "once" and o.due_dates:
        due = _qi(max(o.due_dates))
        return [once(due, w0, w1 + (1 if o.period[0] == o.period[1] else 0), min(w0, due), can_spill=True)]
    # unspecified: judged against the end of the plan's first year, never typed as late
    due = min(w1, Quarter(o.period[0], 4).index)
    c = once(due, w0, w1, w0, can_spill=True)
    return [_Cycle(None, c.start, c.done, c.first, c.last)]


def progress_rows(plans: Sequence[PlanOutput]) -> list[list[object]]:
    """Quarterly progress rows of every (output, lead agency), sorted by quarter, plan and output."""
    names = dict(zip(agencies()["code"], agencies()["name"]))
    return [row for _, row in _progress(plans, np.random.default_rng(20250404), names, Quarter(2021, 1).index, LAST_QUARTER, _window)]


def _progress(plans: Sequence[PlanOutput], rng: np.random.Generator, names: dict[str, str], first_q: int, last_q: int,
              window: Callable[[PlanOutput], tuple[int, int]],
              reporter: Callable[[PlanOutput, str, int], str | None] | None = None) -> list[tuple[tuple, list[object]]]:
    """(sort key, row) of every (output, lead agency, quarter) reported; `reporter` names who reports an
    assignment in a quarter (None = nobody: the agency had ended and its successor reports on its own row)."""
    # whole quarterly reports an agency failed to send
    all_agencies = sorted({a for o in plans for a in o.leads})
    skipped: set[tuple[str, int]] = set()
    for a in all_agencies:
        p_skip = TIERS[_tier(a)][1]
        for qi in range(first_q, last_q + 1):
            if rng.random() < p_skip:
                skipped.add((a, qi))
    plan_order = {p: i for i, p in enumerate(dict.fromkeys(o.plan for o in plans))}
    out: list[tuple[tuple, list[object]]] = []
    for order, o in enumerate(plans):
        w0, w1 = window(o)
        one_year = o.period[0] == o.period[1]
        doc = _doc_type(o.output)
        for agency in o.leads:
            tier = _tier(agency)
            for cycle in _cycles(o, w0, w1, tier, rng):
                evidence = _evidence(rng, agency, doc)
                plan_doc = _evidence(rng, agency, "KH")
                for qi in range(cycle.first, cycle.last + 1):
                    if qi > w1 and not (one_year and (cycle.done is None or cycle.done > w1) and o.deadline_kind != "continuous"):
                        continue  # the quarter after the plan year is reported only by late finishers
                    if qi > last_q or (agency, qi) in skipped or rng.random() < 0.01:
                        continue
                    status, pct, ev, note = _quarter_status(o, cycle, qi, agency, tier, evidence, plan_doc, rng)
                    who = reporter(o, agency, qi) if reporter else agency
                    if who is None:
                        continue
                    row = [o.ref, o.plan, o.output, names[who], _qlabel(qi), REPORT_STATUSES[status].label,
                           pct, ev, note]
                    out.append(((qi, plan_order[o.plan], order, agency), row))
    out.sort(key=lambda kv: kv[0])
    return out


def _quarter_status(o: PlanOutput, c: _Cycle, qi: int, agency: str, tier: str, evidence: str, plan_doc: str,
                    rng: np.random.Generator) -> tuple[str, int | None, str | None, str | None]:
    """(status, percent, evidence, note) of one cycle in one quarter."""
    note: str | None = None
    if o.deadline_kind == "continuous":
        if rng.random() < 0.3:
            return "done", 100, _evidence(rng, agency, "BC"), None
        return "in_progress", None, plan_doc if rng.random() < 0.4 else None, None
    if c.done is not None and qi >= c.done:
        late = c.due is not None and c.done > c.due
        status = "done_late" if late else "done"
        if qi == c.done and rng.random() < (0.5 if late else 0.08):
            note = str(rng.choice(NOTES[status]))
        return status, 100, evidence, note
    if qi < c.start:
        if rng.random() < 0.1:
            note = str(rng.choice(NOTES["not_started"]))
        return "not_started", 0, None, note
    end = c.done if c.done is not None else max(c.start + 1, (c.due or c.last) + 1)
    frac = (qi - c.start + 1) / max(1, end - c.start + 1)
    pct = int(min(90, max(10, 5 * round(100 * frac / 5))))
    if tier == "behind" and rng.random() < 0.3:
        note = str(rng.choice(NOTES["in_progress_behind"]))
    return "in_progress", pct, plan_doc if rng.random() < 0.25 else None, note


def write_progress(path: Path, plan_refs: Sequence[PlanOutput], later: Sequence[Sequence[object]] = ()) -> Path:
    """The progress workbook: one sheet per year «Tiến độ 2023», rows per output, agency and quarter; `later`
    are the rows of the later annual plans (samples.present), each year's after the earlier plans' rows."""
    rows = progress_rows(plan_refs) + [list(r) for r in later]
    by_year: dict[int, list[list[object]]] = {}
    for row in rows:
        by_year.setdefault(int(str(row[4]).split("/")[1]), []).append(row)
    wb = Workbook()
    first = True
    for year in sorted(by_year):
        ws = wb.active if first else wb.create_sheet()
        first = False
        spec = SheetSpec(
            f"Tiến độ {year}",
            (f"TỔNG HỢP BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
             "(Theo báo cáo định kỳ hằng quý của các cơ quan, đơn vị được giao chủ trì)"),
            PROGRESS_HEADER, by_year[year], (22, 15, 55, 30, 13, 18, 11, 20, 32),
            issuer=("UBND TỈNH NAM ĐỊNH" if year < 2025 else "UBND TỈNH NINH BÌNH", "SỞ NỘI VỤ"),
            signature=_progress_signature(year),
            signature_col=6, center_cols=(5, 7),
        )
        write_sheet(ws, spec)
    return finish(wb, path)


def _progress_signature(year: int) -> tuple[str, ...]:
    """Nam Định's Sở Nội vụ signs the years up to 2024, the new Ninh Bình's from 2025 (its summary of the year
    in January, or of the last closed quarter for the year under way)."""
    if year < 2025:
        return _signature(f"Nam Định, ngày 15 tháng 01 năm {year + 1}", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Phạm Thị Lan")
    from samples.present import _report_date, last_closed_quarter  # lazy: a real cycle via samples.present

    last = last_closed_quarter()
    place = _report_date(last) if last[0] == year else f"Ninh Bình, ngày 15 tháng 01 năm {year + 1}"
    return _signature(place, "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Đinh Văn Điệp")
