"""Train the arrest-place decision on the corpus's development part (issue 11).

One command, reproducible (fixed folds and seeds, no clock in the output)::

    python -m experiments.role_model.train --cache /tmp/rm/cache.sqlite

reads the development articles of ``eval/split.json`` only (the test part's files
are never opened), runs the real extractor on each, builds the features of every
place mention a map could place (:mod:`experiments.role_model.features`) and labels
it an arrest place when its point lies within the ``radius_km`` of one of the
article's annotated arrest places. It then compares, with 5-fold cross-validation
grouped by article (each article's mentions are held out together):

* the rules' decision (role ``arrest``);
* a logistic regression (its regularisation and threshold chosen by an inner
  grouped cross-validation on the training folds only);
* gradient boosting (trees; threshold chosen the same way);

at the mention level (precision and recall of arrest places among the mentions)
and end to end (each held-out article extracted with the model trained on the
other folds, scored as ``ct-arrest-map evaluate`` scores it). Last, it trains the
logistic regression on the whole development part and writes its weights to
``experiments/role_model/weights.json`` (``--no-write``: the comparison only).

Needs scikit-learn (the ``dev`` extra); the shipped model does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from experiments.role_model.features import article_features, is_candidate, place_key
from experiments.role_model.model import FORMAT, VERSION, RoleModel, extract_with_model
from mapapp.evaluate import (
    Annotation,
    aggregate,
    load_annotation,
    load_split,
    score_article,
)
from mapapp.extract import PlaceLookup, extract_article
from mapapp.extract.roles import ARREST
from mapapp.extract.sentences import split_sentences
from places import Resolver
from places.geo import haversine_km

ROOT = Path(__file__).resolve().parents[2]
FOLDS = 5
SEED = 0
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(13))  # 0.20 ... 0.80


def dev_annotations(corpus: Path, split_path: Path) -> list[Annotation]:
    """The development part's annotations; the test part's files are not opened."""
    dev = load_split(split_path)["dev"]
    paths = sorted(p for p in corpus.rglob("*.json") if p.parent.name == "annotations")
    return [load_annotation(p) for p in paths if p.stem in dev]


def is_gold(mention, annotation: Annotation) -> bool:
    """True when one of the mention's points is within an annotated arrest place's radius."""
    return any(
        haversine_km(p.lat, p.lon, g.lat, g.lon) <= g.radius_km
        for p in mention.resolution.points
        for op in annotation.operations
        for g in op.places
    )


@dataclass
class Article:
    """One development article: its text, the rules' operations, its mentions."""

    annotation: Annotation
    text: str
    rule_operations: list
    features: list[dict]
    rule_arrest: list[bool]
    labels: list[bool]
    places: list[str]


def read_articles(annotations: list[Annotation], lookup: PlaceLookup) -> list[Article]:
    from mapapp.articles import read_article

    out = []
    for annotation in annotations:
        text = read_article(annotation.text_path)
        result = extract_article(
            text, lookup=lookup, source=annotation.file, published=annotation.published
        )
        sentences = split_sentences(text)
        features, rule, labels, places = [], [], [], []
        for role, f in zip(result.roles, article_features(result.roles, sentences), strict=True):
            if is_candidate(role):
                features.append(f)
                rule.append(role.role == ARREST)
                labels.append(is_gold(role.mention, annotation))
                places.append(place_key(role.mention))
        out.append(Article(annotation, text, result.operations, features, rule, labels, places))
    return out


def matrix(dicts: list[dict], names: list[str]) -> np.ndarray:
    index = {n: k for k, n in enumerate(names)}
    x = np.zeros((len(dicts), len(names)))
    for i, d in enumerate(dicts):
        for name, value in d.items():
            if name in index:
                x[i, index[name]] = value
    return x


def f1(y: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((y & predicted).sum())
    return 2 * tp / (int(y.sum()) + int(predicted.sum())) if tp else 0.0


def by_place(
    keys: np.ndarray, y: np.ndarray, predicted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mentions to places: an article's place is gold (predicted) when a mention is.

    A place named three times is one point on the map, so the choice of a model's
    threshold weighs it once, as the end-to-end scoring does.
    """
    gold: dict[str, bool] = {}
    said: dict[str, bool] = {}
    for key, label, p in zip(keys.tolist(), y.tolist(), predicted.tolist(), strict=True):
        gold[key] = gold.get(key, False) or label
        said[key] = said.get(key, False) or p
    order = sorted(gold)
    return np.array([gold[k] for k in order]), np.array([said[k] for k in order])


class Logistic:
    """Standardised logistic regression; exports raw-value weights."""

    name = "logistic regression"

    def __init__(self, c: float):
        self.c = c

    def fit(self, x, y):
        """Fit on standardised features."""
        self.scaler = StandardScaler().fit(x)
        self.model = LogisticRegression(C=self.c, max_iter=5000, random_state=SEED)
        self.model.fit(self.scaler.transform(x), y)
        return self

    def proba(self, x):
        """The probability of an arrest place, per row."""
        return self.model.predict_proba(self.scaler.transform(x))[:, 1]

    def raw_weights(self) -> tuple[np.ndarray, float]:
        """Weights and intercept on the raw feature values (the scaling folded in)."""
        scale = self.scaler.scale_
        w = self.model.coef_[0] / scale
        b = float(
            self.model.intercept_[0] - (self.model.coef_[0] * self.scaler.mean_ / scale).sum()
        )
        return w, b


class Boosting:
    """Gradient boosting with fixed, small trees."""

    name = "gradient boosting"

    def __init__(self, c: float | None = None):
        self.c = c

    def fit(self, x, y):
        """Fit the trees."""
        self.model = GradientBoostingClassifier(
            n_estimators=150, max_depth=3, learning_rate=0.05, subsample=0.8, random_state=SEED
        ).fit(x, y)
        return self

    def proba(self, x):
        """The probability of an arrest place, per row."""
        return self.model.predict_proba(x)[:, 1]


def choose(kind, x, y, groups, keys) -> tuple[float | None, float]:
    """Regularisation and threshold by an inner grouped CV on the training folds only.

    The best F1 of places (each article's distinct places, :func:`by_place`).
    """
    grid = C_GRID if kind is Logistic else (None,)
    best = (-1.0, None, 0.5)
    for c in grid:
        oof = np.zeros(len(y))
        for train, held in GroupKFold(n_splits=FOLDS).split(x, y, groups):
            oof[held] = kind(c).fit(x[train], y[train]).proba(x[held])
        for t in THRESHOLDS:
            score = f1(*by_place(keys, y, oof >= t))
            if score > best[0] + 1e-12:
                best = (score, c, t)
    return best[1], best[2]


class Adapter:
    """What :func:`decide` needs of a model: ``probability(features)`` and ``threshold``."""

    def __init__(self, fitted, names: list[str], threshold: float):
        self.fitted, self.names, self.threshold = fitted, names, threshold

    def probability(self, features: dict) -> float:
        """The probability of one mention's features."""
        return float(self.fitted.proba(matrix([features], self.names))[0])


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "-"


def mention_row(y: np.ndarray, predicted: np.ndarray) -> tuple[str, str, str]:
    tp = int((y & predicted).sum())
    return pct(tp, int(predicted.sum())), pct(tp, int(y.sum())), f"{f1(y, predicted):.3f}"


def end_row(report) -> tuple[str, ...]:
    c = report.totals
    m = c.matched_operations
    return (
        pct(c.matched_places, c.predicted_places),
        pct(c.matched_places, c.gold_places),
        pct(m, c.gold_operations),
        f"{c.invented_operations}/{c.predicted_operations}",
        pct(c.date_right, m),
        pct(c.count_right, m),
    )


def print_table(header: tuple[str, ...], table: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[k]) for r in [header, *table]) for k in range(len(header))]
    for r in [header, *table]:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus")
    parser.add_argument("--split", type=Path, default=ROOT / "eval" / "split.json")
    parser.add_argument("--cache", help="geocode cache (as for places geocode)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("weights.json"))
    parser.add_argument("--no-write", action="store_true", help="compare only")
    args = parser.parse_args(argv)

    annotations = dev_annotations(args.corpus, args.split)
    print(f"development part: {len(annotations)} articles", file=sys.stderr)
    with Resolver(cache_path=args.cache) as resolver:
        lookup = PlaceLookup(resolver)
        articles = read_articles(annotations, lookup)
        names = sorted({n for a in articles for f in a.features for n in f})
        rows = [(k, i) for k, a in enumerate(articles) for i in range(len(a.features))]
        x = matrix([articles[k].features[i] for k, i in rows], names)
        y = np.array([articles[k].labels[i] for k, i in rows], dtype=bool)
        rule = np.array([articles[k].rule_arrest[i] for k, i in rows], dtype=bool)
        groups = np.array([k for k, _ in rows])
        keys = np.array([f"{k}\t{articles[k].places[i]}" for k, i in rows])
        print(
            f"{len(y)} placeable mentions, {int(y.sum())} at a gold arrest place, "
            f"{len(names)} features",
            file=sys.stderr,
        )

        folds = list(GroupKFold(n_splits=FOLDS).split(x, y, groups))
        # Articles with no placeable mention still count end to end: give each
        # article a fold by the fold of its mentions, or round robin.
        fold_of = {}
        for n, (_, held) in enumerate(folds):
            for k in set(groups[held].tolist()):
                fold_of[k] = n
        for k in range(len(articles)):
            fold_of.setdefault(k, k % FOLDS)

        predictions = {}
        end_to_end = {"rules": [score_article(a.annotation, a.rule_operations) for a in articles]}
        chosen = {}
        for kind in (Logistic, Boosting):
            predicted = np.zeros(len(y), dtype=bool)
            scores = [None] * len(articles)
            chosen[kind.name] = []
            for n, (train, held) in enumerate(folds):
                c, t = choose(kind, x[train], y[train], groups[train], keys[train])
                chosen[kind.name].append((c, t))
                fitted = kind(c).fit(x[train], y[train])
                predicted[held] = fitted.proba(x[held]) >= t
                adapter = Adapter(fitted, names, t)
                for k in range(len(articles)):
                    if fold_of[k] != n:
                        continue
                    a = articles[k]
                    result = extract_with_model(
                        a.text,
                        model=adapter,
                        lookup=lookup,
                        source=a.annotation.file,
                        published=a.annotation.published,
                    )
                    scores[k] = score_article(a.annotation, result.operations)
            predictions[kind.name] = predicted
            end_to_end[kind.name] = scores

        print("\nCross-validated on the development part (5 folds grouped by article)")
        print("\nMention level (placeable mentions; an arrest place = within a gold radius)")
        header = ("decision", "precision", "recall", "F1")
        table = [("rules", *mention_row(y, rule))] + [
            (name, *mention_row(y, p)) for name, p in predictions.items()
        ]
        print_table(header, table)
        print("\nPlace level (each article's distinct placeable places)")
        table = [("rules", *mention_row(*by_place(keys, y, rule)))] + [
            (name, *mention_row(*by_place(keys, y, p))) for name, p in predictions.items()
        ]
        print_table(header, table)
        print("\nEnd to end (ct-arrest-map evaluate's scoring, held-out articles)")
        header = ("decision", "place precision", "place recall", "ops found", "invented")
        header += ("date", "count")
        table = [(name, *end_row(aggregate(s))) for name, s in end_to_end.items()]
        print_table(header, table)
        for name, picks in chosen.items():
            print(f"\n{name}: (C, threshold) per fold: {picks}")

        rules_total = aggregate(end_to_end["rules"]).totals
        lr_total = aggregate(end_to_end[Logistic.name]).totals
        beats = (lr_total.matched_places, -lr_total.predicted_places) > (
            rules_total.matched_places,
            -rules_total.predicted_places,
        ) and lr_total.matched_places * rules_total.predicted_places >= (
            rules_total.matched_places * lr_total.predicted_places
        )
        print(
            f"\nlogistic regression beats the rules end to end (recall and precision "
            f"at least theirs, one better): {'yes' if beats else 'no'}"
        )
        c, t = choose(Logistic, x, y, groups, keys)
        final = Logistic(c).fit(x, y)
        w, b = final.raw_weights()
        keep = [k for k in range(len(names)) if abs(w[k]) > 1e-9]
        model = RoleModel(
            tuple(names[k] for k in keep),
            tuple(round(float(w[k]), 6) for k in keep),
            round(b, 6),
            t,
            {
                "trained_by": "python -m experiments.role_model.train",
                "data": "eval/corpus, the 'dev' part of eval/split.json",
                "articles": len(articles),
                "mentions": len(y),
                "positives": int(y.sum()),
                "C": c,
                "scikit_learn": sklearn.__version__,
                "cv_beats_rules_end_to_end": beats,
                "cv_mention_level": {
                    name: dict(zip(("precision", "recall", "f1"), mention_row(y, p), strict=True))
                    for name, p in [("rules", rule), *predictions.items()]
                },
                "cv_end_to_end": {
                    name: dict(
                        zip(
                            ("place_precision", "place_recall", "operations_found", "invented"),
                            end_row(aggregate(s))[:4],
                            strict=True,
                        )
                    )
                    for name, s in end_to_end.items()
                },
            },
        )
        print(f"\nfinal model: C={c}, threshold={t}, {len(keep)} weights; largest:")
        for name, weight in sorted(model.weights.items(), key=lambda kv: -abs(kv[1]))[:15]:
            print(f"  {weight:+.3f}  {name}")
        if not args.no_write:
            data = model.to_json()
            if (data["format"], data["version"]) != (FORMAT, VERSION):
                raise SystemExit("the model's format is not the loader's")
            args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
