"""liftrisk.batch: the assessment pipeline over many recordings, locally or on Dask/Ray.

Public API: `run_batch` (resumable batch run), `run_recording` (the default runner),
`AssessmentOutput`, `load_runner`, `collect`/`read_manifest` (what to run).
"""

from liftrisk.batch.manifest import BatchItem, collect, read_manifest
from liftrisk.batch.run import BatchReport, read_results, run_batch
from liftrisk.batch.runner import DEFAULT_RUNNER, AssessmentOutput, load_runner, run_recording

__all__ = ["run_batch", "BatchReport", "read_results", "BatchItem", "collect", "read_manifest",
           "AssessmentOutput", "load_runner", "run_recording", "DEFAULT_RUNNER"]
