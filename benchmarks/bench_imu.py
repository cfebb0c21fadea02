"""Benchmark of the IMU lift-risk classifier on the SYNTHETIC data set (not the data of Snyder et al. 2021).

Prints, and writes as JSON to ``--out``:
1. the results table: five models x two protocols (random 75/25 split as Snyder et al. 2021, and
   leave-subjects-out cross-validation) on 720 synthetic trials (10 subjects x 12 zones x 6);
2. the training time of the proposed model (vgg_avg) on all 720 trials with 2 threads;
3. inference latency per lift (one trial, preprocessing included) of the proposed model;
4. per-class saliency PNGs of the proposed model (random split).

Run (about an hour on 2 free cores with full early stopping; cap epochs to shorten):
    python benchmarks/bench_imu.py --out bench_imu_out [--max-epochs N] [--folds K]
Training time of the proposed model only (720 trials, 2 threads, full early stopping):
    python benchmarks/bench_imu.py --out bench_imu_out --only-train-time
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from liftrisk.imu import (
    ARCHITECTURES,
    LiftRiskClassifier,
    class_saliency,
    evaluate_leave_subjects_out,
    evaluate_random_split,
    generate_dataset,
    save_saliency_png,
)

SNYDER_TABLE4 = {  # Snyder et al. 2021, Table 4: published figures on the NIOSH data (random split), for reference only
    "vgg_avg": {"accuracy": 0.906, "rk": 0.839}, "cnn_lstm": {"accuracy": 0.861, "rk": 0.77},
    "vgg_max": {"accuracy": 0.766, "rk": 0.65}, "cnn": {"accuracy": 0.667, "rk": 0.53},
    "mlp": {"accuracy": 0.567, "rk": 0.28}}


def _row(model: str, res) -> dict:
    s = res.summary()
    return {"model": model, "protocol": res.protocol, "accuracy": s["accuracy"], "rk": s["rk"],
            "f_low": s["low_f"], "f_medium": s["medium_f"], "f_high": s["high_f"],
            "fold_accuracy_sd": s["fold_accuracy_sd"], "epochs_mean": s["epochs_mean"],
            "fit_seconds_mean": s["fit_seconds_mean"], "confusion": s["confusion"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench_imu_out"))
    ap.add_argument("--max-epochs", type=int, default=200, help="epoch cap (early stopping, patience 10, first)")
    ap.add_argument("--folds", type=int, default=5, help="subject folds for leave-subjects-out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--models", default=",".join(ARCHITECTURES))
    ap.add_argument("--n-subjects", type=int, default=10, help="synthetic subjects (Snyder et al. 2021: 10)")
    ap.add_argument("--trials-per-zone", type=int, default=6,
                    help="trials per zone and subject (Snyder et al. 2021: 6)")
    ap.add_argument("--skip-train-time", action="store_true", help="skip the 720-trial training-time run")
    ap.add_argument("--only-train-time", action="store_true",
                    help="run only the 720-trial training-time measurement of vgg_avg (no results table)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.threads)
    results: dict = {"note": "SYNTHETIC data (liftrisk.imu.synthetic); not the NIOSH results of Snyder et al. 2021",
                     "max_epochs": args.max_epochs, "folds": args.folds, "threads": args.threads, "rows": []}

    def dump() -> None:
        (args.out / "results.json").write_text(json.dumps(results, indent=2))

    t0 = time.perf_counter()
    ds = generate_dataset(n_subjects=args.n_subjects, trials_per_zone=args.trials_per_zone, seed=0)
    results["generate_seconds"] = time.perf_counter() - t0
    print(f"synthetic data: {len(ds)} trials, {results['generate_seconds']:.1f} s", flush=True)
    models = [] if args.only_train_time else args.models.split(",")

    def est(m: str) -> LiftRiskClassifier:
        return LiftRiskClassifier(model=m, max_epochs=args.max_epochs, n_threads=args.threads)

    for m in models:          # random split first: the protocol of Snyder et al. 2021
        res = evaluate_random_split(ds.trials, ds.y, est(m), seed=0, keep_estimators=(m == "vgg_avg"))
        results["rows"].append(_row(m, res))
        print(f"[random] {m}: acc {res.report.accuracy:.3f} RK {res.report.rk:.3f} "
              f"epochs {res.epochs} fit {res.fit_seconds[0]:.0f} s", flush=True)
        if m == "vgg_avg":
            clf = res.estimators[0]
            test = [ds.trials[i] for i in res.test_index]
            maps = class_saliency(clf, test, ds.y[res.test_index])
            results["saliency_png"] = [str(p) for p in save_saliency_png(maps, args.out, m)]
            one = [test[0]]
            clf.predict_proba(one)
            lat = []
            for _ in range(30):
                t = time.perf_counter()
                clf.predict_proba(one)
                lat.append(time.perf_counter() - t)
            t = time.perf_counter()
            clf.predict_proba(test)
            results["latency_ms_per_lift_single"] = 1000 * float(np.median(lat))
            results["latency_ms_per_lift_batch180"] = 1000 * (time.perf_counter() - t) / len(test)
            print(f"inference: {results['latency_ms_per_lift_single']:.1f} ms per lift (single, median of 30), "
                  f"{results['latency_ms_per_lift_batch180']:.1f} ms per lift in a batch of {len(test)}", flush=True)
        dump()
    for m in models:
        res = evaluate_leave_subjects_out(ds.trials, ds.y, ds.subjects, est(m), n_folds=args.folds, seed=0)
        results["rows"].append(_row(m, res))
        print(f"[subjects] {m}: acc {res.report.accuracy:.3f} RK {res.report.rk:.3f} epochs {res.epochs} "
              f"fit {np.mean(res.fit_seconds):.0f} s/fold", flush=True)
        dump()
    if not args.skip_train_time:
        clf = est("vgg_avg").fit(ds.trials, ds.y)
        results["train_720"] = {"seconds": clf.fit_time_s_, "epochs": len(clf.history_),
                                "seconds_per_epoch": clf.fit_time_s_ / len(clf.history_),
                                "best_epoch": clf.best_epoch_ + 1}
        print(f"training vgg_avg on 720 trials: {clf.fit_time_s_:.0f} s, {len(clf.history_)} epochs "
              f"({clf.fit_time_s_ / len(clf.history_):.1f} s/epoch, {args.threads} threads)", flush=True)
        dump()
    print("\nSYNTHETIC data; the NIOSH figures of Snyder et al. 2021 are listed for orientation only, not comparison.")
    print(f"{'model':<9}{'protocol':<20}{'acc':>6}{'RK':>7}{'F low':>7}{'F med':>7}{'F high':>7}{'epochs':>8}"
          f"{'fit s':>7}   paper acc/RK")
    for r in results["rows"]:
        ref = SNYDER_TABLE4.get(r["model"], {})
        paper_txt = f"{ref['accuracy']:.3f}/{ref['rk']:.3f}" if r["protocol"] == "random_split" and ref else ""
        print(f"{r['model']:<9}{r['protocol']:<20}{r['accuracy']:>6.3f}{r['rk']:>7.3f}{r['f_low']:>7.3f}"
              f"{r['f_medium']:>7.3f}{r['f_high']:>7.3f}{r['epochs_mean']:>8.1f}{r['fit_seconds_mean']:>7.0f}"
              f"   {paper_txt}")
    dump()


if __name__ == "__main__":
    main()
