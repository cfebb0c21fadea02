"""Job level: many lifts and tasks over a shift.

LiFFT cumulative low-back damage (`lifft`), the Shoulder Tool (`shoulder_tool`), NIOSH
composite and variable lifting indices from measured lifts (`niosh_job`), the Liberty
Mutual manual materials handling equations (`lm_mmh`), percent of the population capable
per joint (`capable`), the job description (`spec`), what each lift contributes
(`measures`) and the whole evaluation (`evaluate`). See docs/job.md.
"""

from liftrisk.job.evaluate import JobResult, evaluate_job
from liftrisk.job.measures import LiftMeasure, lift_measures
from liftrisk.job.spec import JobSpec, TaskSpec, job_spec

__all__ = ["JobResult", "JobSpec", "LiftMeasure", "TaskSpec", "evaluate_job", "job_spec", "lift_measures"]
