"""The service layer: the one place the pages and `manage.py` call to change data.

Each command runs one transaction (store), refreshes the read data of the new data version (store.snapshot) and
writes its audit entry (in the same transaction), and exists here only:

- service.imports: `dry_run` (the rehearsal of the upload page and `manage.py import --dry-run`), `import_file`
  (which reuses a dry run's parse of the same bytes), `rollback`;
- service.aliases: `add_aliases`, `remove_alias` (what uploaders taught, as batches of their own);
- service.users: account changes (add, password, role and scope, disable, enable);
- service.bootstrap: the first run (schema, reference data, the first admin, the sample workbooks).

No streamlit here: the pages keep what is theirs (session state, the process caches of components.data).
"""
from __future__ import annotations

from service.aliases import add_aliases, remove_alias
from service.imports import Imported, Rehearsal, RolledBack, dry_run, import_file, rollback

__all__ = ["Imported", "Rehearsal", "RolledBack", "add_aliases", "dry_run", "import_file", "remove_alias", "rollback"]
