"""Training the hostility classifier from ../shared/data/media, deterministically.

``migralink media train`` calls :func:`train`: it reads the corpora whose licences allow
shipping a model (:func:`~migralink.media.corpora.training_rows`), builds the feature
vocabularies (document frequency, ties broken by the n-gram itself), fits the two
logistic regressions (liblinear, fixed seed; the *hostile* one on the texts with their
neutral group names masked, :mod:`migralink.media.masking`), stacks the sentence
encoder's P(label) (its logit gated by max(P(about), group named)) and a capped insult
count (:mod:`migralink.media.insults`) onto their product score, calibrates it with Platt
scaling on out-of-fold scores, picks the threshold on out-of-fold scores of the texts
that name or are about a group (best F1, raised until at most 5 % of their negatives
are flagged; K-MHaS comments hostile to someone that name a group but are labelled
neither Race nor Origin are left out of the stack, the calibration and this choice),
scores the held-out evaluation sets and writes ``hostility.npz`` + ``hostility.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from migralink.media.corpora import Labelled, training_rows
from migralink.media.evaluation import evaluate, f1_score
from migralink.media.features import BLOCKS, Block, encode, normalise, tokens_of
from migralink.media.fitting import (
    GRID,
    best_threshold,
    encoder_scale,
    fit_encoder,
    fit_ngrams,
    fit_platt,
    stack_weights,
)
from migralink.media.masking import masked_rows
from migralink.media.model import (
    MODEL_JSON,
    MODEL_NPZ,
    EncoderStack,
    HostilityModel,
    forget_loaded,
    insult_input,
    join_scores,
    load_model,
)
from migralink.media.targets import target_of

__all__ = ["TrainConfig", "build_block", "evaluate", "train"]


@dataclass(frozen=True)
class TrainConfig:
    """Settings of a training run (they are written into the model's JSON).

    Attributes:
        max_features: the largest vocabulary of each block (char, jamo, morph).
        min_df: an n-gram must occur in this many training texts.
        c: inverse regularisation strength of both logistic regressions.
        folds: folds of the out-of-fold scores used for calibration and threshold.
        seed: seed of liblinear's coordinate order.
        encoder: stack a logistic regression on the multilingual sentence encoder's
            vectors (P(label), fitted on the texts that name or are about a group)
            onto the n-gram score.
        encoder_c: inverse regularisation strength of that regression.
        positive_weight: sample weight of the texts hostile towards a group (label 1) in
            the two n-gram stages, chosen by out-of-fold F1 on the on-topic texts.
        neutral_fp: the highest share of the on-topic negatives (training texts that
            name or are about a group but are not hostile towards it; out of fold) the
            threshold may flag; it is raised above the best-F1 threshold until this
            holds, so that reporting on migrants is not read as hostility.
        stereotypes: add KoBBQ's stereotypes as voiced (hostile) and reported (not)
            sentences (:mod:`migralink.media.stereotypes`; tried in session 7). The
            calibration, threshold and out-of-fold figures use the corpora's texts only.
        stereotype_weight: the sample weight of those sentences in the n-gram stages
            (None: as the corpora's texts, ``positive_weight`` when voiced, 1 when
            reported).
        beep_named: keep the BEEP! rows that name a group (as negatives, since BEEP!
            has no target label, 115 of those 153 rows are hostile towards the group they
            name); False, the default since session 8, leaves them out.
        gate_encoder: multiply the encoder's logit in the stack by max(P(about), group
            named), so that off topic it neither raises nor lowers the score (default
            since session 8).
        insults: a third stack input, min(korcen insults, 2) where the text names a
            group (:mod:`migralink.media.insults`; default since session 8; the model
            files record the words).
        mask_names: the *hostile* stage reads the texts with their neutral group names
            masked (:mod:`migralink.media.masking`; slurs kept; default since session 9),
            so that naming 흑인 or 중국인 is not itself read as hostility.
        hostile_c: inverse regularisation strength of the *hostile* stage alone (None:
            ``c``; 0.5 since session 9).
        ambiguous_out: the K-MHaS rows that are hostile (to someone), name a group and
            are labelled neither Race nor Origin (266: mostly political abuse that
            mentions 중국 or 일본, some hostility towards the group that K-MHaS filed
            under another label) are left out of the stack's fit, the Platt scaling and
            the threshold's population (they still train the n-gram and encoder stages,
            and the out-of-fold F1 is still reported over every on-topic text; default
            since session 9).
        descriptive_weight: the sample weight, in the encoder regression alone, of the
            training texts that name a group and are not hostile at all (label 0, no hate
            or offence; 1,594: K-MHaS not-hate comments, KoSBi safe sentences and
            contexts, Denney answers); 8 since session 10, so that the encoder learns that
            describing a group is not hostility towards it; 1.0 gives session 9's model.
    """

    max_features: tuple[int, int, int] = (40_000, 30_000, 15_000)
    min_df: int = 2
    c: float = 1.0
    folds: int = 3
    seed: int = 17
    neutral_fp: float = 0.05
    encoder: bool = True
    encoder_c: float = 1.0
    positive_weight: float = 8.0
    joint: bool = False
    joint_scale: float = 2.0
    gated: bool = False
    stereotypes: bool = False
    stereotype_weight: float | None = None
    beep_named: bool = False
    gate_encoder: bool = True
    insults: bool = True
    mask_names: bool = True
    hostile_c: float | None = 0.5
    ambiguous_out: bool = True
    descriptive_weight: float = 8.0

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """The config written by :meth:`to_json`."""
        data = json.loads(text)
        data["max_features"] = tuple(data["max_features"])
        return cls(**data)

    def to_json(self) -> str:
        """The config as JSON."""
        return json.dumps(asdict(self))


def build_block(name: str, grams: Sequence[list[str]], max_features: int,
                min_df: int) -> Block:
    """A block's vocabulary (most frequent n-grams, ties by n-gram) and smooth idf."""
    df: Counter[str] = Counter()
    for row in grams:
        df.update(set(row))
    kept = sorted((g for g, n in df.items() if n >= min_df), key=lambda g: (-df[g], g))
    kept = sorted(kept[:max_features])
    n = len(grams)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float32)
    return Block(name, {g: i for i, g in enumerate(kept)}, idf)


def _model(blocks: tuple[Block, ...], x: sp.csr_matrix, rows: list[Labelled],
           config: TrainConfig, platt: tuple[float, float] = (1.0, 0.0),
           threshold: float = 0.5, meta: dict[str, Any] | None = None,
           x_hostile: sp.csr_matrix | None = None) -> HostilityModel:
    """The two n-gram stages fitted on rows ``x`` (the hostile stage on ``x_hostile``,
    the rows with names masked, when given)."""
    # the few texts hostile towards a group count more in both stages: among ~17,000
    # hostile texts the 1,300 aimed at migrants or a nationality otherwise weigh little
    weights = np.array([config.stereotype_weight
                        if r.corpus == "kobbq" and config.stereotype_weight is not None else
                        config.positive_weight if r.label else 1.0 for r in rows])
    hostile_config = config if config.hostile_c is None else replace(config, c=config.hostile_c)
    hostile, hb = fit_ngrams(x if x_hostile is None else x_hostile,
                       np.array([r.hostile for r in rows]), hostile_config, weights)
    about, ab = fit_ngrams(x, np.array([r.about for r in rows]), config, weights)
    return HostilityModel(blocks, hostile, about, hb, ab, platt, threshold, meta or {},
                          mask_names=config.mask_names)


def _file_digests(media: Path, config: TrainConfig) -> dict[str, str]:
    names: tuple[str, ...] = (
        "kmhas/kmhas_valid.txt", "kmhas/kmhas_test.txt", "kosbi/kosbi_valid.json",
        "kosbi/kosbi_test.json", "kocohub-beep/labeled/train.tsv", "kocohub-beep/labeled/dev.tsv",
        "denney-korea-corpora/immigrant_interviews/immigrant_interview.csv",
        "denney-korea-corpora/nkmigrants_interviews/nkmigrants_interviews.csv")
    if config.stereotypes:
        names += ("kobbq/KoBBQ_templates.tsv",)
    return {n: hashlib.sha256((media / n).read_bytes()).hexdigest() for n in names}


def train(media: Path, out: Path, config: TrainConfig | None = None,
          rows: list[Labelled] | None = None, evaluate_sets: bool = True) -> dict[str, Any]:
    """Train, calibrate, evaluate and write the model to ``out``; returns its metadata.

    Args:
        media: ``../shared/data/media``.
        out: the folder to write ``hostility.npz`` and ``hostility.json`` to.
        config: the settings (defaults: :class:`TrainConfig`).
        rows: train on these rows instead of the full training corpora (tests).
        evaluate_sets: score the held-out evaluation sets and the neutral set.
    """
    config = config or TrainConfig()
    full = rows is None
    rows = training_rows(media, beep_named=config.beep_named) if rows is None else rows
    if config.stereotypes:
        from migralink.media.stereotypes import stereotype_rows

        rows = rows + stereotype_rows(media)
    clean = [normalise(r.text) for r in rows]
    grams = {name: tokens_of(name, clean) for name in BLOCKS}
    blocks = tuple(build_block(name, grams[name], size, config.min_df)
                   for name, size in zip(BLOCKS, config.max_features, strict=True))
    x = sp.hstack([b.transform(grams[b.name]) for b in blocks]).tocsr()
    del grams
    vectors = encode(clean) if config.encoder else None
    labels = np.array([r.label for r in rows])
    texts = [r.text for r in rows]
    # the hostile stage's rows: the texts with their neutral group names masked, or x
    xh = masked_rows(x, texts, lambda batch: sp.hstack([
        b.transform(tokens_of(b.name, [normalise(t) for t in batch])) for b in blocks]).tocsr()
                     ) if config.mask_names else x
    # the texts the threshold is chosen on: those that name or are about a group, where
    # the decision is hard (elsewhere the about stage alone keeps the score low)
    named = np.array([target_of(r.text) is not None for r in rows])
    on_topic = np.array([r.about == 1 for r in rows]) | named
    # generated sentences train, but every choice and figure rests on the corpora's texts
    real = np.array([r.corpus != "kobbq" for r in rows])
    # K-MHaS comments hostile to someone that name a group but are not labelled Race or
    # Origin: left out of the stack, the calibration and the threshold's population
    ambiguous = (np.array([r.corpus == "kmhas" and r.hostile == 1 and r.label == 0
                           for r in rows]) & named) if config.ambiguous_out else np.zeros(
                               len(rows), dtype=bool)
    # the texts that name a group and describe it (not hostile at all): the encoder
    # regression's sample weight (since session 10)
    descriptive = real & named & (labels == 0) & np.array([r.hostile == 0 for r in rows])
    encoder_weights = (np.where(descriptive, config.descriptive_weight, 1.0)
                       if config.descriptive_weight != 1.0 else None)
    oof, oof_encoder, oof_gate = np.zeros(len(rows)), np.zeros(len(rows)), np.zeros(len(rows))
    folds = np.arange(len(rows)) % config.folds
    # the stack and the encoder's regression are fitted where the decision is hard; on
    # all texts when those hold one class only
    fit_on = on_topic if len(set(labels[on_topic].tolist())) == 2 else np.ones_like(on_topic)
    for k in range(config.folds):
        train_idx, test_idx = np.where(folds != k)[0], np.where(folds == k)[0]
        part = _model(blocks, x[train_idx], [rows[i] for i in train_idx], config,
                      x_hostile=xh[train_idx])
        oof[test_idx] = part.ngram_scores(x[test_idx], [texts[i] for i in test_idx],
                                          named[test_idx], xh[test_idx])
        if vectors is not None:
            ngc, coef, bias = fit_encoder(
                vectors[train_idx], x[train_idx], labels[train_idx], fit_on[train_idx], config,
                None if encoder_weights is None else encoder_weights[train_idx])
            fold = EncoderStack(coef, bias, (0.0, 1.0, 0.0), ngc, encoder_scale(config),
                                config.gated)
            gate = part.about_gate(x[test_idx], [texts[i] for i in test_idx],
                                   named[test_idx])
            oof_gate[test_idx] = gate
            oof_encoder[test_idx] = fold.combine(oof[test_idx], vectors[test_idx],
                                                 x[test_idx], gate)
    stack = None
    if vectors is not None:
        from migralink.media.insults import INSULTS

        insult = insult_input(texts, INSULTS, named) if config.insults else None
        encoder_gate = oof_gate if config.gate_encoder else None
        stack_on = fit_on & ~ambiguous
        weights, insult_weight = stack_weights(
            oof[stack_on], oof_encoder[stack_on], labels[stack_on],
            None if encoder_gate is None else encoder_gate[stack_on],
            None if insult is None else insult[stack_on])
        ngc, coef, bias = fit_encoder(vectors, x, labels, fit_on, config, encoder_weights)
        stack = EncoderStack(coef, bias, weights, ngc, encoder_scale(config), config.gated,
                             config.gate_encoder, insult_weight,
                             INSULTS if config.insults else ())
        oof = join_scores(oof, oof_encoder, weights, encoder_gate, insult, insult_weight)
    platt = fit_platt(oof[real & ~ambiguous], labels[real & ~ambiguous])
    final = _model(blocks, x, rows, config, platt, x_hostile=xh)
    calibrated = final.calibrated(oof)
    on_topic = on_topic & real
    chosen_on = on_topic & ~ambiguous  # the texts the threshold is chosen on
    threshold = best_threshold(calibrated[chosen_on], labels[chosen_on])
    negatives = chosen_on & (labels == 0)
    flagged = float(np.mean(calibrated[negatives] >= threshold)) if negatives.any() else 0.0
    for candidate in (t for t in GRID if t > threshold):
        if flagged <= config.neutral_fp:
            break
        threshold = candidate
        flagged = float(np.mean(calibrated[negatives] >= threshold))
    meta: dict[str, Any] = {
        "blocks": list(BLOCKS), "hostile_bias": final.hostile_bias,
        "about_bias": final.about_bias, "platt": list(platt), "threshold": threshold,
        "encoder_stack": _stack_meta(stack) if stack else None,
        "config": asdict(config), "training_rows": len(rows),
        "training_positives": int(labels.sum()),
        "training_corpora": sorted({r.corpus for r in rows}),
        "out_of_fold_on_topic_f1": round(
            f1_score(labels[on_topic], calibrated[on_topic] >= threshold), 4),
        "out_of_fold_on_topic_negatives_flagged": round(flagged, 4),
        # texts that name no group and are not about one (news comments at large): the
        # false alarms a day of comments would raise
        "out_of_fold_off_topic_flagged": round(
            float(np.mean(calibrated[real & ~on_topic] >= threshold))
            if (real & ~on_topic).any() else 0.0, 4),
    }
    if config.ambiguous_out:
        # the figures above are over the threshold's population (ambiguous rows out) but
        # the F1, which is over every on-topic text; these two are over all of them
        all_negatives = on_topic & (labels == 0)
        meta["ambiguous_left_out"] = int(ambiguous.sum())
        meta["out_of_fold_all_on_topic_negatives_flagged"] = round(
            float(np.mean(calibrated[all_negatives] >= threshold))
            if all_negatives.any() else 0.0, 4)
    if config.mask_names:
        meta["hostile_masks_names"] = True
    if encoder_weights is not None and vectors is not None:
        meta["encoder_descriptive_weighted"] = int(descriptive.sum())
    if full:
        meta["training_files_sha256"] = _file_digests(media, config)
    model = HostilityModel(blocks, final.hostile_coef, final.about_coef, final.hostile_bias,
                           final.about_bias, platt, threshold, meta, stack, config.mask_names)
    _write(model, out, meta)
    if evaluate_sets:  # scored as shipped (float16 weights), not as held in memory
        meta["evaluation"] = evaluate(load_model(out), media)
        _write(model, out, meta)
    return meta


def _stack_meta(stack: EncoderStack) -> dict[str, Any]:
    """The stack's settings for the model's JSON (the session-8 keys only when used, so
    that a model trained without them is written as before session 8)."""
    meta: dict[str, Any] = {"bias": stack.bias, "weights": list(stack.weights),
                            "joint": stack.ngram_coef is not None, "scale": stack.scale,
                            "gated": stack.gated}
    if stack.gate_encoder:
        meta["gate_encoder"] = True
    if stack.insult_weight:
        meta["insult_weight"] = stack.insult_weight
        meta["insults"] = list(stack.insults)
    return meta


def _write(model: HostilityModel, out: Path, meta: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for block in model.blocks:
        vocab = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"{block.name}_vocab"] = np.array(vocab, dtype=np.str_)
        arrays[f"{block.name}_idf"] = block.idf.astype(np.float16)
    arrays["hostile_coef"] = model.hostile_coef.astype(np.float16)
    arrays["about_coef"] = model.about_coef.astype(np.float16)
    if model.stack is not None:
        arrays["encoder_coef"] = model.stack.coef.astype(np.float32)
        if model.stack.ngram_coef is not None:
            arrays["joint_coef"] = model.stack.ngram_coef.astype(np.float16)
    tmp_npz, tmp_json = out / (MODEL_NPZ + ".tmp.npz"), out / (MODEL_JSON + ".tmp")
    np.savez_compressed(tmp_npz, **arrays)  # type: ignore[arg-type]
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    tmp_npz.replace(out / MODEL_NPZ)  # both files replaced only once both are written
    tmp_json.replace(out / MODEL_JSON)
    forget_loaded()
