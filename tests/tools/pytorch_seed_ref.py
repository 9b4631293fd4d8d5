"""PyTorch doing what `continuo-cli bench --only model` times, on the same machine, for a same-run comparison.

The seed preset exactly as Continuo builds it (Embedding(283, 32) -> 3 x LSTM(512), dropout 0.3 ->
Linear(512, 256) -> ReLU -> dropout -> Linear(256, 283); windows of 100, batch 64, every position a
target, Adam 1e-3, gradients clipped to norm 1, fp32), and stateful decoding one token at a time at batch 1
and 8 with torch.nn.LSTM (eval, no grad). Debian's python3-torch is the same LibTorch 1.13 Continuo links.

    /usr/bin/python3 tests/tools/pytorch_seed_ref.py [--threads N] [--device cpu|cuda]

Not part of the test suite (python3-torch is not a dependency): a benchmark to run by hand.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn

V, E, H, LAYERS, DENSE, DROP, WINDOW, BATCH = 283, 32, 512, 3, 256, 0.3, 100, 64


class Seed(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, LAYERS, dropout=DROP, batch_first=True)
        self.drop = nn.Dropout(DROP)
        self.dense = nn.Linear(H, DENSE)
        self.out = nn.Linear(DENSE, V)

    def forward(self, x, state=None):
        y, state = self.lstm(self.embed(x), state)
        return self.out(self.drop(torch.relu(self.dense(self.drop(y))))), state


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--steps", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    torch.manual_seed(1)
    m = Seed().to(dev)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    x = torch.randint(0, V, (BATCH, WINDOW), device=dev)
    y = torch.randint(0, V, (BATCH, WINDOW), device=dev)

    def train_step():
        opt.zero_grad()
        o, _ = m(x)
        loss = nn.functional.cross_entropy(o.reshape(-1, V), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()
        return loss.item()

    m.train()
    train_step()
    t = time.perf_counter()
    for _ in range(a.steps):
        train_step()
    sync()
    tps = a.steps * BATCH * WINDOW / (time.perf_counter() - t)
    print(f"pytorch.train (seed, {dev}, {a.threads} threads, batch {BATCH} x window {WINDOW}): {tps:.0f} targets/s")

    m.eval()
    with torch.no_grad():
        for batch in (1, 8):
            tok = torch.zeros(batch, 1, dtype=torch.long, device=dev)
            state = None
            runs = []
            for _ in range(9):
                t = time.perf_counter()
                for _ in range(100):
                    o, state = m(tok, state)
                    tok = o[:, -1].argmax(-1, keepdim=True)
                sync()
                runs.append((time.perf_counter() - t) * 1000 / 100)
            print(f"pytorch.generate (seed, {dev}, {a.threads} threads, eager, batch {batch}): "
                  f"{statistics.median(runs):.3f} ms per step (median of 9 runs of 100)")


if __name__ == "__main__":
    main()
