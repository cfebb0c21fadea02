"""CLI commands of the imu area: ``liftrisk imu synth|train|evaluate|predict``.

Thin layer: typed options that call :mod:`liftrisk.imu`; bad input raises LiftriskError,
which ``liftrisk.cli.main`` prints as one line with exit code 2.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from liftrisk.errors import LiftriskError

imu_app = typer.Typer(help="IMU lift-risk classifier (deep CNN of Snyder et al. 2021 and its baselines).",
                      no_args_is_help=True)

MODEL_HELP = "architecture: vgg_avg (proposed), vgg_max, cnn_lstm, cnn, mlp"


@imu_app.command("synth")
def synth(outdir: Path = typer.Argument(..., help="folder to write labels.csv and trials/ into"),
          n_subjects: int = typer.Option(10, "--n-subjects", help="synthetic workers"),
          trials_per_zone: int = typer.Option(6, "--trials-per-zone", help="repetitions per ACGIH zone"),
          seed: int = typer.Option(0, "--seed", help="random seed"),
          fmt: str = typer.Option("csv", "--format", help="csv or parquet")) -> None:
    """Generate a SYNTHETIC lifting data set (virtual IMUs; not the NIOSH data of Snyder et al. 2021)."""
    from liftrisk.imu.dataset import write_dataset
    from liftrisk.imu.synthetic import generate_dataset

    ds = generate_dataset(n_subjects=n_subjects, trials_per_zone=trials_per_zone, seed=seed)
    labels = ds.labels.copy()
    if fmt != "csv":
        labels["trial"] = labels["trial"].str.replace(".csv", f".{fmt}", regex=False)
    path = write_dataset(outdir, ds.trials, labels, fmt=fmt)
    counts = labels["risk"].value_counts().to_dict()
    typer.echo(f"wrote {len(ds)} synthetic trials ({n_subjects} subjects) to {outdir}; labels {path.name}; "
               f"low {counts.get('low', 0)}, medium {counts.get('medium', 0)}, high {counts.get('high', 0)}")


def _estimator(model: str, max_epochs: int, patience: int, seed: int, threads: int, verbose: bool):
    from liftrisk.imu.estimator import LiftRiskClassifier

    return LiftRiskClassifier(model=model, max_epochs=max_epochs, patience=patience, random_state=seed,
                              n_threads=threads, verbose=verbose)


@imu_app.command("train")
def train(data: Path = typer.Argument(..., help="dataset folder (labels.csv + trial files)"),
          output: Path = typer.Option(Path("model.pt"), "-o", "--output", help="model file to write"),
          model: str = typer.Option("vgg_avg", "--model", help=MODEL_HELP),
          max_epochs: int = typer.Option(200, "--max-epochs", help="epoch cap (early stopping usually ends first)"),
          patience: int = typer.Option(10, "--patience", help="early-stopping patience (epochs)"),
          seed: int = typer.Option(0, "--seed"),
          threads: int = typer.Option(2, "--threads", help="CPU threads"),
          verbose: bool = typer.Option(False, "--verbose", help="print the loss of each epoch")) -> None:
    """Train a classifier on all trials of DATA and save it."""
    from liftrisk.imu.dataset import load_dataset

    ds = load_dataset(data)
    clf = _estimator(model, max_epochs, patience, seed, threads, verbose).fit(ds.trials, ds.y)
    clf.save(output)
    typer.echo(f"trained {model} on {len(ds)} trials in {clf.fit_time_s_:.1f} s ({len(clf.history_)} epochs, "
               f"best {clf.best_epoch_ + 1}, loss {clf.history_[clf.best_epoch_]:.4f}); saved {output}")


@imu_app.command("evaluate")
def evaluate(data: Path = typer.Argument(..., help="dataset folder"),
             model_file: Path = typer.Option(None, "--model-file", "-m",
                                             help="evaluate this trained model on all of DATA"),
             protocol: str = typer.Option("random", "--protocol",
                                          help="without --model-file: random (75/25 split) or subjects "
                                               "(leave-subjects-out CV)"),
             model: str = typer.Option("vgg_avg", "--model", help=MODEL_HELP),
             folds: int = typer.Option(5, "--folds", help="subject folds for --protocol subjects"),
             max_epochs: int = typer.Option(200, "--max-epochs"),
             patience: int = typer.Option(10, "--patience"),
             seed: int = typer.Option(0, "--seed"),
             threads: int = typer.Option(2, "--threads"),
             saliency_dir: Path = typer.Option(None, "--saliency-dir", help="write per-class saliency PNGs here"),
             json_out: Path = typer.Option(None, "--json", help="write the metrics as JSON")) -> None:
    """Metrics (precision, recall, F, accuracy, RK, confusion) of a model or of a protocol."""
    from liftrisk.imu.dataset import load_dataset
    from liftrisk.imu.estimator import LiftRiskClassifier, encode_labels
    from liftrisk.imu.evaluation import evaluate_leave_subjects_out, evaluate_random_split
    from liftrisk.imu.metrics import classification_report
    from liftrisk.imu.saliency import class_saliency, save_saliency_png

    ds = load_dataset(data)
    if model_file is not None:
        clf = LiftRiskClassifier.load(model_file)
        report = classification_report(encode_labels(ds.y), encode_labels(clf.predict(ds.trials)))
        summary = {"protocol": "saved_model", **report.as_dict()}
        sal_clf, sal_idx = clf, list(range(len(ds)))
        title = f"{model_file} on {len(ds)} trials"
    elif protocol in ("random", "subjects"):
        est = _estimator(model, max_epochs, patience, seed, threads, False)
        if protocol == "random":
            res = evaluate_random_split(ds.trials, ds.y, est, seed=seed, keep_estimators=True)
            sal_clf, sal_idx = res.estimators[0], list(res.test_index)
        else:
            res = evaluate_leave_subjects_out(ds.trials, ds.y, ds.subjects, est, n_folds=folds, seed=seed)
            sal_clf, sal_idx = None, []
        report, summary = res.report, res.summary()
        title = f"{model}, protocol {res.protocol} ({len(res.fold_reports)} fold(s), pooled test predictions)"
    else:
        raise LiftriskError(f"protocol is {protocol!r}; expected 'random' or 'subjects'")
    typer.echo(title)
    typer.echo(report.to_text())
    if saliency_dir is not None:
        if sal_clf is None:
            typer.echo("saliency maps need one fitted model: use --protocol random or --model-file")
        else:
            maps = class_saliency(sal_clf, [ds.trials[i] for i in sal_idx], ds.y[sal_idx])
            for p in save_saliency_png(maps, saliency_dir, sal_clf.model):
                typer.echo(f"saliency map: {p}")
    if json_out is not None:
        json_out.write_text(json.dumps(summary, indent=2))


@imu_app.command("predict")
def predict(trials: list[Path] = typer.Argument(..., help="trial file(s), one lift each (.csv/.parquet)"),
            model_file: Path = typer.Option(Path("model.pt"), "--model-file", "-m", help="trained model")) -> None:
    """Risk class and class probabilities of each lift."""
    from liftrisk.imu.dataset import load_trial
    from liftrisk.imu.estimator import LiftRiskClassifier

    clf = LiftRiskClassifier.load(model_file)
    data = [load_trial(p) for p in trials]
    t0 = time.perf_counter()
    proba = clf.predict_proba(data)
    ms = 1000 * (time.perf_counter() - t0) / len(data)
    header = "  ".join(f"p_{c}" for c in clf.classes_)
    typer.echo(f"{'trial':<40} {'risk':<8} {header}")
    for p, row in zip(trials, proba, strict=True):
        probs = "  ".join(f"{v:.3f}".ljust(len(f"p_{c}")) for v, c in zip(row, clf.classes_, strict=True))
        typer.echo(f"{str(p):<40} {clf.classes_[row.argmax()]:<8} {probs}")
    typer.echo(f"({ms:.1f} ms per lift incl. preprocessing)")


def register(app: typer.Typer) -> None:
    """Add the ``imu`` sub-app to the main CLI."""
    app.add_typer(imu_app, name="imu")
