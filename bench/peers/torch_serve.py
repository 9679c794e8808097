#!/usr/bin/python3
"""FastAPI + uvicorn serving peer (issue 17): ServeNet's shipped models behind the server a Python
user would deploy instead of ServeNet.

models/sentiment.ckpt and models/ner.ckpt are read here (docs/checkpoints.md: header, JSON metadata,
tensor table, float16/float32 payloads, SHA-256 trailer), loaded into the PyTorch DAN and window
tagger of torch_peer.py, and served with the request and response shapes of ServeNet's API:

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
from torch_peer import Dan, WindowTagger, digit_shape, word_shape, spans, WINDOW  # noqa: E402

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
    """models/sentiment.ckpt in torch_peer.Dan: mean of word embeddings -> 2 x (Linear 300, ReLU) -> Linear 2."""

    def __init__(self, path):
        metadata, tensors = read_checkpoint(path)
        if metadata["kind"] != "dan-text-classifier":
            raise CheckpointError(path, "metadata.kind", "dan-text-classifier", metadata["kind"])
        self.name, self.version, self.labels = metadata["name"], metadata["version"], metadata["labels"]
        self.ids = {w: i for i, w in enumerate(metadata["vocabulary"])}
        bag = metadata.get("bag", {})
        if bag.get("ngrams", 1) != 1:
            raise CheckpointError(path, "metadata.bag.ngrams", 1, bag.get("ngrams"), "This peer serves word bags only.")
        self.negation_scope = bool(bag.get("negationScope", False))
        table = tensors["embedding.table"]
        self.model = Dan(table.shape[0], table.shape[1], hidden=tensors["hidden1.weight"].shape[1],
                         classes=len(self.labels)).eval()
        embedding_into(self.model.embedding, tensors, "embedding.table")
        for index, name in ((0, "hidden1"), (3, "hidden2"), (6, "output")):
            dense_into(self.model.mlp[index], tensors, name)

    # Negation scope (ServeNet's BagFeatures): words between a negation cue and the next punctuation
    # use their "not_" entry when the vocabulary has one; the model was trained on those ids.
    NEGATIONS = {"not", "n't", "no", "never", "nothing", "nobody", "none", "nor", "neither", "nowhere", "cannot",
                 "without", "hardly", "barely"}
    SCOPE_ENDS = {".", ",", ";", ":", "!", "?", "--", "...", "-lrb-", "-rrb-", "``", "''", "but", "and"}

    def encode(self, text):
        ids, in_scope = [], False
        for token, start, _ in tokenize(text):
            word = sst_form(token, text, start)
            negated = False
            if word in self.SCOPE_ENDS:
                in_scope = False
            elif word in self.NEGATIONS:
                in_scope = True
            else:
                negated = in_scope
            word_id = self.ids.get("not_" + word, 0) if negated else 0
            ids.append(word_id if word_id > 0 else self.ids.get(word, 1))  # 1 = <unk>
        return ids

    def classify(self, texts):
        flat, offsets = [], []
        for text in texts:
            offsets.append(len(flat))
            flat.extend(self.encode(text))
        with torch.inference_mode():
            probabilities = torch.softmax(self.model(torch.tensor(flat, dtype=torch.long),
                                                     torch.tensor(offsets, dtype=torch.long)), dim=1).tolist()
        results = []
        for p in probabilities:
            best = max(range(len(p)), key=p.__getitem__)
            results.append({"label": self.labels[best], "score": p[best],
                            "probabilities": dict(zip(self.labels, p))})
        return results


class Tagger:
    """models/ner.ckpt in torch_peer.WindowTagger (words, shapes, suffixes, prefixes; window +-2),
    decoded with the checkpoint's CRF: constrained Viterbi for the tags, forward-backward marginals
    for their probabilities (as ServeNet's TagDecoder)."""

    def __init__(self, path):
        metadata, tensors = read_checkpoint(path)
        if metadata["kind"] != "window-ner-tagger":
            raise CheckpointError(path, "metadata.kind", "window-ner-tagger", metadata["kind"])
        features = metadata["features"]
        beyond = {k: features[k] for k in ("casedWords", "charFilters", "mentions", "contextAlpha", "charNgrams")
                  if features.get(k)}
        if features.get("window", 2) != WINDOW or beyond:
            raise CheckpointError(path, "metadata.features",
                                  f"a window-{WINDOW} tagger over words, shapes, suffixes and prefixes (features version 1)",
                                  f"also {json.dumps(beyond)} (version {features.get('version', 1)})",
                                  "This peer has no PyTorch port of those features (issue 11's tagger) yet.")
        self.name, self.version, self.labels = metadata["name"], metadata["version"], metadata["labels"]
        self.affix = features.get("affixLength", 3)
        self.words = {w: i for i, w in enumerate(metadata["vocabulary"])}
        self.suffixes = {w: i for i, w in enumerate(metadata["suffixes"])} if features.get("suffix") else None
        self.prefixes = {w: i for i, w in enumerate(metadata["prefixes"])} if features.get("prefix") else None
        words = tensors["input.words"]
        affix_dim = tensors["input.suffixes"].shape[1] if self.suffixes is not None else 20
        self.model = WindowTagger(words.shape[0], words.shape[1], tensors["input.shapes"].shape[1],
                                  hidden=tensors["hidden1.weight"].shape[1], labels=len(self.labels),
                                  suffixes=len(self.suffixes or ()), prefixes=len(self.prefixes or ()),
                                  affix_dim=affix_dim).eval()
        embedding_into(self.model.words, tensors, "input.words")
        embedding_into(self.model.shapes, tensors, "input.shapes")
        if self.suffixes is not None:
            embedding_into(self.model.suffixes, tensors, "input.suffixes")
        if self.prefixes is not None:
            embedding_into(self.model.prefixes, tensors, "input.prefixes")
        dense_into(self.model.mlp[0], tensors, "hidden1")
        dense_into(self.model.mlp[3], tensors, "output")

        # allowed[i+1, j]: label j may follow label i; row 0: sentence start (I-X only after B-X/I-X).
        n = len(self.labels)
        allowed = np.ones((n + 1, n), dtype=bool)
        for j, to in enumerate(self.labels):
            if to.startswith("I-"):
                allowed[0, j] = False
                for i, frm in enumerate(self.labels):
                    allowed[i + 1, j] = frm != "O" and frm[2:] == to[2:]
        crf = metadata.get("decoding", {}).get("crf", False)
        transitions = tensors["crf.transitions"].astype(np.float64) if crf else np.zeros((n, n))
        start = tensors["crf.start"].reshape(-1).astype(np.float64) if crf else np.zeros(n)
        self.crf = crf
        self.transitions = np.where(allowed[1:], transitions, -np.inf)  # [from, to]
        self.start = np.where(allowed[0], start, -np.inf)
        self.exp_transitions = np.exp(self.transitions)  # 0 where forbidden
        self.exp_start = np.exp(self.start)

    def word_id(self, token):
        """TaggerFeatures.WordId: the lowercased token, else its digit shape, else <unk>."""
        key = token.lower()
        i = self.words.get(key)
        return i if i is not None else self.words.get(digit_shape(key), 1)

    def features(self, tokens):
        """[n, 4] ids per token: word, shape, suffix, prefix (1 = unknown)."""
        a = self.affix
        return [(self.word_id(t), word_shape(t),
                 self.suffixes.get(t[-a:].lower(), 1) if self.suffixes is not None else 0,
                 self.prefixes.get(t[:a].lower(), 1) if self.prefixes is not None else 0) for t in tokens]

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

    def tag(self, texts):
        tokenized = [tokenize(text) for text in texts]
        ids, lengths = [], []
        for tokens in tokenized:
            ids.extend(self.features([conll_form(t) for t, _, _ in tokens]))
            lengths.append(len(tokens))
        emissions = np.zeros((0, len(self.labels)), dtype=np.float32)
        if ids:
            # Window rows of every text, back to back: pad each text with WINDOW zero rows per side.
            rows = []
            features = torch.tensor(ids, dtype=torch.long)  # [T, 4]
            first = 0
            for n in lengths:
                padded = torch.nn.functional.pad(features[first:first + n], (0, 0, WINDOW, WINDOW))  # [n + 4, 4]
                rows.append(padded.unfold(0, 2 * WINDOW + 1, 1))  # [n, 4, 5]
                first += n
            windows = torch.cat(rows)  # [T, 4, 5]
            with torch.inference_mode():
                emissions = self.model(windows[:, 0], windows[:, 1], windows[:, 2], windows[:, 3]).numpy()
        results, first = [], 0
        for text, tokens, n in zip(texts, tokenized, lengths):
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
    uvicorn.run("torch_serve:app", host=args.host, port=args.port, workers=args.workers,
                app_dir=os.path.dirname(os.path.abspath(__file__)), access_log=not args.no_access_log)


if __name__ == "__main__":
    main()
elif __name__ == "torch_serve":  # imported by a uvicorn worker ("torch_serve:app")
    app = create_app(os.environ.get("SERVENET_MODELS", "models"))
