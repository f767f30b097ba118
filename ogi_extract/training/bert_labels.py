"""A small BERT-style row-label classifier over characters, trained from scratch (no pretrained
Chinese weights can be downloaded here), to compare with the scikit-learn one.

Input: [CLS] format / value-count / value-kind tokens, the label's characters [SEP] the context
(parents, section) [SEP] the labels above [SEP] the column headers, as one character sequence;
segment 0 for the label, 1 for the rest. It borrows the scikit-learn classifier's decision rule
(format family mask, threshold -> unmapped) so only the model differs. Training code only:
`python -m ogi_extract.training.compare_labels` trains it and scores both.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertModel

from ogi_extract.models.labels.classifier import LabelClassifier
from ogi_extract.models.labels.features import Example, fields

PAD, CLS, SEP, UNK = "[PAD]", "[CLS]", "[SEP]", "[UNK]"
MAX_LEN = 96


def _pieces(ex: Example) -> tuple[list[str], list[str]]:
    label, _raw, context, before, headers, meta = fields(ex)
    first = [CLS, *meta.split(), *label]
    rest = [SEP, *context, SEP, *before, SEP, *headers]
    return first, rest


class CharBert(torch.nn.Module):
    """A BERT encoder (no pretrained weights) and a linear head over the mean of its token states:
    the mean trains much faster from scratch than the [CLS] pooler."""

    def __init__(self, config: BertConfig, n_classes: int):
        super().__init__()
        self.bert = BertModel(config, add_pooling_layer=False)
        self.head = torch.nn.Linear(config.hidden_size, n_classes)

    def forward(self, input_ids, token_type_ids, attention_mask) -> torch.Tensor:
        states = self.bert(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).float()
        return self.head((states * mask).sum(1) / mask.sum(1).clamp(min=1))


class BertLabels(LabelClassifier):
    """fit / predict_proba like LabelClassifier (its predict_examples, mask and threshold are reused)."""

    def __init__(self, threshold: float = 0.5, hidden: int = 128, layers: int = 2, heads: int = 4, seed: int = 0):
        self.threshold = threshold
        self._masks: dict[str, np.ndarray] = {}
        self.hparams = {"hidden": hidden, "layers": layers, "heads": heads, "seed": seed}
        self.vocab: dict[str, int] = {}
        self._classes: list[str] = []
        self.model: CharBert | None = None
        self.info: dict = {}

    @property
    def classes(self) -> list[str]:
        return self._classes

    def encode(self, examples: list[Example]) -> dict[str, torch.Tensor]:
        ids = np.zeros((len(examples), MAX_LEN), dtype=np.int64)
        types = np.zeros_like(ids)
        for i, ex in enumerate(examples):
            first, rest = _pieces(ex)
            tokens = (first + rest)[:MAX_LEN]
            ids[i, :len(tokens)] = [self.vocab.get(t, 3) for t in tokens]
            types[i, len(first):len(tokens)] = 1
        ids_t = torch.from_numpy(ids)
        return {"input_ids": ids_t, "token_type_ids": torch.from_numpy(types), "attention_mask": (ids_t != 0).long()}

    def fit(self, examples: list[Example], epochs: int = 3, batch: int = 32, lr: float = 2e-3,
            max_seconds: float = 1200) -> BertLabels:
        torch.manual_seed(self.hparams["seed"])
        tokens = sorted({t for ex in examples for part in _pieces(ex) for t in part} - {PAD, CLS, SEP, UNK})
        self.vocab = {t: i for i, t in enumerate([PAD, CLS, SEP, UNK, *tokens])}
        self._classes = sorted({e.target for e in examples})
        index = {c: i for i, c in enumerate(self._classes)}
        h = self.hparams
        config = BertConfig(vocab_size=len(self.vocab), hidden_size=h["hidden"], num_hidden_layers=h["layers"],
                            num_attention_heads=h["heads"], intermediate_size=2 * h["hidden"],
                            max_position_embeddings=MAX_LEN, type_vocab_size=2)
        self.model = CharBert(config, len(self._classes))
        enc = self.encode(examples)
        y = torch.tensor([index[e.target] for e in examples])
        steps = epochs * ((len(examples) + batch - 1) // batch)
        opt = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
        self.model.train()
        start, done = time.perf_counter(), 0
        for _ in range(epochs):
            order = torch.randperm(len(examples))
            for k in range(0, len(examples), batch):
                pick = order[k:k + batch]
                logits = self.model(**{n: t[pick] for n, t in enc.items()})
                torch.nn.functional.cross_entropy(logits, y[pick]).backward()
                opt.step(), sched.step(), opt.zero_grad()
                done += 1
                if time.perf_counter() - start > max_seconds:
                    break
        self.model.eval()
        self.info = {"n_examples": len(examples), "steps": done, "of_steps": steps, "epochs": epochs,
                     "train_seconds": round(time.perf_counter() - start, 1), "vocab": len(self.vocab),
                     "parameters": sum(p.numel() for p in self.model.parameters()), **h}
        return self

    @torch.no_grad()
    def predict_proba(self, examples: list[Example]) -> np.ndarray:
        if not examples:
            return np.zeros((0, len(self.classes)))
        outs = []
        for k in range(0, len(examples), 256):
            enc = self.encode(examples[k:k + 256])
            outs.append(torch.softmax(self.model(**enc), dim=-1).numpy())
        return np.concatenate(outs)

    def save(self, folder: str | Path, metrics: dict | None = None) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.model.bert.config.to_json_file(folder / "config.json")
        save_file(self.model.state_dict(), folder / "model.safetensors")
        meta = {"kind": "row-label-bert", "threshold": self.threshold, "classes": self._classes,
                "vocab": list(self.vocab), "training": self.info, "metrics": metrics or {}}
        (folder / "labels.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, threshold: float | None = None) -> BertLabels:
        folder = Path(folder)
        meta = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        clf = cls(threshold=meta["threshold"] if threshold is None else threshold)
        clf.vocab = {t: i for i, t in enumerate(meta["vocab"])}
        clf._classes, clf.info = meta["classes"], meta["training"]
        clf.model = CharBert(BertConfig.from_json_file(folder / "config.json"), len(clf._classes))
        clf.model.load_state_dict(load_file(folder / "model.safetensors"))
        clf.model.eval()
        return clf
