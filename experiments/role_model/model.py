"""A trained arrest-place decision over the rules' features, in plain Python.

The rules give every place mention a role (:mod:`mapapp.extract.roles`,
:mod:`mapapp.extract.clauses`); the operations are built from the mentions whose
role is ``arrest``. This module lets a logistic regression, trained on the
annotated corpus by ``experiments/role_model/train.py``, make that one decision
instead: for each mention a map can place (:func:`.features.is_candidate`), the
probability that it is an arrest place is the logistic of a weighted sum of its
features (:mod:`.features`), and the mention is an arrest place when the
probability reaches the model's threshold. Every other role, and every mention the model does
not decide, stays as the rules gave it.

The weights are a small JSON file beside this module (``weights.json``)::

    {"format": "ct-arrest-map role model", "version": 1,
     "features": ["role=arrest", "sentence_trigger", ...],
     "coefficients": [2.1, 0.7, ...], "intercept": -1.3, "threshold": 0.5,
     "about": {...}}

``coefficients[k]`` is the weight of ``features[k]`` on the raw feature value (any
standardisation of the training is folded in), so a decision is explained by the
products weight × value (:func:`explain`). scikit-learn is needed to train, never
to decide.

This is an experiment, kept outside the package: in cross-validation on the
development part it did worse than the rules end to end (see this folder's
README.md), so the extractor does not use it. :func:`extract_with_model` runs the
extractor with the model in place of the rules' decision, for that comparison.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from experiments.role_model.features import article_features, is_candidate
from mapapp.errors import MapappError
from mapapp.extract.roles import ARREST, Role
from mapapp.extract.sentences import Sentence

FORMAT = "ct-arrest-map role model"
VERSION = 1

#: The role of a mention the rules read as an arrest place and the model does not.
NOT_ARREST = "not an arrest place (model)"

#: The package's weights file.
DEFAULT_PATH = Path(__file__).with_name("weights.json")


class RoleModelError(MapappError):
    """A weights file that cannot be used, named with the problem."""


@dataclass(frozen=True)
class RoleModel:
    """A logistic regression over named features.

    Attributes
    ----------
    features : tuple of str
        The feature names, in the order of ``coefficients``.
    coefficients : tuple of float
        One weight per feature, on the raw feature value.
    intercept : float
    threshold : float
        A mention is an arrest place when its probability is at least this.
    about : dict
        How it was trained (not used to decide).
    """

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float
    about: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if len(self.features) != len(self.coefficients):
            raise RoleModelError(
                f"{len(self.coefficients)} coefficients for {len(self.features)} features"
            )
        # Looked up for every mention: built once.
        object.__setattr__(
            self, "_by_name", dict(zip(self.features, self.coefficients, strict=True))
        )

    @property
    def weights(self) -> dict[str, float]:
        """Feature name to weight."""
        return dict(zip(self.features, self.coefficients, strict=True))

    def score(self, features: dict[str, float]) -> float:
        """The log-odds of an arrest place: intercept plus weights × values.

        Features the model does not know weigh nothing.
        """
        weights = self._by_name
        return self.intercept + sum(weights.get(k, 0.0) * v for k, v in features.items())

    def probability(self, features: dict[str, float]) -> float:
        """The probability of an arrest place (the logistic of :meth:`score`)."""
        z = self.score(features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def is_arrest(self, features: dict[str, float]) -> bool:
        """True when the probability reaches the threshold."""
        return self.probability(features) >= self.threshold

    def to_json(self) -> dict:
        """The weights file's object."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "features": list(self.features),
            "coefficients": list(self.coefficients),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "about": self.about,
        }


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RoleModelError(f"{where} is {value!r}, not a finite number")
    return float(value)


def model_from_json(data: object, where: str = "role model") -> RoleModel:
    """Check a weights object and return its model.

    Parameters
    ----------
    data : object
        The parsed JSON.
    where : str
        How messages name it (the file).

    Returns
    -------
    RoleModel

    Raises
    ------
    RoleModelError
        Not this format or version, or a field missing or of the wrong shape: the
        features not a list of distinct names, a coefficient count that is not the
        feature count, a number that is not finite, a threshold outside (0, 1).
    """
    if not isinstance(data, dict):
        raise RoleModelError(f"{where}: not a JSON object")
    if data.get("format") != FORMAT:
        raise RoleModelError(f"{where}: 'format' is {data.get('format')!r}, not {FORMAT!r}")
    if data.get("version") != VERSION:
        raise RoleModelError(f"{where}: 'version' is {data.get('version')!r}, not {VERSION}")
    for key in ("features", "coefficients", "intercept", "threshold"):
        if key not in data:
            raise RoleModelError(f"{where}: {key!r} missing")
    features, coefficients = data["features"], data["coefficients"]
    if not isinstance(features, list) or not all(isinstance(f, str) and f for f in features):
        raise RoleModelError(f"{where}: 'features' is not a list of feature names")
    if len(set(features)) != len(features):
        raise RoleModelError(f"{where}: 'features' names a feature twice")
    if not isinstance(coefficients, list):
        raise RoleModelError(f"{where}: 'coefficients' is not a list of numbers")
    if len(coefficients) != len(features):
        raise RoleModelError(
            f"{where}: 'coefficients' has {len(coefficients)} numbers for "
            f"{len(features)} features (one weight per feature)"
        )
    weights = tuple(_number(c, f"{where}: coefficients[{k}]") for k, c in enumerate(coefficients))
    intercept = _number(data["intercept"], f"{where}: 'intercept'")
    threshold = _number(data["threshold"], f"{where}: 'threshold'")
    if not 0.0 < threshold < 1.0:
        raise RoleModelError(f"{where}: 'threshold' is {threshold}, not between 0 and 1")
    about = data.get("about", {})
    return RoleModel(
        tuple(features), weights, intercept, threshold, about if isinstance(about, dict) else {}
    )


def load_model(path: str | Path | None = None) -> RoleModel:
    """Read a weights file (the package's own by default) and check it.

    Parameters
    ----------
    path : str or pathlib.Path, optional

    Returns
    -------
    RoleModel

    Raises
    ------
    RoleModelError
        Unreadable, not JSON, or not a valid weights object (see
        :func:`model_from_json`).
    """
    if path is None:
        return _packaged()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RoleModelError(f"{path}: cannot read: {exc}") from exc
    return _parse(text, str(path))


def _parse(text: str, where: str) -> RoleModel:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RoleModelError(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    return model_from_json(data, where)


@cache
def _packaged() -> RoleModel:
    return _parse(DEFAULT_PATH.read_text(encoding="utf-8"), "experiments/role_model/weights.json")


def decide(roles: Sequence[Role], sentences: Sequence[Sentence], model: RoleModel) -> list[Role]:
    """Replace the rules' arrest / not-arrest decision with the model's.

    Parameters
    ----------
    roles : sequence of Role
        Every mention of one article with the rules' role, in article order.
    sentences : sequence of Sentence
        The article's sentences.
    model : RoleModel
        Or any object with ``probability(features)`` and ``threshold`` (the
        training script passes its gradient boosting this way).

    Returns
    -------
    list of Role
        The same roles, except that a mention the model decides
        (:func:`.role_features.is_candidate`) is ``arrest`` when its probability
        reaches the threshold and :data:`NOT_ARREST` when the rules said
        ``arrest`` and the model does not; a changed role's cue says so
        ("model 0.83; rules: origin"). The others are returned as they are.
    """
    roles = list(roles)
    out = []
    for role, features in zip(roles, article_features(roles, sentences), strict=True):
        if not is_candidate(role):
            out.append(role)
            continue
        p = model.probability(features)
        if p >= model.threshold and role.role != ARREST:
            out.append(replace(role, role=ARREST, cue=f"model {p:.2f}; rules: {role.role}"))
        elif p < model.threshold and role.role == ARREST:
            out.append(replace(role, role=NOT_ARREST, cue=f"model {p:.2f}; rules: {role.cue}"))
        else:
            out.append(role)
    return out


def explain(
    features: dict[str, float], model: RoleModel, top: int = 5
) -> list[tuple[str, float, float]]:
    """The features that weigh most in one mention's decision.

    Parameters
    ----------
    features : dict
        One mention's features (:func:`.role_features.article_features`).
    model : RoleModel
    top : int
        How many to give.

    Returns
    -------
    list of (str, float, float)
        ``(name, value, weight × value)``, the largest contributions (either sign)
        first; features the model does not know, or that weigh nothing, are left
        out. The intercept is not a feature: add it to the contributions to get
        :meth:`RoleModel.score`.
    """
    weights = model.weights
    parts = [
        (name, value, weights[name] * value)
        for name, value in features.items()
        if name in weights and weights[name] * value != 0.0
    ]
    parts.sort(key=lambda part: (-abs(part[2]), part[0]))
    return parts[:top]


_HOOK_LOCK = threading.Lock()


def extract_with_model(text: str, *, model: RoleModel, **kwargs):
    """Run :func:`mapapp.extract.extract_article` with the model's decision.

    Until the extractor calls :func:`decide` itself, this puts it in front of the
    extractor's grouping of arrest places into operations (its call of
    :func:`mapapp.extract.operations.group_operations`, which receives every role
    of the article), so the operations are built from the model's arrest places
    and everything else runs as it does for a user. National figures are still
    read beside the rules' arrest sentences. One article at a time (a lock).

    Parameters
    ----------
    text : str
    model : RoleModel
    **kwargs
        As for :func:`mapapp.extract.extract_article` (``lookup``, ``published``...).

    Returns
    -------
    mapapp.extract.ArticleResult
        Its ``roles`` are the decided roles.

    Raises
    ------
    RoleModelError
        The extractor no longer groups operations through ``group_operations``
        (the hook has moved: call :func:`decide` in the extractor instead).
    """
    from mapapp.extract import extractor

    decided: dict[str, list[Role]] = {}
    with _HOOK_LOCK:
        original = extractor.group_operations

        def hooked(roles, sentences, **options):
            decided["roles"] = decide(roles, sentences, model)
            return original(decided["roles"], sentences, **options)

        extractor.group_operations = hooked
        try:
            result = extractor.extract_article(text, **kwargs)
        finally:
            extractor.group_operations = original
    if "roles" not in decided:
        raise RoleModelError(
            "the extractor did not call group_operations: wire decide() into extract_article"
        )
    return replace(result, roles=decided["roles"])
