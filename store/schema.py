"""The database schema (SQLAlchemy Core). Alembic migrations under store/migrations create it.

Design notes:
- Reference tables (units, agencies, aliases, reform areas) are keyed by stable codes.
- Every imported fact carries the batch that brought it. Facts that a later upload may correct
  (progress reports, indicator values, PAR INDEX scores, targets, indicator versions) are never updated in place: a new batch
  adds rows and flips `is_current` on the rows it supersedes, so a rollback can restore the
  earlier state exactly by deleting its own rows and flipping the flags back.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    LargeBinary,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# --- Reference --------------------------------------------------------------------------------
units = Table(
    "units", metadata,
    Column("code", String(16), primary_key=True),  # the key: official code, "-2025" added on the 2025 map
    Column("name", String(200), nullable=False),
    Column("short_name", String(200), nullable=False),
    Column("level", String(16), nullable=False),  # province | district | commune
    Column("type", String(32), nullable=False),  # Tỉnh, Thành phố, Huyện, Xã, Phường, Thị trấn
    Column("valid_from", Date),  # inclusive; NULL = since before our data
    Column("valid_to", Date),  # inclusive; NULL = in force
    Column("lat", Float),
    Column("lon", Float),
    # migration 0004 (the map over time)
    Column("official_code", String(16), index=True),  # mã ĐVHC as published (reused by the 2025 map)
    Column("province_code", String(16)),  # key of the unit's province
    Column("area_km2", Float),
)

unit_parents = Table(
    "unit_parents", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("parent_code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("valid_from", Date),
    Column("valid_to", Date),
)

agencies = Table(
    "agencies", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("short_name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),  # department | provincial_other | people_committee | district_office
    Column("unit_code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("rank_group", String(16)),  # department | district | commune | NULL
    Column("valid_from", Date),  # migration 0004; inclusive, NULL = since before our data
    Column("valid_to", Date),  # inclusive, NULL = in force
)

# Successor links (migration 0004): an old unit or agency → what carried it on from `valid_from`, with the share
# of it that went there (units: territory, 1 = whole, a divided commune 1/n; agencies: 1 = carries its work,
# 0 = took over some functions only). Chains are followed by loaders.reference.Reference.successors_on.
unit_successors = Table(
    "unit_successors", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("successor_code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("valid_from", Date, nullable=False),
    Column("share", Float, nullable=False),
    Column("basis", String(16), nullable=False),  # whole | equal
)

agency_successors = Table(
    "agency_successors", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), ForeignKey("agencies.code"), nullable=False, index=True),
    Column("successor_code", String(32), ForeignKey("agencies.code"), nullable=False, index=True),
    Column("valid_from", Date, nullable=False),
    Column("share", Float, nullable=False),
    Column("note", Text),  # the functions that moved, when only some did
)

# What the reference tables were loaded from (migration 0004): province, build, fingerprint of the CSVs.
reference_meta = Table(
    "reference_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

agency_aliases = Table(
    "agency_aliases", metadata,
    Column("id", Integer, primary_key=True),
    Column("alias", String(300), nullable=False),
    Column("agency_code", String(32), ForeignKey("agencies.code"), nullable=False, index=True),
    Column("scope_unit_code", String(16)),
    Column("batch_id", Integer, ForeignKey("import_batches.id")),  # NULL = reference data
)

# What uploaders taught the readers (migration 0005): an agency or unit spelling, a status word, or a layout mapping
# (a header's text → the field it holds, per sheet kind). Written as a batch of its own (kind "aliases"), so a
# rollback deletes exactly what it added; removing one is another batch that sets `removed_batch_id`, undone by
# that batch's rollback. Read by store/aliases.py into loaders.learned.Learned.
learned_aliases = Table(
    "learned_aliases", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # agency | unit | status | column
    Column("text", String(300), nullable=False),  # as the uploader's file wrote it
    Column("key", String(300), nullable=False, index=True),  # its comparison form (loaders.learned.key_of)
    Column("target", String(64), nullable=False),  # agency code | unit code | status code | field
    Column("sheet_kind", String(32)),  # column mappings: the sheet kind they apply to
    Column("scope_unit_code", String(16)),  # agency spellings: the unit whose files they are read in
    Column("removed_batch_id", Integer, ForeignKey("import_batches.id")),  # the batch that removed it, or NULL
)

areas = Table(
    "areas", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("ord", Integer, nullable=False),
)

# --- Import batches ---------------------------------------------------------------------------
import_batches = Table(
    "import_batches", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # plan | progress | indicators | values | par | mixed | reference
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", Integer, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", DateTime(timezone=False), nullable=False),
    Column("status", String(16), nullable=False, default="imported"),  # imported | rolled_back
    Column("rolled_back_at", DateTime(timezone=False)),
    Column("rolled_back_by", String(100)),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("counts", JSON, nullable=False, default=dict),
    Column("options", JSON, nullable=False, default=dict),
)

# --- Plans and tasks --------------------------------------------------------------------------
plans = Table(
    "plans", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),  # "36-2023-158": issuer, period, number
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("issuer_unit_code", String(16), ForeignKey("units.code"), nullable=False, index=True),
    Column("number", String(64)),  # "158/KH-UBND"
    Column("issued_on", Date),
    Column("period_from", Integer, nullable=False),
    Column("period_to", Integer, nullable=False),
    Column("title", Text),
)

tasks = Table(
    "tasks", metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("area_code", String(32), ForeignKey("areas.code")),
    Column("area_text", Text),  # as written in the plan
    Column("task_no", String(32)),
    Column("text", Text, nullable=False),
    Column("ord", Integer, nullable=False),
)

outputs = Table(
    "outputs", metadata,
    Column("id", Integer, primary_key=True),
    Column("task_id", Integer, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ref", String(96), nullable=False, unique=True),  # "36-2023-158/II.4.3", printed on templates
    Column("output_no", String(32)),
    Column("text", Text, nullable=False),
    Column("lead_text", Text),
    Column("partner_text", Text),
    Column("deadline_text", Text, nullable=False, default=""),
    Column("deadline_kind", String(16), nullable=False),
    Column("sheet", String(100)),
    Column("row", Integer),
    Column("ord", Integer, nullable=False),
)

output_due_dates = Table(
    "output_due_dates", metadata,
    Column("id", Integer, primary_key=True),
    Column("output_id", Integer, ForeignKey("outputs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("due_date", Date, nullable=False),
)

assignments = Table(
    "assignments", metadata,
    Column("id", Integer, primary_key=True),
    Column("output_id", Integer, ForeignKey("outputs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("agency_code", String(32), ForeignKey("agencies.code"), nullable=False, index=True),
    Column("role", String(8), nullable=False),  # lead | partner
    Column("via_group", String(64)),  # the group lead this assignment was expanded from
    UniqueConstraint("output_id", "agency_code", "role", name="uq_assignment"),
)

# Groups named in a cell that have no enumerable members ("Cơ quan có liên quan").
output_groups = Table(
    "output_groups", metadata,
    Column("id", Integer, primary_key=True),
    Column("output_id", Integer, ForeignKey("outputs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("group_key", String(64), nullable=False),
    Column("role", String(8), nullable=False),
    Column("members", Integer, nullable=False),
)

progress_reports = Table(
    "progress_reports", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("assignment_id", Integer, ForeignKey("assignments.id", ondelete="CASCADE"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("percent", Float),
    Column("evidence", Text),
    Column("note", Text),
    Column("sheet", String(100)),
    Column("row", Integer),
    Column("is_current", Boolean, nullable=False, default=True),
    Index("ix_progress_key", "assignment_id", "year", "quarter"),
    Index("ix_progress_current", "is_current", "year", "quarter"),
)

# --- Indicators -------------------------------------------------------------------------------
indicators = Table(
    "indicators", metadata,
    Column("code", String(64), primary_key=True),  # the identity that targets and values refer to
    Column("batch_id", Integer, ForeignKey("import_batches.id")),  # the batch that created it
)

# What an indicator is called and how it is measured, versioned like the facts (migration 0003): a
# catalogue import adds a version and flips `is_current` on the one it replaces, never an UPDATE in
# place, so a rollback restores the earlier wording exactly. Read the current one (queries.indicators).
indicator_versions = Table(
    "indicator_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_code", String(64), ForeignKey("indicators.code"), nullable=False, index=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), index=True),  # NULL: carried over by 0003
    Column("name", Text, nullable=False),
    Column("area_code", String(32), ForeignKey("areas.code")),
    Column("unit", String(32), nullable=False),  # %, điểm, % điểm tối đa, hạng, nhóm, mốc, số
    Column("direction", String(4), nullable=False, default="up"),  # up | down
    Column("is_rate", Boolean, nullable=False, default=False),
    Column("is_current", Boolean, nullable=False, default=True),
)

targets = Table(
    "targets", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("indicator_code", String(64), ForeignKey("indicators.code"), nullable=False, index=True),
    Column("level", String(16), nullable=False),  # province | district | commune | all
    Column("scope_unit_code", String(16), ForeignKey("units.code")),  # NULL = the whole province
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("value", Float),
    Column("value_high", Float),
    Column("baseline_year", Integer),
    Column("step", Float),
    Column("cap", Float),
    Column("group_code", String(16)),
    Column("relative", Boolean, nullable=False, default=True),
    Column("text", Text, nullable=False),
    Column("source", Text),
    Column("is_current", Boolean, nullable=False, default=True),
    # the supersede match (store/importer.py): NULL scope = the whole province, compared as ''
    Index("ix_targets_key", "indicator_code", "level", func.coalesce(literal_column("scope_unit_code"),
                                                                      literal_column("''")), "year"),
)

indicator_values = Table(
    "indicator_values", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("indicator_code", String(64), ForeignKey("indicators.code"), nullable=False),
    Column("unit_code", String(16), ForeignKey("units.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer),  # NULL = the whole year
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("is_current", Boolean, nullable=False, default=True),
    # the supersede match (store/importer.py): NULL quarter = the whole year, compared as 0 (migration 0003)
    Index("ix_values_key", "indicator_code", "unit_code", "year", func.coalesce(literal_column("quarter"), literal_column("0"))),
)

# --- PAR INDEX --------------------------------------------------------------------------------
par_scores = Table(
    "par_scores", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("subject_kind", String(16), nullable=False),  # province | department | district | commune
    Column("subject_code", String(32), nullable=False),  # unit code or agency code
    Column("component", String(32), nullable=False),  # PAR_COMPONENTS code or "total"
    Column("score", Float),
    Column("max_score", Float),
    Column("official_rank", Integer),  # a published rank (e.g. 29 of 63), when known
    Column("rank_of", Integer),
    Column("is_current", Boolean, nullable=False, default=True),
    Index("ix_par_key", "year", "subject_kind", "subject_code", "component"),
)


# --- Users and audit (migration 0002) ---------------------------------------------------------
users = Table(
    "users", metadata,
    Column("username", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(200)),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),  # admin | editor | viewer
    Column("agencies", JSON, nullable=False, default=list),  # editor scope: agency codes
    Column("units", JSON, nullable=False, default=list),  # editor scope: unit codes
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=False)),
    Column("created_at", DateTime(timezone=False), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=False), nullable=False, index=True),
    Column("username", String(64)),
    Column("action", String(32), nullable=False),  # login | login_failed | logout | import | rollback | user_*
    Column("details", JSON, nullable=False, default=dict),
)

# --- pinned data versions ("as presented") ----------------------------------------------------------------------------
# A meeting pins the data version it showed: every table the views read, frozen (compressed pickle of the frames,
# written and read only by this application), so a link to it shows the same numbers after later imports and
# rollbacks. Never pruned; an admin can unpin, which drops the frozen tables and keeps the row for the record.
pinned_versions = Table(
    "pinned_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("presented_on", Date, nullable=False),
    Column("data_version", String(100), nullable=False),
    Column("payload", LargeBinary),  # NULL once unpinned
    Column("size_bytes", Integer, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("unpinned_by", String(64)),
    Column("unpinned_at", DateTime(timezone=False)),
)

# --- read models (store/readmodels.py) ------------------------------------------------------------------------
# Derived from the facts above and maintained per batch when an import or a rollback commits; never a source of
# truth (a rebuild makes them again from the facts). No foreign keys: they are rewritten in bulk.
read_models = Table(
    "read_models", metadata,
    Column("name", String(32), primary_key=True),
    Column("data_version", String(100), nullable=False),  # the data version (store.queries.data_version) it reflects
    Column("mode", String(16), nullable=False),  # how the last refresh went: rebuild | incremental | unchanged
    Column("row_count", Integer, nullable=False),  # rows the last refresh wrote
    Column("seconds", Float, nullable=False),
    Column("built_at", DateTime(timezone=False), nullable=False),
    Column("first_quarter", Integer),  # quarter index (Quarter.index) of the first and last quarter it holds, when
    Column("last_quarter", Integer),  # it holds quarters (task_status)
)

# the value series with the roll-ups by level, the PAR INDEX derived values and the carried history
# (analytics.series.value_series), one row per indicator × unit × period
rm_series = Table(
    "rm_series", metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_code", String(64), nullable=False),
    Column("unit_code", String(16), nullable=False),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer),  # NULL = the whole year
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("t", Float, nullable=False),
    Column("source", String(16), nullable=False),  # reported | rollup | carried
    Column("coverage", Float),  # carried: the part of the predecessors with a figure
    Column("cluster", String(16), nullable=False),  # the smallest unit code of its cluster (store.readmodels)
    Index("ix_rm_series_unit", "unit_code", "indicator_code", "t"),
    Index("ix_rm_series_cluster", "cluster"),
    Index("ix_rm_series_period", "indicator_code", "year", "quarter"),
)

# the quarterly status of each assignment occurrence (analytics.tasks.task_status: STATUS_COLUMNS), for every quarter
# from the first one (catalogue.FIRST_QUARTER) to the last closed or reported one
rm_task_status = Table(
    "rm_task_status", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("assignment_id", Integer, nullable=False),
    Column("output_id", Integer, nullable=False),
    Column("agency_code", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("due_date", Date),
    Column("status", String(16), nullable=False),
    Column("percent", Float),
    Column("evidence", Text),
    Column("reported", Boolean, nullable=False),
    Index("ix_rm_task_status_quarter", "year", "quarter"),
    Index("ix_rm_task_status_assignment", "assignment_id"),
)

# the PAR INDEX rank tables (analytics.rankings.rank_table: RANK_COLUMNS), one per year, subject kind and parent
# (communes within a district; '' = all of the kind), rows in the order shown
rm_rank = Table(
    "rm_rank", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent", String(16), nullable=False),
    Column("position", Integer, nullable=False),
    Column("subject_code", String(64), nullable=False),
    Column("parent_code", String(16)),
    Column("score", Float),
    Column("max_score", Float),
    Column("pct", Float),
    Column("rank", Integer),
    Column("n", Integer),
    Column("group_code", String(16)),
    Column("prev_rank", Integer),
    Column("prev_score", Float),
    Column("rank_change", Integer),
    Column("score_change", Float),
    Index("ix_rm_rank_table", "year", "kind", "parent"),
)

# the assessment of every current target at the end of every quarter (analytics.targets.ASSESSED), from the first
# quarter to the last closed or reported one: the plan's 2025 and 2030 targets judged on their subject's series
rm_target = Table(
    "rm_target", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("quarter", Integer, nullable=False),
    Column("target_id", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("observed", Float),
    Column("observed_at", Float),
    Column("required_now", Float),
    Column("target_value", Float),
    Column("projected", Float),
    Column("ratio", Float),
    Column("note", Text),
    Column("base_value", Float),
    Column("base_at", Float),
    Index("ix_rm_target_quarter", "year", "quarter"),
)
