"""liftrisk.batch: the assessment pipeline over many recordings, locally or on Dask/Ray.

Public API: `run_batch` (resumable batch run), `run_recording` (the default runner),
`AssessmentOutput`, `load_runner`, `collect`/`read_manifest` (what to run), `execute` (run one
queued assessment of the database in a worker). `batch` builds on `liftrisk.store`, never the
reverse.
"""

from liftrisk.batch.manifest import BatchItem, collect, read_manifest
from liftrisk.batch.queued import execute
from liftrisk.batch.run import BatchReport, read_results, run_batch
from liftrisk.batch.runner import DEFAULT_RUNNER, AssessmentOutput, load_runner, run_recording

__all__ = ["run_batch", "BatchReport", "read_results", "BatchItem", "collect", "read_manifest",
           "AssessmentOutput", "load_runner", "run_recording", "DEFAULT_RUNNER", "execute"]
