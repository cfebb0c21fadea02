"""liftrisk.store: the assessment database (SQLAlchemy 2 + Alembic) and the
content-addressed upload folder.

Public API: `AssessmentStore`, `StoreSettings`, `upgrade` (migrations), models in
`liftrisk.store.models` (`AssessmentRecord` is the ORM row of an assessment). The store
depends on `liftrisk.core` only; running a queued assessment is `liftrisk.batch.queued.execute`.
"""

from liftrisk.store.assessments import AssessmentStore, NotFoundError, jsonable
from liftrisk.store.db import current_revision, downgrade, head_revision, make_engine, upgrade
from liftrisk.store.settings import StoreSettings, default_data_dir

__all__ = ["AssessmentStore", "NotFoundError", "StoreSettings", "default_data_dir", "upgrade", "downgrade",
           "current_revision", "head_revision", "make_engine", "jsonable"]
