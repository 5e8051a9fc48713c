"""Trains the probe CNN (cnn.py) on crops of the training samples and prints,
at every 1000 steps, its held-out figures beside those of axon's shipped
XGBoost model on the same draws (predictions made by `axon-motion score`,
read from DIR/xgboost.tsv).

Usage: train_and_compare.py WORK STEPS THREADS
  WORK/train, WORK/unseen_motion, WORK/unseen_volume: make_samples.py output
"""
import glob, sys, time
import numpy as np
import torch
from scipy.stats import spearmanr
from cnn import SliceNet, load_sample, predict_volume, random_crops

work, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(0)
torch.set_num_threads(threads)
seed_of = lambda f: int(f.rsplit("_", 1)[1][:-4])


def load_set(name):
    files = sorted((f for f in glob.glob(f"{work}/{name}/s_*.npz") if ".part" not in f), key=seed_of)
    return [load_sample(f) for f in files], [seed_of(f) for f in files]


def xgboost_predictions(name, seeds):
    p = dict(l.split() for l in open(f"{work}/{name}/xgboost.tsv") if len(l.split()) == 2)
    return np.array([float(p[str(s)]) for s in seeds])


def row(label, pred, truth):
    cls = lambda v: np.searchsorted([0.60, 0.85], v, side="right")
    return (f"{label:44s} {len(truth):4d} {spearmanr(pred, truth).correlation:8.3f} {np.abs(pred - truth).mean():7.4f} "
            f"{(pred - truth).mean():8.4f} {np.abs(truth - truth.mean()).mean():9.4f} {np.mean(cls(pred) == cls(truth)) * 100:5.1f}")


train, _ = load_set("train")
held = {name: load_set(name) for name in ("unseen_motion", "unseen_volume")}
print(f"{len(train)} training samples; held out: " + ", ".join(f"{k} {len(v[0])}" for k, v in held.items()), flush=True)
header = f"{'set / model':44s} {'n':>4s} {'Spearman':>8s} {'MAE':>7s} {'bias':>8s} {'MAE(mean)':>9s} {'acc3':>5s}"
print(header)
for name, (samples, seeds) in held.items():
    print(row(f"{name} / XGBoost (shipped model)", xgboost_predictions(name, seeds), np.array([s["ssim3d"] for s in samples])))
net = SliceNet()
opt = torch.optim.Adam(net.parameters(), 1e-3)
schedule = torch.optim.lr_scheduler.OneCycleLR(opt, 2e-3, total_steps=steps)
rng, start = np.random.default_rng(0), time.time()
for step in range(1, steps + 1):
    X, Y = random_crops(train, rng, 32, [24, 32, 40][step % 3])
    loss = ((net(X) - Y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    schedule.step()
    if step % 1000 == 0 or step == steps:
        net.eval()
        print(f"-- CNN after {step} steps ({time.time() - start:.0f} s)", flush=True)
        for name, (samples, _) in held.items():
            out = [predict_volume(net, s) for s in samples]
            print(row(f"{name} / CNN", np.array([o[0] for o in out]), np.array([s["ssim3d"] for s in samples])))
            sp, st = np.concatenate([o[1] for o in out]), np.concatenate([o[2] for o in out])
            print(row(f"{name} slices / CNN", sp, st), flush=True)
        net.train()
