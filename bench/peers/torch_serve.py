#!/usr/bin/python3
"""FastAPI + uvicorn serving peer (issue 17): ServeNet's shipped models behind the server a Python
user would deploy instead of ServeNet.

models/sentiment.ckpt and models/ner.ckpt are read here (docs/checkpoints.md: header, JSON metadata,
tensor table, float16/float32 payloads, SHA-256 trailer), loaded into the PyTorch DAN (with issue 16's
scope maps, typo fallback and temperature) and tagger (issue 11's feature sets 2 and 3: cased words, character
convolution, mention pooling, FOFE context, word clusters) of torch_peer.py, and served with the request and response shapes of ServeNet's API:

    POST /classify  {"text": "..."} | {"texts": ["...", ...]}
        -> {"model", "version", "results": [{"label", "score", "probabilities": {label: p}}]}
    POST /ner       {"text": "..."} | {"texts": ["...", ...]}
        -> {"model", "version", "results": [{"tokens": [{"text", "start", "end", "tag", "probability"}],
                                              "entities": [{"text", "type", "start", "end", "score"}]}]}
    GET  /health/ready

Run (from the repository root; workers = cores, one torch thread per worker):

    /usr/bin/python3 bench/peers/torch_serve.py --port 5101 --workers 2 --models models

What a Python user would write, deliberately: a PTB-like regular expression for tokens (not a port
of ServeNet's PtbPreTokenizer), the corpus conventions the checkpoint's metadata names (SST: lowercase,
PTB escapes; CoNLL: case kept), nn.Module forward in eval mode under torch.inference_mode(), CRF
marginals and constrained Viterbi in numpy, JSON built as dicts and returned as a JSONResponse.
"""

import argparse
import hashlib
import json
import os
import re
import struct
import sys

# One intra-op thread per worker: the server runs one worker process per core (set before torch loads).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from typing import List, Optional  # noqa: E402

from pydantic import BaseModel, Extra, StrictStr  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_peer import Dan, FeatureTagger, digit_shape, word_shape, spans  # noqa: E402

torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
if torch.get_num_interop_threads() != 1:
    torch.set_num_interop_threads(1)  # allowed once per process, before any parallel work

MAX_TEXT_LENGTH = 100_000  # ServeNet:Limits defaults
MAX_BATCH_SIZE = 256


# === Checkpoints (docs/checkpoints.md, src/Core/Checkpoints/Checkpoint.cs) =======================

class CheckpointError(Exception):
    def __init__(self, path, field, expected, actual, hint=""):
        super().__init__(f"Checkpoint '{path}': {field}: expected {expected}, found {actual}. {hint}".rstrip())


def read_checkpoint(path):
    """(metadata dict, {name: float32 ndarray of its shape}); verifies magic, version, length, SHA-256."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 80:
        raise CheckpointError(path, "header", "at least 80 bytes", f"a {len(data)}-byte file")
    if data[:8] != b"SNETCKPT":
        raise CheckpointError(path, "magic", '"SNETCKPT"', repr(data[:8]), "This is not a ServeNet checkpoint.")
    major, minor, _flags, length, metadata_length, count, _ = struct.unpack_from("<HHIQQII", data, 8)
    if major != 1:
        raise CheckpointError(path, "version.major", 1, major)
    if length != len(data):
        raise CheckpointError(path, "file length", f"{length} bytes (from the header)", f"{len(data)} bytes")
    body, trailer = data[:-40], data[-40:]
    if trailer[32:] != b"SNETEND!":
        raise CheckpointError(path, "trailer", '"SNETEND!"', repr(trailer[32:]))
    if hashlib.sha256(body).digest() != trailer[:32]:
        raise CheckpointError(path, "checksum (SHA-256)", trailer[:32].hex(), hashlib.sha256(body).hexdigest())
    metadata = json.loads(body[40:40 + metadata_length])
    tensors, position = {}, 40 + metadata_length
    for _ in range(count):
        (name_length,) = struct.unpack_from("<H", body, position)
        position += 2
        name = body[position:position + name_length].decode("utf-8")
        position += name_length
        dtype, rank = body[position], body[position + 1]
        position += 2
        shape = struct.unpack_from(f"<{rank}I", body, position)
        position += 4 * rank
        offset, size = struct.unpack_from("<QQ", body, position)
        position += 16
        if dtype not in (1, 2):
            raise CheckpointError(path, f"tensor '{name}' dtype", "1 (float32) or 2 (float16)", dtype)
        values = np.frombuffer(body, dtype="<f4" if dtype == 1 else "<f2", count=int(np.prod(shape)), offset=offset)
        tensors[name] = values.astype(np.float32).reshape(shape)
    return metadata, tensors


def dense_into(linear, tensors, name):
    """ServeNet's Dense stores W as [in, out] (y = x·W + b); nn.Linear's weight is [out, in]."""
    linear.weight.data.copy_(torch.from_numpy(tensors[f"{name}.weight"].T.copy()))
    linear.bias.data.copy_(torch.from_numpy(tensors[f"{name}.bias"].reshape(-1).copy()))


def embedding_into(embedding, tensors, name):
    embedding.weight.data.copy_(torch.from_numpy(tensors[name]))


# === Tokenizer: a PTB-like regular expression, as a Python user would write it ====================
# Contractions split from their word (do|n't, it|'s), initials and a few abbreviations kept whole
# (J., U.S., Mr.), numbers with separators kept whole (1,000 10:30 2-1), hyphenated words and inner
# apostrophes kept (O'Gorman),
# "..." "--" `` '' kept whole, any other non-space character alone. Offsets are Python string
# indices (code points): the same as ServeNet's UTF-16 offsets except after characters beyond U+FFFF.

TOKEN = re.compile(r"""
      \w+(?=n['’]t\b)                                   # do|n't  ca|n't
    | n['’]t\b                                          # n't
    | ['’](?:s|re|ve|m|ll|d)\b                          # 's 're 've 'm 'll 'd
    | (?:[^\W\d_]\.)+(?!\w)                             # initials and U.S.  e.g.  J.
    | (?:mr|mrs|ms|dr|prof|st|jr|sr|inc|corp|co|ltd|vs|gen|gov|sen|rep)\.(?!\w)
    | \d+(?:[.,:/-]\d+)+                                # 1,000  10:30  1/2  2-1
    | \w+(?:(?:[-&/@.]|['’](?!(?:s|re|ve|m|ll|d)\b))\w+)*   # words: hyphenated, O'Gorman (not it|'s)
    | \.\.+ | --+ | `` | ''                             # ... -- `` ''
    | \S                                                # any other character
""", re.VERBOSE | re.IGNORECASE)

PTB_BRACKETS = {"(": "-lrb-", ")": "-rrb-", "[": "-lsb-", "]": "-rsb-", "{": "-lcb-", "}": "-rcb-"}


def tokenize(text):
    """[(token, start, end)] of text."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def sst_form(token, text, start):
    """SST's conventions (checkpoint tokenizer {lowercase, ptbEscapes}): lowercase, brackets as -lrb-...,
    double quotes as `` (opening) or '', "/" and "*" escaped, curly apostrophes straight."""
    if token in PTB_BRACKETS:
        return PTB_BRACKETS[token]
    if token in ('"', "“", "”"):
        opening = token == "“" or (token == '"' and (start == 0 or text[start - 1].isspace() or text[start - 1] in "([{"))
        return "``" if opening else "''"
    return token.lower().replace("’", "'").replace("/", "\\/").replace("*", "\\*")


def conll_form(token):
    """CoNLL keeps case and characters; curly quotes straightened."""
    return token.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


# === Models =======================================================================================

class Sentiment:
    """models/sentiment.ckpt in torch_peer.Dan: mean of word embeddings (with issue 16's scope maps when the
    checkpoint has them) -> 2 x (Linear 300, ReLU) -> Linear 2, logits divided by the checkpoint's temperature."""

    # metadata.bag keys this peer serves; anything else it does not know is refused (never a wrong answer).
    BAG_KEYS = {"ngrams", "negationScope", "scopeOperators", "typoFallback"}

    def __init__(self, path):
        metadata, tensors = read_checkpoint(path)
        if metadata["kind"] != "dan-text-classifier":
            raise CheckpointError(path, "metadata.kind", "dan-text-classifier", metadata["kind"])
        self.name, self.version, self.labels = metadata["name"], metadata["version"], metadata["labels"]
        self.vocabulary = metadata["vocabulary"]
        self.ids = {w: i for i, w in enumerate(self.vocabulary)}
        bag = metadata.get("bag", {})
        unknown = {k: v for k, v in bag.items() if k not in self.BAG_KEYS and v}
        if unknown:
            raise CheckpointError(path, "metadata.bag", f"only {sorted(self.BAG_KEYS)}", json.dumps(unknown),
                                  "This peer has no PyTorch port of those features.")
        if bag.get("ngrams", 1) != 1:
            raise CheckpointError(path, "metadata.bag.ngrams", 1, bag.get("ngrams"), "This peer serves word bags only.")
        self.negation_scope = bool(bag.get("negationScope", False))
        self.scopes = bag.get("scopeOperators", 0)
        if isinstance(self.scopes, bool) or self.scopes not in (0, 1, 2):
            raise CheckpointError(path, "metadata.bag.scopeOperators", "0, 1 or 2", json.dumps(self.scopes))
        # Issue 16's code (which writes these keys) also reads negations typed without the apostrophe.
        self.negations = self.NEGATIONS | (self.APOSTROPHELESS if "scopeOperators" in bag or "typoFallback" in bag else set())
        self.typos = TypoIndex(self.vocabulary) if bag.get("typoFallback", False) else None
        self.temperature = float(metadata.get("temperature", 1.0))
        if not (0 < self.temperature < float("inf")):
            raise CheckpointError(path, "metadata.temperature", "a positive number", self.temperature)
        table = tensors["embedding.table"]
        stored_scopes = tensors.get("embedding.scopes")
        if (stored_scopes.shape[0] // table.shape[1] if stored_scopes is not None else 0) != self.scopes:
            raise CheckpointError(path, "tensor embedding.scopes", f"{self.scopes} maps of {table.shape[1]}x{table.shape[1]}",
                                  "none" if stored_scopes is None else f"shape {list(stored_scopes.shape)}")
        self.model = Dan(table.shape[0], table.shape[1], hidden=tensors["hidden1.weight"].shape[1],
                         classes=len(self.labels), scopes=self.scopes).eval()
        embedding_into(self.model.embedding, tensors, "embedding.table")
        if self.scopes:
            # ServeNet stores M_1..M_S one under the other, [S*dim, dim], row o of M_s at row (s-1)*dim + o.
            self.model.scopes.data.copy_(torch.from_numpy(stored_scopes.reshape(self.scopes, table.shape[1], table.shape[1]).copy()))
        for index, name in ((0, "hidden1"), (3, "hidden2"), (6, "output")):
            dense_into(self.model.mlp[index], tensors, name)

    # Negation scope (ServeNet's BagFeatures): words between a negation cue and the next punctuation
    # use their "not_" entry when the vocabulary has one (or, with scope operators, the negation map).
    NEGATIONS = {"not", "n't", "no", "never", "nothing", "nobody", "none", "nor", "neither", "nowhere", "cannot",
                 "without", "hardly", "barely"}
    APOSTROPHELESS = {"dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wouldnt",
                      "shouldnt", "wont", "havent", "hasnt", "hadnt", "aint"}
    SCOPE_ENDS = {".", ",", ";", ":", "!", "?", "--", "...", "-lrb-", "-rrb-", "``", "''", "but", "and"}
    # Scope 2 (BagFeatures.OperatorScopeOf): a word before a contrast later in its sentence.
    CONTRASTS = {"but", "however"}
    SENTENCE_ENDS = {".", "!", "?", ";", "...", "…"}

    def negated(self, words):
        """BagFeatures.NegatedPositions: whether each word lies in a negation scope (the cue itself does not)."""
        flags, in_scope = [], False
        for word in words:
            if word in self.SCOPE_ENDS:
                in_scope = False
                flags.append(False)
            elif word in self.negations:
                in_scope = True
                flags.append(False)
            else:
                flags.append(in_scope)
        return flags

    def operator_scopes(self, words, negated):
        scopes, contrast_ahead = [0] * len(words), False
        for i in range(len(words) - 1, -1, -1):
            if words[i] in self.SENTENCE_ENDS:
                contrast_ahead = False
            scopes[i] = 1 if negated[i] else 2 if contrast_ahead and self.scopes >= 2 else 0
            if words[i] in self.CONTRASTS:
                contrast_ahead = True
        return scopes

    def encode(self, text):
        words = [sst_form(token, text, start) for token, start, _ in tokenize(text)]
        negated = self.negated(words) if self.negation_scope or self.scopes else [False] * len(words)
        scopes = self.operator_scopes(words, negated) if self.scopes else None
        ids = []
        for i, word in enumerate(words):
            word_id = self.ids.get("not_" + word, 0) if negated[i] and scopes is None else 0
            if word_id <= 0:
                word_id = self.ids.get(word, 1)  # 1 = <unk>
            if word_id == 1 and self.typos is not None:
                word_id = self.typos.correct(word, 1)
            ids.append(word_id if scopes is None else word_id + scopes[i] * len(self.vocabulary))
        return ids

    def inputs(self, texts):
        """The bag of every text as EmbeddingBag's (ids, offsets): what torch_peer.py's infer-dan prepares
        before timing the model alone."""
        flat, offsets = [], []
        for text in texts:
            offsets.append(len(flat))
            flat.extend(self.encode(text))
        return torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)

    def probabilities(self, inputs):
        """[texts, labels] probabilities of prepared inputs."""
        with torch.inference_mode():
            return torch.softmax(self.model(*inputs) / self.temperature, dim=1)

    def classify(self, texts):
        probabilities = self.probabilities(self.inputs(texts)).tolist()
        results = []
        for p in probabilities:
            best = max(range(len(p)), key=p.__getitem__)
            results.append({"label": self.labels[best], "score": p[best],
                            "probabilities": dict(zip(self.labels, p))})
        return results


class TypoIndex:
    """Core/Text/TypoIndex.cs (issue 16): for a word the vocabulary lacks, the most frequent vocabulary word
    (lowest id) one edit away -- deletion, insertion, replacement or adjacent swap -- via symmetric deletes.
    Only words of letters, at least MIN_LENGTH long, are corrected."""
    MIN_LENGTH = 4

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary
        self.entries = {}  # a word or one of its one-character deletions -> the lowest id giving it
        for i in range(2, len(vocabulary)):
            word = vocabulary[i]
            if len(word) < self.MIN_LENGTH - 1 or not word.isalpha():
                continue
            for key in [word] + [word[:k] + word[k + 1:] for k in range(len(word))]:
                self.entries.setdefault(key, i)  # ids ascend: the first is the lowest

    def correct(self, word, default):
        if len(word) < self.MIN_LENGTH or not word.isalpha():
            return default
        best = None
        for key in [word] + [word[:k] + word[k + 1:] for k in range(len(word))]:
            candidate = self.entries.get(key)
            if candidate is not None and (best is None or candidate < best) and within_one_edit(word, self.vocabulary[candidate]):
                best = candidate
        return default if best is None else best


def within_one_edit(a, b):
    """Optimal-string-alignment distance <= 1."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if i == len(a) and i == len(b):
        return True
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])
    return a[i + 1:] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1:]


class Tagger:
    """models/ner.ckpt in torch_peer.FeatureTagger -- feature sets 1 (words, shapes, suffixes, prefixes), 2 (issue
    11: cased words, a character convolution, mention pooling over the text, FOFE sentence context), 3 (word
    clusters) and 4 with its gazetteer off -- decoded with the checkpoint's CRF: constrained Viterbi for the tags,
    forward-backward marginals for their probabilities (as ServeNet's TagDecoder). An ensemble (metadata "ensemble":
    {"members": K}, member k's tensors prefixed "member{k}/") runs every member's network and averages their emission,
    transition and start scores, as EntityTagger does. Character n-grams and gazetteers are not ported: such a
    checkpoint is refused."""

    FEATURE_VERSION = 4  # TaggerFeatureSettings.CurrentVersion this port follows (issue11-ner2, ensembles)
    FEATURE_KEYS = {"window", "suffix", "prefix", "affixLength", "charNgrams", "charBuckets", "casedWords", "contextAlpha",
                    "charFilters", "charWidth", "maxChars", "mentions", "clusters", "gazetteer", "version"}

    def __init__(self, path):
        metadata, tensors = read_checkpoint(path)
        if metadata["kind"] != "window-ner-tagger":
            raise CheckpointError(path, "metadata.kind", "window-ner-tagger", metadata["kind"])
        f = metadata["features"]
        version = f.get("version", 1)
        unknown = {k: v for k, v in f.items() if k not in self.FEATURE_KEYS and v}  # an unknown feature switched off is harmless
        if version > self.FEATURE_VERSION or unknown:
            raise CheckpointError(path, "metadata.features", f"feature set version <= {self.FEATURE_VERSION} ({sorted(self.FEATURE_KEYS)})",
                                  f"version {version}" + (f", also {json.dumps(unknown)}" if unknown else ""),
                                  "This peer has no PyTorch port of those features.")
        if f.get("charNgrams", 0) > 0:
            raise CheckpointError(path, "metadata.features.charNgrams", 0, f["charNgrams"],
                                  "This peer has no PyTorch port of hashed character n-grams.")
        if f.get("gazetteer", False):
            raise CheckpointError(path, "metadata.features.gazetteer", False, True, "This peer has no port of the gazetteer.")
        self.name, self.version, self.labels = metadata["name"], metadata["version"], metadata["labels"]
        self.window, self.affix = f.get("window", 2), f.get("affixLength", 3)
        self.max_chars, self.mentions = f.get("maxChars", 20), bool(f.get("mentions", False))

        def vocabulary(key, on=True):
            return {w: i for i, w in enumerate(metadata[key])} if on else None

        self.words = vocabulary("vocabulary")
        self.suffixes = vocabulary("suffixes", f.get("suffix", True))
        self.prefixes = vocabulary("prefixes", f.get("prefix", True))
        self.cased = vocabulary("casedWords", f.get("casedWords", False))
        clusters = f.get("clusters", 0)
        self.clusters = metadata["wordClusters"] if clusters > 0 else None
        if self.clusters is not None and len(self.clusters) != len(self.words):
            raise CheckpointError(path, "metadata.wordClusters", f"{len(self.words)} rows", len(self.clusters))
        filters = f.get("charFilters", 0)
        # Characters by code point (TaggerFeatures.CharIds): unknown characters share id 1, 0 is padding.
        self.chars = {w[0]: i for i, w in enumerate(metadata["chars"]) if i >= 2 and w} if filters > 0 else None

        # The architecture: the window's tables (features in TaggerFeatures' order), then the convolution's.
        spec = metadata["architecture"]["input"]
        n = 2 + sum(x is not None for x in (self.suffixes, self.prefixes, self.cased, self.clusters))
        positions = 2 * self.window + 1
        if spec["slotTables"] != list(range(n)) * positions or spec.get("slotGroups") is not None:
            raise CheckpointError(path, "metadata.architecture.input.slotTables", f"{list(range(n))} x {positions} positions",
                                  spec["slotTables"], "The window does not match metadata.features.")
        tables = spec["tables"]
        conv = None
        if filters > 0:
            by_name = {t["name"]: t for t in tables}
            chars, kernel = by_name[f"{spec['name']}.charconv.chars"], by_name[f"{spec['name']}.charconv.kernel"]
            conv = (chars["rows"], chars["cols"], f.get("charWidth", 3), kernel["cols"])
        layers = [layer for layer in metadata["architecture"]["layers"] if layer["kind"] != "dropout"]  # identity in eval
        if [(layer["kind"], layer["activation"]) for layer in layers] != [("dense", "relu"), ("dense", "none")]:
            raise CheckpointError(path, "metadata.architecture.layers", "dense (relu), dense (none) besides dropout",
                                  [(layer["kind"], layer["activation"]) for layer in layers])
        members = metadata.get("ensemble", {}).get("members", 1)
        crf = metadata.get("decoding", {}).get("crf", False)
        self.models, transitions, start = [], [], []
        for k in range(members):
            prefix = f"member{k}/" if k > 0 else ""
            mine = {name[len(prefix):]: v for name, v in tensors.items() if name.startswith(prefix)} if k > 0 else tensors
            self.models.append(self.member(path, mine, tables, n, spec, layers, f, conv))
            if crf:
                transitions.append(mine["crf.transitions"].astype(np.float64))
                start.append(mine["crf.start"].reshape(-1).astype(np.float64))

        # allowed[i+1, j]: label j may follow label i; row 0: sentence start (I-X only after B-X/I-X).
        n = len(self.labels)
        allowed = np.ones((n + 1, n), dtype=bool)
        for j, to in enumerate(self.labels):
            if to.startswith("I-"):
                allowed[0, j] = False
                for i, frm in enumerate(self.labels):
                    allowed[i + 1, j] = frm != "O" and frm[2:] == to[2:]
        transitions = np.mean(transitions, axis=0) if crf else np.zeros((n, n))
        start = np.mean(start, axis=0) if crf else np.zeros(n)
        self.crf = crf
        self.transitions = np.where(allowed[1:], transitions, -np.inf)  # [from, to]
        self.start = np.where(allowed[0], start, -np.inf)
        self.exp_transitions = np.exp(self.transitions)  # 0 where forbidden
        self.exp_start = np.exp(self.start)

    def member(self, path, tensors, tables, n, spec, layers, f, conv):
        """One tagger's network from its tensors (an ensemble member's, names without their prefix)."""
        model = FeatureTagger([(t["rows"], t["cols"]) for t in tables[:n]], range(n), self.window,
                              hidden=layers[0]["outputSize"], labels=len(self.labels),
                              context_alpha=f.get("contextAlpha", 0.0), chars=conv, mentions=self.mentions).eval()
        if model.mlp[0].in_features != spec["outputSize"]:
            raise CheckpointError(path, "metadata.architecture.input.outputSize", model.mlp[0].in_features, spec["outputSize"])
        for k in range(n):
            embedding_into(model.tables[k], tensors, tables[k]["name"])
        if conv is not None:
            name = f"{spec['name']}.charconv"
            embedding_into(model.chars.chars, tensors, f"{name}.chars")
            model.chars.chars.weight.data[0] = 0  # id 0 is padding: zero in ServeNet, not a learned row
            width, dim = conv[2], conv[1]
            # ServeNet's kernel is [k*E, F] (row j*E + e); Conv1d's weight is [F, E, k].
            kernel = tensors[f"{name}.kernel"].reshape(width, dim, -1).transpose(2, 1, 0)
            model.chars.conv.weight.data.copy_(torch.from_numpy(kernel.copy()))
            model.chars.conv.bias.data.copy_(torch.from_numpy(tensors[f"{name}.bias"].reshape(-1).copy()))
        dense_into(model.mlp[0], tensors, layers[0]["name"])
        dense_into(model.mlp[2], tensors, layers[1]["name"])
        return model

    @staticmethod
    def lookup(vocabulary, key):
        """The key's id, else its digit shape's, else <unk> (TaggerFeatures.WordId, CasedWordId)."""
        i = vocabulary.get(key)
        return i if i is not None else vocabulary.get(digit_shape(key), 1)

    def features(self, tokens):
        """[n, features] ids per token in TaggerFeatures' order: word, shape, suffix, prefix, cased word, cluster."""
        a, rows = self.affix, []
        for t in tokens:
            word = self.lookup(self.words, t.lower())
            row = [word, word_shape(t)]
            if self.suffixes is not None:
                row.append(self.suffixes.get(t[-a:].lower(), 1))
            if self.prefixes is not None:
                row.append(self.prefixes.get(t[:a].lower(), 1))
            if self.cased is not None:
                row.append(self.lookup(self.cased, t))
            if self.clusters is not None:
                row.append(self.clusters[word])
            rows.append(row)
        return rows

    def characters(self, token):
        """The character ids the convolution reads: all of them, or the first and last halves of a long word."""
        ids = [self.chars.get(c, 1) for c in token]
        skip = max(0, len(ids) - self.max_chars)
        return ids[:self.max_chars // 2] + ids[self.max_chars // 2 + skip:] if skip else ids

    def leaders(self, tokens, first):
        """Each token's mention group in its text: the row of the first mention of the same capitalised word
        (TaggerFeatures.MentionKey: UPPER, Initial or miXed shape, compared lowercased), -1 for other words."""
        seen, out = {}, []
        for t, token in enumerate(tokens):
            out.append(seen.setdefault(token.lower(), first + t) if word_shape(token) in (2, 3, 4) else -1)
        return out

    def decode(self, emissions):
        """emissions [n, L] -> (best valid path, marginals [n, L])."""
        n = emissions.shape[0]
        e = emissions.astype(np.float64)
        if not self.crf:  # a softmax tagger: Viterbi over log-probabilities, probabilities from softmax
            e = e - np.logaddexp.reduce(e, axis=1, keepdims=True)
        # Viterbi
        best = self.start + e[0]
        back = np.zeros((n, e.shape[1]), dtype=np.int64)
        for t in range(1, n):
            candidates = best[:, None] + self.transitions
            back[t] = candidates.argmax(0)
            best = candidates.max(0) + e[t]
        path = [int(best.argmax())]
        for t in range(n - 1, 0, -1):
            path.append(int(back[t, path[-1]]))
        path.reverse()
        if not self.crf:
            return path, np.exp(e)
        # Forward-backward in probability space with per-step scaling (Rabiner), as ServeNet's
        # LinearChainCrf.Marginals: one exp per score, then 9x9 matrix-vector products.
        phi = np.exp(e - e.max(axis=1, keepdims=True))
        alpha = np.empty_like(phi)
        beta = np.empty_like(phi)
        scale = np.empty(n)
        alpha[0] = self.exp_start * phi[0]
        scale[0] = alpha[0].sum()
        alpha[0] /= scale[0]
        for t in range(1, n):
            alpha[t] = (alpha[t - 1] @ self.exp_transitions) * phi[t]
            scale[t] = alpha[t].sum()
            alpha[t] /= scale[t]
        beta[n - 1] = 1.0
        for t in range(n - 2, -1, -1):
            beta[t] = (self.exp_transitions @ (phi[t + 1] * beta[t + 1])) / scale[t + 1]
        return path, alpha * beta

    def emissions(self, token_lists):
        """Label scores [T, L] of every token of the texts (each one sentence and one document), back to back."""
        return self.scores(self.inputs(token_lists))

    def inputs(self, token_lists):
        """The networks' inputs for the texts' tokens (ids, windows, characters, mention leaders): what
        torch_peer.py's infer-ner prepares before timing the model alone."""
        lengths = [len(tokens) for tokens in token_lists]
        ids, chars, leaders = [], [], []
        for tokens in token_lists:
            ids.extend(self.features(tokens))
            if self.chars is not None:
                chars.extend(self.characters(t) for t in tokens)
            if self.mentions:
                leaders.extend(self.leaders(tokens, len(leaders)))
        kept = [n for n in lengths if n > 0]
        w = self.window
        # Window rows of every text, back to back: pad each text with w zero rows per side.
        features = torch.tensor(ids, dtype=torch.long)  # [T, features]
        windows = torch.cat([torch.nn.functional.pad(rows, (0, 0, w, w)).unfold(0, 2 * w + 1, 1)
                             for rows in features.split(kept)]).transpose(1, 2)  # [T, positions, features]
        char_ids = char_lengths = None
        if self.chars is not None:
            longest = max(map(len, chars))
            char_ids = torch.tensor([c + [0] * (longest - len(c)) for c in chars], dtype=torch.long)  # [T, L], 0 = padding
            char_lengths = torch.tensor([max(1, len(c)) for c in chars])
        mention_leaders = torch.tensor(leaders, dtype=torch.long) if self.mentions else None
        return windows, kept, char_ids, char_lengths, mention_leaders

    def scores(self, inputs):
        """Every member's emission scores for prepared inputs, averaged: [T, L]."""
        with torch.inference_mode():
            scores = [model(*inputs) for model in self.models]
            return (sum(scores) / len(scores)).numpy()

    def tag(self, texts):
        tokenized = [tokenize(text) for text in texts]
        forms = [[conll_form(t) for t, _, _ in tokens] for tokens in tokenized]
        emissions = self.emissions(forms) if any(forms) else None
        results, first = [], 0
        for text, tokens in zip(texts, tokenized):
            n = len(tokens)
            if n == 0:
                results.append({"tokens": [], "entities": []})
                continue
            path, marginals = self.decode(emissions[first:first + n])
            first += n
            tags = [self.labels[j] for j in path]
            probabilities = [float(marginals[t, j]) for t, j in enumerate(path)]
            out_tokens = [{"text": token, "start": start, "end": end, "tag": tag, "probability": p}
                          for (token, start, end), tag, p in zip(tokens, tags, probabilities)]
            entities = []
            for kind, a, b in spans(tags):
                s, e = tokens[a][1], tokens[b - 1][2]
                entities.append({"text": text[s:e], "type": kind, "start": s, "end": e,
                                 "score": sum(probabilities[a:b]) / (b - a)})
            results.append({"tokens": out_tokens, "entities": entities})
        return results


# === HTTP =========================================================================================

class PredictionRequest(BaseModel):
    """One text or a batch of texts: exactly one of the two fields."""
    text: Optional[StrictStr] = None
    texts: Optional[List[StrictStr]] = None

    class Config:
        extra = Extra.forbid


def problem(status, title, errors=None):
    body = {"type": "about:blank", "title": title, "status": status}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def read_texts(request):
    """(texts, None) or (None, a problem response): the rules and limits of ServeNet's TextBatch."""
    if (request.text is None) == (request.texts is None):
        return None, problem(400, "One or more validation errors occurred.",
                             {"text": ['Give either "text" (one text) or "texts" (a batch of texts).']})
    texts = [request.text] if request.text is not None else request.texts
    if not texts:
        return None, problem(400, "One or more validation errors occurred.", {"texts": ["The batch is empty."]})
    if len(texts) > MAX_BATCH_SIZE:
        return None, problem(413, f"Too many texts: {len(texts)} (at most {MAX_BATCH_SIZE}).")
    for i, t in enumerate(texts):
        if not isinstance(t, str) or not t.strip():
            return None, problem(400, "One or more validation errors occurred.",
                                 {f"texts[{i}]" if request.texts is not None else "text": ["A non-blank text is required."]})
        if len(t) > MAX_TEXT_LENGTH:
            return None, problem(413, f"Text too long: {len(t)} characters (at most {MAX_TEXT_LENGTH}).")
    return texts, None


def create_app(models):
    """The app serving models/sentiment.ckpt and models/ner.ckpt of the folder `models`. A tagger
    checkpoint this peer cannot read leaves /ner answering 501 with the reason (and the log says it)."""
    sentiment = Sentiment(os.path.join(models, "sentiment.ckpt"))
    try:
        tagger, tagger_missing = Tagger(os.path.join(models, "ner.ckpt")), None
    except CheckpointError as e:
        tagger, tagger_missing = None, str(e)
        print(f"/ner unavailable: {tagger_missing}", file=sys.stderr, flush=True)
    app = FastAPI(title="ServeNet models on FastAPI + PyTorch (benchmark peer)")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError):
        return problem(400, "One or more validation errors occurred.",
                       {".".join(str(p) for p in e["loc"][1:]) or "body": [e["msg"]] for e in error.errors()})

    # async handlers: the model call is short and CPU-bound, so running it inline on the event loop
    # beats a hop to the thread pool; concurrency comes from the worker processes (one per core).
    @app.post("/classify")
    async def classify(request: PredictionRequest):
        texts, refusal = read_texts(request)
        if refusal is not None:
            return refusal
        body = {"model": sentiment.name, "version": sentiment.version, "results": sentiment.classify(texts)}
        return JSONResponse(body, headers={"X-Model-Version": sentiment.version})

    @app.post("/ner")
    async def ner(request: PredictionRequest):
        if tagger is None:
            return problem(501, "The NER model cannot be served by this peer.", {"model": [tagger_missing]})
        texts, refusal = read_texts(request)
        if refusal is not None:
            return refusal
        body = {"model": tagger.name, "version": tagger.version, "results": tagger.tag(texts)}
        return JSONResponse(body, headers={"X-Model-Version": tagger.version})

    @app.get("/health/ready")
    async def ready():
        return {"status": "ready", "models": {sentiment.name: sentiment.version, "ner": tagger.version if tagger else None},
                "nerUnavailable": tagger_missing}

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5101)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="uvicorn worker processes (default: the cores this process may run on)")
    parser.add_argument("--models", default=None, help="folder with sentiment.ckpt and ner.ckpt (default: models)")
    parser.add_argument("--no-access-log", action="store_true", help="turn off uvicorn's per-request log line")
    args = parser.parse_args()
    if args.models:
        os.environ["SERVENET_MODELS"] = os.path.abspath(args.models)
    import uvicorn
    uvicorn.run("torch_serve:app_from_environment", factory=True, host=args.host, port=args.port, workers=args.workers,
                app_dir=os.path.dirname(os.path.abspath(__file__)), access_log=not args.no_access_log)


def app_from_environment():
    """What each uvicorn worker serves (a factory, so that importing this module for its classes, as torch_peer.py's
    --checkpoint tasks do, loads no checkpoint): the models of SERVENET_MODELS, else ./models."""
    return create_app(os.environ.get("SERVENET_MODELS", "models"))


if __name__ == "__main__":
    main()
