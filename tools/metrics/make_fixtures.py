#!/usr/bin/python3
"""Reference values for the Ich.Metrics tests (tests/fixtures/metrics/).

Run with Debian's Python (the pyenv python3 on PATH does not see these packages):

    apt-get update && apt-get install -y python3-sklearn python3-numpy python3-scipy python3-statsmodels
    /usr/bin/python3 tools/metrics/make_fixtures.py tests/fixtures/metrics

Everything the C# code computes is recomputed here by an independent implementation:
  * AUC, ROC points, average precision, log-loss, confusion-matrix rates, calibration bins: scikit-learn
    (roc_auc_score, roc_curve, average_precision_score, log_loss, confusion_matrix, calibration_curve);
  * DeLong variance: numpy, straight from the structural-components definition (DeLong, DeLong &
    Clarke-Pearson 1988, Biometrics 44:837) with the O(m*n) pairwise kernel, not the mid-rank shortcut
    the C# code uses;
  * Wilson intervals: statsmodels proportion_confint(method="wilson");
  * the cluster bootstrap: the same SplitMix64 draws as the C# code (the generator is part of the
    documented contract, docs/evaluation.md), but each replicate is materialised as an explicit
    resampled array and scored with sklearn's roc_auc_score; percentiles by numpy.percentile;
  * the evaluate end-to-end fixtures: label files written here, joined here with plain dicts.

The output is deterministic (seeded numpy, fixed SplitMix64 seeds); re-running rewrites identical files.
"""
import csv
import io
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, confusion_matrix, log_loss, roc_auc_score,
                             roc_curve)
from statsmodels.stats.proportion import proportion_confint

CLASSES = ["any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"]
WEIGHTS = [2, 1, 1, 1, 1, 1]
EPS = 1e-15          # log-loss clipping, as in the RSNA/Kaggle metric
Z95 = 1.959963984540054
MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
BOOT_SEED = 20211
BOOT_RESAMPLES = 300
TARGET_SENS = [0.95, 0.8]
FIXED_THRESHOLD = 0.5
N_BINS = 10


# ---------------------------------------------------------------- independent reference pieces
def splitmix64(k, seed):
    """k-th output (k >= 1) of SplitMix64 started at `seed`."""
    z = (seed + k * GAMMA) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def delong_pairwise(scores, labels):
    pos = scores[labels == 1]
    neg = scores[labels == 0]
    m, n = len(pos), len(neg)
    if m < 2 or n < 2:
        return None
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    auc = psi.mean()
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    se = var ** 0.5
    return {"auc": auc, "variance": var, "se": se,
            "ci": [max(0.0, auc - Z95 * se), min(1.0, auc + Z95 * se)]}


def wilson(x, n):
    if n == 0:
        return None
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    return [float(lo), float(hi)]


def confusion_at(scores, labels, t):
    pred = (scores >= t).astype(int)
    tn, fp, fn, tp = confusion_matrix(labels, pred, labels=[0, 1]).ravel()
    tp, fp, tn, fn = int(tp), int(fp), int(tn), int(fn)
    return {
        "threshold": float(t), "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "sensitivity": tp / (tp + fn) if tp + fn > 0 else None,
        "specificity": tn / (tn + fp) if tn + fp > 0 else None,
        "sensitivityCi95": wilson(tp, tp + fn),
        "specificityCi95": wilson(tn, tn + fp),
    }


def roc_points(scores, labels):
    """sklearn's full ROC without the (0,0) start point: one row per distinct score, descending."""
    fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
    return fpr[1:], tpr[1:], thr[1:]


def youden(scores, labels):
    fpr, tpr, thr = roc_points(scores, labels)
    k = int(np.argmax(tpr - fpr))   # first maximum = highest threshold among ties
    return confusion_at(scores, labels, thr[k])


def at_target_sensitivity(scores, labels, target):
    fpr, tpr, thr = roc_points(scores, labels)
    k = int(np.argmax(tpr >= target))  # highest threshold reaching the target
    return confusion_at(scores, labels, thr[k])


def calibration(scores, labels, n_bins=N_BINS):
    prob_true, prob_pred = calibration_curve(labels, scores, n_bins=n_bins, strategy="uniform")
    bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], scores)          # sklearn's own binning rule
    counts = np.bincount(ids, minlength=n_bins)
    rows, j = [], 0
    for b in range(n_bins):
        if counts[b] == 0:
            rows.append({"count": 0, "meanPredicted": None, "fractionPositive": None})
        else:
            rows.append({"count": int(counts[b]), "meanPredicted": float(prob_pred[j]),
                         "fractionPositive": float(prob_true[j])})
            j += 1
    ece = sum(r["count"] / len(scores) * abs(r["fractionPositive"] - r["meanPredicted"])
              for r in rows if r["count"] > 0)
    return {"bins": rows, "ece": float(ece)}


def bootstrap(scores, labels, groups, resamples=BOOT_RESAMPLES, seed=BOOT_SEED):
    ids = sorted(set(groups))                        # ordinal order of group IDs
    members = {g: [] for g in ids}
    for i, g in enumerate(groups):
        members[g].append(i)
    G = len(ids)
    aucs, skipped = [], 0
    for b in range(resamples):
        rows = []
        for i in range(G):
            r = splitmix64(b * G + i + 1, seed)
            rows.extend(members[ids[(r * G) >> 64]])
        y, s = labels[rows], scores[rows]
        if y.min() == y.max():
            skipped += 1
            continue
        aucs.append(roc_auc_score(y, s))
    if not aucs:
        return {"seed": seed, "resamples": resamples, "valid": 0, "ci": None}
    lo, hi = np.percentile(np.array(aucs), [2.5, 97.5])
    return {"seed": seed, "resamples": resamples, "valid": len(aucs), "ci": [float(lo), float(hi)]}


def binary_case(name, scores, labels, groups, note):
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=int)
    has_both = labels.min() != labels.max()
    out = {"name": name, "note": note, "scores": scores.tolist(), "labels": labels.tolist(),
           "groups": groups,
           "nPositive": int(labels.sum()), "nNegative": int((1 - labels).sum())}
    exp = {}
    exp["auc"] = float(roc_auc_score(labels, scores)) if has_both else None
    exp["delong"] = delong_pairwise(scores, labels) if has_both else None
    exp["youden"] = youden(scores, labels) if has_both else None
    exp["fixedThreshold"] = confusion_at(scores, labels, FIXED_THRESHOLD)
    exp["targetSensitivity"] = {str(t): (at_target_sensitivity(scores, labels, t) if labels.sum() > 0 else None)
                                for t in TARGET_SENS}
    exp["averagePrecision"] = float(average_precision_score(labels, scores)) if labels.sum() > 0 else None
    probabilities = scores.min() >= 0 and scores.max() <= 1   # ratings (Hanley-McNeil) are not
    exp["logLoss"] = float(log_loss(labels, scores, eps=EPS, labels=[0, 1])) if probabilities else None
    exp["calibration"] = calibration(scores, labels) if probabilities else None
    exp["bootstrap"] = bootstrap(scores, labels, groups) if has_both else None
    out["expected"] = exp
    return out


# ---------------------------------------------------------------- binary cases
def make_cases():
    rng = np.random.RandomState(1)
    cases = []
    # ties: scores on a 0.1 grid, 8 scans of 5 slices
    y = rng.binomial(1, 0.4, 40)
    s = np.clip(np.round(0.35 * y + rng.uniform(0, 0.7, 40), 1), 0, 1)
    cases.append(binary_case("ties", s, y, [f"scan{i // 5}" for i in range(40)],
                             "scores on a 0.1 grid: many ties within and across classes"))
    cases.append(binary_case("tiny", [0.2, 0.8, 0.8], [0, 1, 0], ["a", "b", "c"],
                             "three samples, a tie between the positive and a negative"))
    cases.append(binary_case("tiny_pair_inverted", [0.3, 0.6], [1, 0], ["a", "b"],
                             "two samples, positive scored lower: AUC 0"))
    cases.append(binary_case("perfect", [0.1, 0.2, 0.3, 0.35, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0],
                             [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [f"g{i % 3}" for i in range(10)],
                             "perfect separation: AUC 1, DeLong variance 0"))
    cases.append(binary_case("all_tied", [0.5] * 6, [1, 0, 1, 0, 1, 0], [f"g{i}" for i in range(6)],
                             "all scores equal: AUC 0.5"))
    cases.append(binary_case("no_positives", [0.1, 0.4, 0.35, 0.8, 0.65, 0.2, 0.5, 0.05], [0] * 8,
                             [f"g{i}" for i in range(8)], "no positive: AUC, sensitivity undefined"))
    cases.append(binary_case("no_negatives", [0.9, 0.4, 0.75, 0.6, 0.5], [1] * 5,
                             [f"g{i}" for i in range(5)], "no negative: AUC, specificity undefined"))
    # continuous, with exact 0/1 (log-loss clipping) and values on calibration bin edges
    n = 300
    y = rng.binomial(1, 0.3, n)
    s = np.where(y == 1, rng.beta(4, 2, n), rng.beta(2, 4, n))
    s[:6] = [0.0, 1.0, 0.1, 0.3, 0.7, 0.5]
    y[:6] = [1, 0, 0, 1, 0, 1]
    cases.append(binary_case("continuous", s, y, [f"scan{i // 10:02d}" for i in range(n)],
                             "300 samples in 30 scans, beta scores, exact 0/1 and bin-edge values"))
    # Hanley & McNeil (1982) Radiology 143:29, Table 1: 5-point ratings of 109 CT images.
    neg = np.repeat([1, 2, 3, 4, 5], [33, 6, 6, 11, 2])
    pos = np.repeat([1, 2, 3, 4, 5], [3, 2, 2, 11, 33])
    s = np.concatenate([neg, pos]).astype(float)
    y = np.concatenate([np.zeros(58, int), np.ones(51, int)])
    cases.append(binary_case("hanley_mcneil", s, y, [f"p{i:03d}" for i in range(109)],
                             "Hanley & McNeil 1982 Table 1 (58 normal, 51 abnormal; ratings 1-5). "
                             "Published: AUC 0.893; Stata [R] roctab example on these data: "
                             "area 0.8932, DeLong SE 0.0307, 95% CI 0.83295-0.95339"))
    return cases


# ---------------------------------------------------------------- multi-label log-loss
def weighted_log_loss(y, p):
    per = [float(log_loss(y[:, c], p[:, c], eps=EPS, labels=[0, 1])) for c in range(6)]
    return float(np.average(per, weights=WEIGHTS)), per


def make_multilabel():
    rng = np.random.RandomState(7)
    n = 60
    y = rng.binomial(1, [0.4, 0.0, 0.2, 0.15, 0.2, 0.25], (n, 6))
    y[:, 0] = y[:, 1:].max(axis=1)
    p = np.clip(y * 0.6 + rng.uniform(0, 0.4, (n, 6)), 0, 1)
    p[0, :] = [0.0, 1.0, 0.0, 1.0, 1e-20, 1 - 1e-17]   # exact 0/1 and beyond-clip values
    y[0, :] = [1, 0, 0, 1, 1, 1]
    total, per = weighted_log_loss(y, p)
    auc = [float(roc_auc_score(y[:, c], p[:, c])) if y[:, c].min() != y[:, c].max() else None for c in range(6)]
    return {"probabilities": p.tolist(), "labels": y.tolist(), "epsilon": EPS,
            "expected": {"weightedLogLoss": total, "perClass": per, "aucPerClass": auc}}


# ---------------------------------------------------------------- evaluate end-to-end fixtures
def level_metrics(P, Y, groups):
    """P, Y: n x 6; groups: bootstrap cluster per row."""
    out = {}
    total, per = weighted_log_loss(Y, P)
    out["weightedLogLoss"] = total
    out["logLossPerClass"] = dict(zip(CLASSES, per))
    out["n"] = int(len(Y))
    for c, name in enumerate(CLASSES):
        s, y = P[:, c], Y[:, c]
        both = y.min() != y.max()
        m = {"nPositive": int(y.sum()), "nNegative": int((1 - y).sum()),
             "auc": float(roc_auc_score(y, s)) if both else None}
        d = delong_pairwise(s, y) if both else None
        m["aucCi95DeLong"] = d["ci"] if d else None
        b = bootstrap(s, y, groups) if both else None
        m["aucCi95Bootstrap"] = b["ci"] if b else None
        op = youden(s, y) if both else None
        for k in ("threshold", "sensitivity", "specificity", "sensitivityCi95", "specificityCi95"):
            m[k] = op[k] if op else None
        m["averagePrecision"] = float(average_precision_score(y, s)) if y.sum() > 0 else None
        out[name] = m
    return out


def scan_level(rows):
    """rows: list of (scan, probs[6], labels[6]) -> per scan maxima, scans in ordinal order."""
    by = {}
    for scan, p, y in rows:
        if scan in by:
            bp, by_ = by[scan]
            by[scan] = (np.maximum(bp, p), np.maximum(by_, y))
        else:
            by[scan] = (np.array(p, float), np.array(y, int))
    scans = sorted(by)
    return scans, np.array([by[s][0] for s in scans]), np.array([by[s][1] for s in scans])


def write_csv(path, header, rows, bom=False, crlf=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        f.write(buf.getvalue())


PRED_HEADER = ["scan_id", "slice_id", "slice_index", "z_mm"] + CLASSES


def synth_scans(rng, n_scans, slices_range, positive_rate):
    """Per scan a few consecutive bleeding slices; any = max of subtypes; epidural never positive."""
    scans = []
    for s in range(n_scans):
        k = int(rng.randint(*slices_range))
        Y = np.zeros((k, 6), int)
        if rng.uniform() < positive_rate:
            sub = rng.choice([2, 3, 4, 5], size=int(rng.randint(1, 4)), replace=False)
            start = int(rng.randint(0, k - 1))
            for c in sub:
                Y[start:start + int(rng.randint(1, 4)), c] = 1
        Y[:, 0] = Y[:, 1:].max(axis=1)
        P = np.round(np.clip(0.3 * Y + rng.uniform(0, 0.6, (k, 6)), 0, 1), 3)  # rounded: ties
        scans.append((Y, P))
    return scans


def make_rsna(out):
    rng = np.random.RandomState(11)
    scans = synth_scans(rng, 12, (4, 10), 0.6)
    pred_rows, label_rows, joined = [], [], []
    for si, (Y, P) in enumerate(scans):
        scan_id = f"ID_scan{si:02d}"
        for k in range(len(Y)):
            sop = f"ID_{si:02x}{k:02x}{int(rng.randint(0, 1 << 20)):05x}"
            pred_rows.append([scan_id, sop, k, f"{5.0 * k:.1f}"] + [repr(float(v)) for v in P[k]])
            if si == 0 and k == 0:
                continue                       # a prediction without a label
            for c, name in enumerate(CLASSES):
                label_rows.append([f"{sop}_{name}", int(Y[k, c])])
            joined.append((scan_id, P[k], Y[k]))
    for c, name in enumerate(CLASSES):        # the known corrupt image: labelled, never predicted
        label_rows.append([f"ID_6431af929_{name}", 0])
    label_rows += [label_rows[3], label_rows[10], label_rows[11]]   # identical duplicate rows
    order = rng.permutation(len(label_rows))
    label_rows = [label_rows[i] for i in order]
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "predictions.csv"), PRED_HEADER, pred_rows)
    write_csv(os.path.join(out, "labels.csv"), ["ID", "Label"], label_rows)
    return finish_e2e(out, joined, slice_level=True,
                      join={"matched": len(joined), "predictionsWithoutLabel": 1,
                            "labelsWithoutPrediction": 1})


def make_physionet(out):
    rng = np.random.RandomState(12)
    scans = synth_scans(rng, 6, (5, 12), 0.7)
    patients = [49, 50, 51, 53, 54, 56]
    pred_rows, diag_rows, joined = [], [], []
    for (Y, P), pn in zip(scans, patients):
        scan_id = f"{pn:03d}"
        for k in range(len(Y)):
            slice_no = k + 1
            pred_rows.append([scan_id, str(slice_no), k, f"{5.0 * k:.1f}"] + [repr(float(v)) for v in P[k]])
            # PhysioNet column order: IVH, IPH, SAH, EDH, SDH, No_Hemorrhage, Fracture
            diag_rows.append([pn, slice_no, Y[k, 3], Y[k, 2], Y[k, 4], Y[k, 1], Y[k, 5], 1 - Y[k, 0],
                              int(rng.binomial(1, 0.1))])
            joined.append((scan_id, P[k], Y[k]))
    diag_rows.append([57, 1, 0, 0, 0, 0, 0, 1, 0])   # a labelled slice without prediction
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "predictions.csv"), PRED_HEADER, pred_rows)
    write_csv(os.path.join(out, "hemorrhage_diagnosis.csv"),
              ["PatientNumber", "SliceNumber", "Intraventricular", "Intraparenchymal", "Subarachnoid",
               "Epidural", "Subdural", "No_Hemorrhage", "Fracture_Yes_No"], diag_rows, bom=True, crlf=True)
    return finish_e2e(out, joined, slice_level=True,
                      join={"matched": len(joined), "predictionsWithoutLabel": 0,
                            "labelsWithoutPrediction": 1})


def make_cq500(out):
    rng = np.random.RandomState(13)
    n = 16
    pred_rows, read_rows, truth = [], [], {}
    # reads.csv subtype order after ICH: IPH, IVH, SDH, EDH, SAH -> our class indices
    cq_order = [2, 3, 5, 1, 4]
    extra = ["BleedLocation-Left", "BleedLocation-Right", "ChronicBleed", "Fracture",
             "CalvarialFracture", "OtherFracture", "MassEffect", "MidlineShift"]
    header = ["name", "Category"]
    for r in (1, 2, 3):
        header += [f"R{r}:ICH", f"R{r}:IPH", f"R{r}:IVH", f"R{r}:SDH", f"R{r}:EDH", f"R{r}:SAH"]
        header += [f"R{r}:{e}" for e in extra]
    for i in range(n):
        name = f"CQ500-CT-{i * 7 + 1}"
        true_sub = (rng.uniform(size=5) < 0.15).astype(int)
        true_sub[3] = 1 if i in (2, 9) else 0              # EDH in two scans only
        reads = []
        for r in range(3):
            sub = true_sub.copy()
            flip = rng.uniform(size=5) < 0.06                 # readers disagree sometimes
            sub[flip] = 1 - sub[flip]
            reads.append([int(sub.max())] + [int(v) for v in sub] + [int(v) for v in rng.binomial(1, 0.2, 8)])
        read_rows.append([name, "B1" if i < 8 else "B2"] + sum(reads, []))
        majority = np.zeros(6, int)
        for c in range(6):   # column c of each reader's ICH + subtype block
            votes = sum(rd[c] for rd in reads)
            target = 0 if c == 0 else cq_order[c - 1]
            majority[target] = int(votes >= 2)
        truth[name] = majority
        k = int(rng.randint(3, 8))
        for s in range(k):
            p = np.round(np.clip(0.3 * majority * (rng.uniform() < 0.8) + rng.uniform(0, 0.6, 6), 0, 1), 3)
            pred_rows.append([name, f"1.2.3.{i}.{s}", s, f"{2.5 * s:.1f}"] + [repr(float(v)) for v in p])
    # one prediction scan missing from reads.csv
    pred_rows.append(["CQ500-CT-999", "9.9.9", 0, "0.0"] + ["0.5"] * 6)
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "predictions.csv"), PRED_HEADER, pred_rows)
    write_csv(os.path.join(out, "reads.csv"), header, read_rows)
    # scan level: max over slices of predictions, majority label
    per = {}
    for r in pred_rows:
        if r[0] not in truth:
            continue
        p = np.array([float(v) for v in r[4:]])
        per[r[0]] = np.maximum(per[r[0]], p) if r[0] in per else p
    scans = sorted(per)
    P = np.array([per[s] for s in scans])
    Y = np.array([truth[s] for s in scans])
    expected = {"scan": level_metrics(P, Y, scans),
                "join": {"matched": len(scans), "predictionsWithoutLabel": 1, "labelsWithoutPrediction": 0}}
    return dump_expected(out, expected)


def finish_e2e(out, joined, slice_level, join):
    expected = {"join": join}
    P = np.array([p for _, p, _ in joined])
    Y = np.array([y for _, _, y in joined])
    if slice_level:
        expected["slice"] = level_metrics(P, Y, [s for s, _, _ in joined])
    scans, SP, SY = scan_level(joined)
    expected["scan"] = level_metrics(SP, SY, scans)
    return dump_expected(out, expected)


def dump_expected(out, expected):
    expected["bootstrap"] = {"seed": BOOT_SEED, "resamples": BOOT_RESAMPLES}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/metrics"
    os.makedirs(out, exist_ok=True)
    meta = {"generator": "tools/metrics/make_fixtures.py", "sklearn": sklearn.__version__,
            "numpy": np.__version__, "fixedThreshold": FIXED_THRESHOLD, "calibrationBins": N_BINS,
            "z95": Z95}
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"meta": meta, "cases": make_cases()}, f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "multilabel.json"), "w") as f:
        json.dump({"meta": meta, **make_multilabel()}, f, indent=1)
        f.write("\n")
    make_rsna(os.path.join(out, "e2e-rsna"))
    make_physionet(os.path.join(out, "e2e-physionet"))
    make_cq500(os.path.join(out, "e2e-cq500"))


if __name__ == "__main__":
    main()
