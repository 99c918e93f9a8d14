"""Train the default sky model from scratch: the coarse segmenter, then the refiner, then export.

    train.py --out tools/train/runs/default --coarse-steps 5000 --refine-steps 6500 \
             --export models/skychange-default.safetensors

Each stage runs a fixed number of steps (the learning rate follows a warm-up + cosine schedule
over them), checkpoints every --checkpoint-minutes to <out>/<stage>.ckpt, and continues from
there with --resume (a finished stage is skipped). The coarse stage also keeps a snapshot of its
network every --snapshot-every steps; the refiner's coarse labels come from those snapshots by a
rule that depends on step counts only (coarse_snapshot_for), so a run gives the same bits
whether the stages run one after the other or side by side, and however the machine is loaded.
With --coarse-tune-steps the coarse stage ends with a second, shorter cycle (stage
"coarse-tune", its own checkpoint) whose weights are the ones exported.
The networks are those of tools/reference/nets.py, built from the config JSON that is written
into the model file.

On a GPU: --device cuda --workers N. The worker processes draw each step's samples from a
stream of that step's own, so a run gives the same samples for any N, but not the samples of
--workers 0, on which the shipped bits depend. SKYCHANGE_DATA names the data folder on a
machine without ../shared/data.
"""
import argparse
import json
import math
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
if not __package__:  # run as a file (train.sh): the tools package is in the repository root
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from tools.reference import export  # noqa: E402
from tools.reference import infer  # noqa: E402
from tools.reference import nets  # noqa: E402
from tools.reference import safetensors_io  # noqa: E402
from tools.train import data  # noqa: E402


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def up_ac(t, size):
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=True)


def lr_at(progress, base, warmup=0.03):
    if progress < warmup:
        return base * (0.1 + 0.9 * progress / warmup)
    t = (progress - warmup) / (1 - warmup)
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


# ---------------------------------------------------------------------------------------------
# Losses

def soft_ce(logits, target, valid):
    """Two-class cross-entropy against a soft sky target, averaged over valid pixels."""
    logp = F.log_softmax(logits, 1)
    loss = -(target * logp[:, 1] + (1 - target) * logp[:, 0])
    return (loss * valid).sum() / valid.sum().clamp(min=1)


def soft_iou_loss(logits, target, valid):
    p = F.softmax(logits, 1)[:, 1] * valid
    t = target * valid
    inter = (p * t).sum()
    union = (p + t - p * t).sum()
    return 1 - (inter + 1) / (union + 1)


def laplacian_l1(pred, target, levels=3):
    """L1 between Laplacian pyramids: keeps matte edges sharp."""
    loss = 0.0
    a, b = pred[:, None], target[:, None]
    for _ in range(levels):
        a_low, b_low = F.avg_pool2d(a, 2), F.avg_pool2d(b, 2)
        a_up = F.interpolate(a_low, scale_factor=2, mode="bilinear", align_corners=False)
        b_up = F.interpolate(b_low, scale_factor=2, mode="bilinear", align_corners=False)
        loss = loss + (a - a_up - (b - b_up)).abs().mean()
        a, b = a_low, b_low
    return loss


def refine_loss(net, inp, target):
    """The refiner's loss on a batch of crops: L1 + Laplacian-pyramid L1 + 0.5 x BCE of the
    matte. Returns (loss, [L1])."""
    logits = net.forward_logits(inp)
    pred = torch.sigmoid(logits)
    l1 = (pred - target).abs().mean()
    loss = l1 + laplacian_l1(pred, target) + 0.5 * F.binary_cross_entropy_with_logits(
        logits, target)
    return loss, [l1.item()]


# ---------------------------------------------------------------------------------------------
# Coarse labels for the refiner

def coarse_like_label(alpha, valid, rng, coarse_out):
    """The ground truth degraded the way the coarse net errs: decided at the coarse output
    resolution and re-upscaled, boundary shifted by a few pixels, holes and false blobs."""
    size = alpha.shape[0]
    hard = (alpha > rng.uniform(0.3, 0.7)).astype(np.float32)
    low = cv2.resize(hard, (coarse_out, coarse_out), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.5:
        low = cv2.GaussianBlur(low, (3, 3), 0)
    label = cv2.resize(low, (size, size), interpolation=cv2.INTER_LINEAR) \
        > rng.uniform(0.35, 0.65)
    label = label.astype(np.uint8)
    k = int(rng.integers(0, 8))
    if k > 0:
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * k + 1, 2 * k + 1))
        label = cv2.erode(label, kernel) if rng.random() < 0.5 else cv2.dilate(label, kernel)
    if rng.random() < 0.4:
        for _ in range(int(rng.integers(1, 5))):
            centre = (int(rng.integers(size)), int(rng.integers(size)))
            axes = (int(rng.integers(4, size // 8)), int(rng.integers(4, size // 8)))
            cv2.ellipse(label, centre, axes, float(rng.uniform(0, 180)), 0, 360,
                        int(rng.integers(0, 2)), -1)
    return label.astype(np.float32) * valid


def boundary_crop(alpha, rng, crop, share):
    """Top-left corner of a crop, centred on the sky boundary with probability `share`, else
    anywhere (plain sky and plain ground must come out at exactly 1 and 0 too)."""
    size = alpha.shape[0]
    edge = np.argwhere((alpha > 0.05) & (alpha < 0.95)
                       | (cv2.morphologyEx((alpha > 0.5).astype(np.uint8), cv2.MORPH_GRADIENT,
                                           np.ones((3, 3), np.uint8)) > 0))
    if len(edge) and rng.random() < share:
        cy, cx = edge[rng.integers(len(edge))]
    else:
        cy, cx = rng.integers(size), rng.integers(size)
    y = int(np.clip(cy - crop // 2, 0, size - crop))
    x = int(np.clip(cx - crop // 2, 0, size - crop))
    return y, x


# ---------------------------------------------------------------------------------------------
# Training stages

# each stage's own sample stream
STAGE_STREAMS = {"coarse": 1, "refine": 2, "coarse-tune": 3, "refine-tune": 4}


class StepSamples(torch.utils.data.Dataset):
    """Step k's sample, drawn from the stream (stage key, k): what worker processes compute."""

    def __init__(self, make, key):
        self.make, self.key = make, key

    def __getitem__(self, step):
        return self.make(np.random.default_rng(self.key + [step]))

    @staticmethod
    def init_worker(_):
        torch.set_num_threads(1)
        cv2.setNumThreads(1)


class Stage:
    def __init__(self, name, net, args, steps, base_lr, fast_params=(), on_step=None,
                 slow_params=(), slow_scale=1.0):
        """fast_params: parameters that get a 25x learning rate (see train_refine);
        slow_params: parameters that get slow_scale x (a pretrained encoder).
        on_step(step): called after each optimiser step (snapshots)."""
        self.name, self.net, self.args = name, net, args
        self.steps, self.on_step = steps, on_step
        self.base_lr = base_lr
        fast, slow = {id(p) for p in fast_params}, {id(p) for p in slow_params}
        groups = [{"params": [p for p in net.parameters()
                              if id(p) not in fast and id(p) not in slow], "scale": 1.0}]
        if slow:
            groups.append({"params": list(slow_params), "scale": slow_scale})
        if fast:
            groups.append({"params": list(fast_params), "scale": 25.0, "weight_decay": 0.0})
        self.opt = torch.optim.AdamW(groups, lr=base_lr, weight_decay=1e-4)
        self.path = os.path.join(args.out, name + ".ckpt")
        self.step, self.elapsed, self.done = 0, 0.0, False
        self.rng = np.random.default_rng([args.seed, STAGE_STREAMS[name]])

    def save(self, path=None):
        path = path or self.path
        tmp = path + ".tmp"
        torch.save({"net": self.net.state_dict(), "opt": self.opt.state_dict(),
                    "step": self.step, "elapsed": self.elapsed, "done": self.done,
                    "rng": self.rng.bit_generator.state,
                    "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, path)

    def keep(self):
        """--keep-every: a copy of the checkpoint at this step, to choose a point of the run
        later (export_checkpoints.py --coarse-ckpt)."""
        folder = os.path.join(self.args.out, "kept")
        os.makedirs(folder, exist_ok=True)
        self.save(os.path.join(folder, "%s-step-%06d.ckpt" % (self.name, self.step)))

    def load(self):
        ck = torch.load(self.path, map_location="cpu")
        self.net.load_state_dict(ck["net"])
        self.opt.load_state_dict(ck["opt"])
        self.step, self.elapsed, self.done = ck["step"], ck["elapsed"], ck["done"]
        self.rng.bit_generator.state = ck["rng"]
        torch.set_rng_state(ck["torch_rng"])
        log("%s: resumed at step %d, %.1f min" % (self.name, self.step, self.elapsed / 60))

    def batches(self, make):
        """make(rng)'s samples for the steps from self.step on. With --workers 0 (the recipe)
        they come in order from the stage's one stream, which its checkpoint carries; with
        worker processes each step draws from a stream of its own, so the samples are the
        same in distribution but not in bits."""
        if self.args.workers == 0:
            while True:
                yield make(self.rng)
        else:
            steps = StepSamples(make, [self.args.seed, STAGE_STREAMS[self.name]])
            yield from torch.utils.data.DataLoader(
                steps, batch_size=None, sampler=range(self.step, self.steps),
                num_workers=self.args.workers, worker_init_fn=StepSamples.init_worker,
                prefetch_factor=4, pin_memory=self.args.device != "cpu")

    def run(self, make, train):
        """make(rng) -> numpy sample arrays (CPU only, may run in a worker process);
        train(sample tensors) -> (loss, [logged figures])."""
        if self.args.resume and os.path.exists(self.path):
            self.load()
        if self.done:
            log("%s: already finished" % self.name)
            return
        self.net.train()
        last_save = time.time()
        t_prev = time.time()
        stats = []
        samples = self.batches(make)
        while self.step < self.steps:
            lr = lr_at(self.step / self.steps, self.base_lr)
            for g in self.opt.param_groups:
                g["lr"] = lr * g["scale"]
            loss, info = train([torch.as_tensor(a) for a in next(samples)])
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.net.parameters(), 5.0)
            self.opt.step()
            self.step += 1
            if self.on_step:
                self.on_step(self.step)
            if self.args.keep_every and self.step % self.args.keep_every == 0:
                self.keep()
            now = time.time()
            self.elapsed += now - t_prev
            t_prev = now
            stats.append([loss.item()] + info)
            if self.step % 25 == 0:
                m = np.mean(stats, 0)
                log("%s step %d/%d %.1f min lr %.2e loss %.4f %s" % (
                    self.name, self.step, self.steps, self.elapsed / 60, lr, m[0],
                    " ".join("%.4f" % v for v in m[1:])))
                stats = []
            if now - last_save > self.args.checkpoint_minutes * 60:
                self.save()
                last_save = time.time()
                t_prev = last_save  # the logged training time leaves out saving
        self.done = True
        self.save()
        log("%s: finished, %d steps in %.1f min" % (self.name, self.step, self.elapsed / 60))


class CoarseTrainNet(nets.CoarseNet):
    """The coarse net as trained: a pretrained encoder's batch norms keep their statistics
    (frozen, as usual for small batches); their scale and shift still learn."""

    def train(self, mode=True):
        super().train(mode)
        if self.encoder is not None:
            for m in self.encoder.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.eval()
        return self


def load_pretrained_encoder(net, path, pre):
    """Loads torchvision's ImageNet mobilenet_v2 weights (BN already folded: mean 0, var
    1 - eps, weight 1) into net.encoder. The encoder expects RGB in [-1, 1], the engine feeds
    ImageNet-normalised RGB z = (x - mean) / std, so the first convolution absorbs the change:
    2x - 1 = 2 std z + (2 mean - 1)."""
    sd = torch.load(path, map_location="cpu")
    own = net.encoder.state_dict()
    sd = {k: v.float() for k, v in sd.items() if k in own}
    if set(sd) != set(own):
        raise KeyError("%s: missing encoder tensors %s" % (path, sorted(set(own) - set(sd))[:5]))
    w = sd["features.0.0.weight"]
    std = torch.tensor(pre["std"]).view(1, 3, 1, 1)
    mean = torch.tensor(pre["mean"]).view(1, 3, 1, 1)
    sd["features.0.1.bias"] = sd["features.0.1.bias"] + (w * (2 * mean - 1)).sum((1, 2, 3))
    sd["features.0.0.weight"] = w * 2 * std
    net.encoder.load_state_dict(sd)
    log("encoder: ImageNet weights from %s" % path)


def train_coarse(cfg, sampler, args):
    pre, dev = cfg["preprocess"], args.device
    torch.manual_seed(args.seed)  # each stage's initial weights depend on the seed alone
    net = CoarseTrainNet(cfg)
    encoder_params = ()
    if args.coarse_from:
        net.load_state_dict(coarse_of(args.coarse_from, cfg))
        log("coarse: weights from %s" % args.coarse_from)
    elif net.encoder is not None:
        load_pretrained_encoder(net, args.encoder_weights, pre)
    if net.encoder is not None:
        encoder_params = list(net.encoder.parameters())
    net = net.to(dev)
    os.makedirs(os.path.join(args.out, "coarse-snapshots"), exist_ok=True)

    def snapshot(step):
        if step % args.snapshot_every == 0:
            path = snapshot_path(args, step)
            torch.save(net.state_dict(), path + ".tmp")
            os.replace(path + ".tmp", path)

    stage = Stage("coarse", net, args, args.coarse_steps, args.coarse_lr, on_step=snapshot,
                  slow_params=encoder_params, slow_scale=args.encoder_lr_scale)

    def make_at(cs):
        """Samples fit into the --coarse-canvas square, then resized to the coarse canvas cs
        exactly as inference resizes its refine canvas: (input, soft sky target, valid)."""
        def make(rng):
            x, alpha, valid = (torch.from_numpy(a)
                               for a in sampler.batch(rng, args.batch, args.coarse_canvas))
            return (up_ac(x, cs).numpy(), up_ac(alpha[:, None], cs)[:, 0].numpy(),
                    (up_ac(valid[:, None], cs)[:, 0] > 0.999).float().numpy())
        return make

    def train(sample):
        xc, a, v = (t.to(dev, non_blocking=True) for t in sample)
        cs = xc.shape[-1]
        out_aux, out = net(xc)
        out_up, aux_up = up_ac(out, cs), up_ac(out_aux, cs)
        ce = soft_ce(out_up, a, v)
        loss = ce + 0.4 * soft_ce(aux_up, a, v) + 0.5 * soft_iou_loss(out_up, a, v)
        with torch.no_grad():
            pred = (out_up[:, 1] > out_up[:, 0]) & (v > 0)
            gt = (a > 0.5) & (v > 0)
            iou = ((pred & gt).sum().item() + 1) / ((pred | gt).sum().item() + 1)
        return loss, [ce.item(), iou]

    sampler.plate_share, sampler.night_boost = args.plate_share, args.night_boost
    sampler.bokeh_share = args.bokeh_share
    sampler.night_scene, sampler.night_negatives = args.night_scene, args.night_negatives
    sampler.reflection_share = args.reflection_share
    sampler.reflection_shore = args.reflection_shore
    sampler.pseudo_share = args.pseudo_share
    sampler.hard_negative_share = args.hard_negative_share
    sampler.night_hard_share = args.night_hard_share
    sampler.night_soft_only = int(args.night_soft_only)
    sampler.clouds_share = args.clouds_share
    sampler.real_pair_share = args.real_pair_share
    sampler.teacher_weight = args.coarse_teacher
    stage.run(make_at(pre["coarse_size"]), train)
    if args.coarse_tune_steps > 0:
        # A second, shorter cosine cycle from the first one's weights, with a fresh optimiser
        # (a warm restart) and more sky-free samples: the first cycle still calls white walls
        # and ceilings of indoor pictures sky, its own training pictures among them.
        # The first cycle stays as it is, so the refiner, which takes its labels from the
        # first cycle's snapshots, runs alongside unchanged.
        tune = Stage("coarse-tune", net, args, args.coarse_tune_steps, args.coarse_tune_lr,
                     slow_params=encoder_params, slow_scale=args.encoder_lr_scale)
        sampler.negative_boost = args.coarse_tune_negatives
        sampler.teacher_weight = args.coarse_tune_teacher
        torch.set_num_threads(args.coarse_tune_threads)
        make = make_at(coarse_size_at_inference(cfg, args))
        if args.coarse_tune_sizes:  # each batch at one of these canvases, drawn at random
            makers = [make_at(int(size)) for size in args.coarse_tune_sizes.split(",")]
            make = lambda rng: makers[rng.integers(len(makers))](rng)  # noqa: E731
        try:
            tune.run(make, train)
        finally:
            torch.set_num_threads(args.threads)
    sampler.negative_boost = sampler.teacher_weight = 0.0
    sampler.plate_share = sampler.night_boost = sampler.bokeh_share = 0.0
    sampler.night_scene = sampler.night_negatives = sampler.reflection_share = 0.0
    sampler.pseudo_share = sampler.hard_negative_share = sampler.clouds_share = 0.0
    sampler.real_pair_share = 0.0
    return net.eval()


def coarse_size_at_inference(cfg, args):
    return args.coarse_tune_size or cfg["preprocess"]["coarse_size"]


def final_coarse_stage(args):
    return "coarse-tune" if args.coarse_tune_steps > 0 else "coarse"


def snapshot_path(args, step):
    return os.path.join(args.out, "coarse-snapshots", "step-%06d.pt" % step)


def coarse_snapshot_for(refine_step, args):
    """The coarse snapshot whose labels refiner step `refine_step` trains on: none during the
    first --coarse-label-after of the refiner's steps, then the snapshot at
    --coarse-label-lag x the refiner's progress through the coarse stage. The lag keeps a
    refiner running alongside from waiting for the coarse stage."""
    progress = refine_step / args.refine_steps
    if progress < args.coarse_label_after:
        return None
    step = int(args.coarse_label_lag * progress * args.coarse_steps)
    return max(args.snapshot_every, step - step % args.snapshot_every)


def train_refine(cfg, sampler, args):
    dev = args.device
    coarse = nets.CoarseNet(cfg).to(dev).eval()
    rs, cs = args.refine_canvas, cfg["preprocess"]["coarse_size"]
    torch.manual_seed(args.seed + 1)
    net = nets.RefineNet(cfg).to(dev)
    # The matte is sigmoid(BN(conv)): batch norm fixes the logits' spread, so only the last
    # BN's scale and shift can make the output confident (logits of +-6 and more). With Adam
    # they move by about one learning rate per step, far too slowly; give them a larger one.
    last_bn = net.up1.conv.cbr_unit[1]
    stage = Stage("refine", net, args, args.refine_steps, args.refine_lr,
                  fast_params=[last_bn.weight, last_bn.bias])
    crop = args.refine_crop
    source = {"step": None}

    def update_coarse(step):
        """Loads the coarse snapshot this refiner step uses, waiting for the coarse stage
        when it runs alongside and has not got there yet. False: no coarse labels yet."""
        want = coarse_snapshot_for(step, args)
        if want is None:
            return False
        if want != source["step"]:
            path = snapshot_path(args, want)
            while not os.path.exists(path):
                time.sleep(10)
            coarse.load_state_dict(torch.load(path, map_location="cpu"))
            coarse.eval()
            source["step"] = want
            log("refine: labels from coarse snapshot at step %d" % want)
        return True

    def make(rng):
        """Crops of the input (picture + degraded ground-truth label), of the true matte and
        of the valid mask; which samples the coarse net labels instead, with their pictures
        on the coarse canvas; and the crop corners."""
        x, alpha, valid = sampler.batch(rng, args.batch, rs)
        labels = np.stack([coarse_like_label(alpha[i], valid[i], rng, cs // 2)
                           for i in range(len(x))])
        use_net = rng.random(len(x)) < args.coarse_label_share
        corners = np.array([boundary_crop(alpha[i], rng, crop, args.boundary_crops)
                            for i in range(len(x))])

        def cut(images):
            return np.stack([images[i][..., y0:y0 + crop, x0:x0 + crop]
                             for i, (y0, x0) in enumerate(corners)])
        inp = cut(np.concatenate([x, labels[:, None]], 1))
        target, valid = cut(alpha), cut(valid)
        for_net = up_ac(torch.from_numpy(x[use_net]), cs).numpy() if use_net.any() \
            else np.zeros((0, 3, cs, cs), np.float32)
        return inp, target, valid, use_net, for_net, corners

    def train(sample):
        inp, target, valid, use_net, for_net, corners = sample
        if update_coarse(stage.step) and use_net.any():  # the coarse net's real mistakes
            with torch.no_grad():
                out = coarse(for_net.to(dev))[1]
                lab = torch.argmax(up_ac(out, rs), 1).float().cpu()
            for j, i in enumerate(torch.nonzero(use_net)[:, 0].tolist()):
                y0, x0 = corners[i].tolist()
                inp[i, 3] = lab[j, y0:y0 + crop, x0:x0 + crop] * valid[i]
        inp, target = inp.to(dev, non_blocking=True), target.to(dev, non_blocking=True)
        return refine_loss(net, inp, target)

    stage.run(make, train)
    if args.refine_tune_steps > 0:
        tune_refiner(cfg, sampler, args, net, coarse, [last_bn.weight, last_bn.bias])
    return net.eval()


def wait_for_stage(args, name):
    """The finished checkpoint of stage `name`, waiting for it when it runs alongside."""
    path = os.path.join(args.out, name + ".ckpt")
    ck = torch.load(path, map_location="cpu") if os.path.exists(path) else None
    if not ck or not ck["done"]:
        log("%s stage not finished yet (%s): waiting" % (name, path))
        while not ck or not ck["done"]:
            time.sleep(30)
            ck = torch.load(path, map_location="cpu") if os.path.exists(path) else None
    return ck


def tune_refiner(cfg, sampler, args, net, coarse, fast_params):
    """A second, shorter cycle of the refiner on the labels it gets at inference: those of the
    final coarse net with the config's coarse views. The first cycle learnt from snapshots of
    the coarse net's first cycle, which err more and differently."""
    dev = args.device
    coarse.load_state_dict(wait_for_stage(args, final_coarse_stage(args))["net"])
    coarse.eval()
    rs, crop = args.refine_tune_canvas or args.refine_canvas, args.refine_crop
    pre = dict(cfg["preprocess"], refine_size=rs,
               coarse_size=coarse_size_at_inference(cfg, args))
    stage = Stage("refine-tune", net, args, args.refine_tune_steps, args.refine_tune_lr,
                  fast_params=fast_params)

    def make(rng):
        x, alpha, valid = sampler.batch(rng, args.batch, rs)
        labels = np.stack([coarse_like_label(alpha[i], valid[i], rng, pre["coarse_size"] // 2)
                           for i in range(len(x))])
        use_net = rng.random(len(x)) < args.refine_tune_label_share
        corners = np.array([boundary_crop(alpha[i], rng, crop, args.boundary_crops)
                            for i in range(len(x))])
        return x, labels, alpha, valid, use_net, corners

    def train(sample):
        x, labels, alpha, valid, use_net, corners = sample
        if use_net.any():
            with torch.no_grad():
                scores = infer.coarse_scores(coarse, x[use_net].to(dev), pre)[3]
                labels[use_net] = torch.argmax(scores, 1).float().cpu() * valid[use_net]
        inp = torch.cat([x, labels[:, None]], 1)
        crops = [(inp[i, :, y0:y0 + crop, x0:x0 + crop], alpha[i, y0:y0 + crop, x0:x0 + crop])
                 for i, (y0, x0) in enumerate(corners.tolist())]
        inp, target = (torch.stack(t).to(dev) for t in zip(*crops))
        return refine_loss(net, inp, target)

    torch.set_num_threads(args.refine_tune_threads)
    try:
        stage.run(make, train)
    finally:
        torch.set_num_threads(args.threads)


def final_refine_stage(args):
    return "refine-tune" if args.refine_tune_steps > 0 else "refine"


def network_of(path, cfg, part):
    """The weights of network `part` ("coarse" or "refine") of model file `path`, whose
    config for that network must be cfg's."""
    coarse, refine, theirs = safetensors_io.read_model(path)
    if theirs[part] != cfg[part]:
        raise ValueError("%s: its %s config differs from the training config's" % (path, part))
    state = coarse if part == "coarse" else refine
    net = nets.CoarseNet(cfg) if part == "coarse" else nets.RefineNet(cfg)
    for key in net.state_dict():  # model files leave these counters out
        if key.endswith("num_batches_tracked"):
            state.setdefault(key, torch.zeros((), dtype=torch.long))
    return state


def refiner_of(path, cfg):
    return network_of(path, cfg, "refine")


def coarse_of(path, cfg):
    return network_of(path, cfg, "coarse")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=os.path.join(HERE, "default_config.json"))
    ap.add_argument("--out", default=os.path.join(HERE, "runs", "default"))
    ap.add_argument("--export", help="write the model file here when both stages are done")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--device", default="cpu",
                    help="where the networks train, e.g. cuda; not bit-identical to the CPU")
    ap.add_argument("--workers", type=int, default=0,
                    help="processes that draw samples (0: in order from one stream per stage, "
                         "which the recipe's bits depend on; more: faster, other samples)")
    ap.add_argument("--coarse-steps", type=int, default=5000)
    ap.add_argument("--refine-steps", type=int, default=6500)
    ap.add_argument("--coarse-lr", type=float, default=2e-3)
    ap.add_argument("--encoder-weights", default=os.path.join(
        data.DATA_ROOT, "pretrained", "mobilenet_v2_imagenet_torchvision_fp16.pt"),
        help="ImageNet weights of the config's coarse encoder, if it has one")
    ap.add_argument("--encoder-lr-scale", type=float, default=0.3,
                    help="learning rate of the pretrained encoder against the rest")
    ap.add_argument("--plate-share", type=float, default=0.0,
                    help="coarse stage: share of all-sky samples (sky plates, synthetic skies)")
    ap.add_argument("--bokeh-share", type=float, default=0.0,
                    help="coarse stage: share of sky-free samples made out of focus")
    ap.add_argument("--night-scene", type=float, default=0.0,
                    help="share of night scenes: labelled land darkened, with lamps, under a "
                         "night sky (stars, Milky Way, city glow)")
    ap.add_argument("--night-negatives", type=float, default=0.0,
                    help="share of sky-free pictures at night (dark, with lamps and windows)")
    ap.add_argument("--reflection-share", type=float, default=0.0,
                    help="share of samples with still water below the land mirroring the sky "
                         "(alpha 0 in the water)")
    ap.add_argument("--extra-negatives", metavar="LIST",
                    help="file listing further sky-free pictures (tools/train/"
                         "debian_negatives.txt), added to the sky-free pool")
    ap.add_argument("--hard-negatives", metavar="LIST",
                    help="file listing sky-free pictures drawn as a pool of their own "
                         "(real out-of-focus close-ups)")
    ap.add_argument("--hard-negative-share", type=float, default=0.0,
                    help="coarse stages: share of the sky-free draws taken from "
                         "--hard-negatives")
    ap.add_argument("--night-hard-share", type=float, default=0.0,
                    help="share of the sky-free pictures at night (--night-negatives) taken "
                         "from --hard-negatives")
    ap.add_argument("--night-soft-only", action="store_true",
                    help="the sky-free pictures at night never come from --hard-negatives")
    ap.add_argument("--pseudo-list", metavar="CSV",
                    help="unlabelled photographs with the teachers' sky targets "
                         "(tools/teacher/pseudo_labels.py; columns picture, target, skip)")
    ap.add_argument("--pseudo-repeat", metavar="KIND=N", action="append", default=[],
                    help="draw the --pseudo-list rows of that kind (column kind) N times as "
                         "often; repeatable")
    ap.add_argument("--pseudo-share", type=float, default=0.0,
                    help="coarse stages: share of samples drawn from --pseudo-list")
    ap.add_argument("--clouds-list", metavar="CSV",
                    help="photographs of clouds with the teachers' sky targets, drawn as a pool "
                         "of their own (columns as --pseudo-list)")
    ap.add_argument("--clouds-share", type=float, default=0.0,
                    help="coarse stages: share of samples drawn from --clouds-list")
    ap.add_argument("--real-pair-share", type=float, default=0.0,
                    help="coarse stages: share of samples drawn first as labelled pairs with "
                         "their own sky (no swap, no night look)")
    ap.add_argument("--reflection-shore", type=float, default=0.0,
                    help="least height of the land between the sky and its mirror in the "
                         "water, a share of the picture (0: 4 pixels)")
    ap.add_argument("--night-boost", type=float, default=0.0,
                    help="coarse stage: extra share of samples with the night look")
    ap.add_argument("--coarse-teacher", type=float, default=0.0,
                    help="coarse stage: weight of the teacher's sky probability "
                         "(--teacher-labels) in the targets of labelled pairs")
    ap.add_argument("--export-views", default="",
                    help="comma-separated coarse view sizes written into the exported model "
                         "(each also mirrored) instead of the config's; the first is its "
                         "coarse_size")
    ap.add_argument("--coarse-from", metavar="MODEL",
                    help="start the coarse stage from this model file's coarse net instead of "
                         "ImageNet weights (a chain of recipes)")
    ap.add_argument("--refine-from", metavar="MODEL",
                    help="take the refiner from this model file instead of training one "
                         "(a chain of recipes: its refine config must equal the config's)")
    ap.add_argument("--coarse-tune-steps", type=int, default=1000,
                    help="steps of a second cosine cycle of the coarse net (0: none)")
    ap.add_argument("--coarse-tune-threads", type=int, default=2,
                    help="threads of the second cycle, which mostly runs after the refiner "
                         "has finished; part of the recipe, as the thread count can change "
                         "the low bits")
    ap.add_argument("--coarse-tune-lr", type=float, default=1e-3)
    ap.add_argument("--coarse-tune-negatives", type=float, default=0.2,
                    help="extra share of sky-free samples in the second cycle")
    ap.add_argument("--coarse-tune-teacher", type=float, default=0.0,
                    help="second coarse cycle: weight of the teacher's sky probability "
                         "(--teacher-labels) in the targets of labelled pairs")
    ap.add_argument("--teacher-labels",
                    help="folder of the teacher's sky probabilities of the training pictures "
                         "(NAME.png, tools/teacher/teacher.py -o)")
    ap.add_argument("--coarse-tune-sizes", default="",
                    help="comma-separated coarse canvases: the second cycle trains each batch "
                         "at one of them, drawn at random (default: --coarse-tune-size only)")
    ap.add_argument("--coarse-tune-size", type=int, default=0,
                    help="coarse canvas of the second cycle, and so of inference (0: the "
                         "config's coarse_size, on which the first cycle and the refiner's "
                         "labels are trained)")
    ap.add_argument("--refine-lr", type=float, default=2e-3)
    ap.add_argument("--refine-tune-steps", type=int, default=0,
                    help="steps of a second cosine cycle of the refiner on the final coarse "
                         "net's labels with the config's coarse views (an experiment, off by "
                         "default: 0)")
    ap.add_argument("--refine-tune-lr", type=float, default=5e-4)
    ap.add_argument("--refine-tune-threads", type=int, default=2)
    ap.add_argument("--refine-tune-canvas", type=int, default=0,
                    help="the second refiner cycle's crops are cut from samples fit into this "
                         "square (0: --refine-canvas)")
    ap.add_argument("--refine-tune-label-share", type=float, default=0.75,
                    help="share of the second cycle's samples labelled by the final coarse net")
    ap.add_argument("--refine-crop", type=int, default=256)
    ap.add_argument("--coarse-canvas", type=int, default=512,
                    help="coarse samples are fit into this square, then resized to the coarse "
                         "canvas the way inference resizes its refine canvas; it need not be the "
                         "inference refine canvas, and a small one keeps sampling cheap")
    ap.add_argument("--refine-canvas", type=int, default=512,
                    help="the refiner's crops are cut from samples fit into this square")
    ap.add_argument("--boundary-crops", type=float, default=0.5,
                    help="share of refiner crops centred on the sky boundary")
    ap.add_argument("--coarse-label-share", type=float, default=0.5,
                    help="share of refiner samples labelled by the trained coarse net "
                         "(the rest get degraded ground truth)")
    ap.add_argument("--checkpoint-minutes", type=float, default=3)
    ap.add_argument("--snapshot-every", type=int, default=250,
                    help="coarse steps between the snapshots the refiner takes labels from")
    ap.add_argument("--keep-every", type=int, default=0,
                    help="keep a copy of each stage's checkpoint every N steps in OUT/kept")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--stage", choices=["all", "coarse", "refine", "export"], default="all",
                    help="'coarse' and 'refine' can run side by side (two processes); the "
                         "'refine' process exports once both stages are done; 'export' only "
                         "writes the model of a finished run")
    ap.add_argument("--coarse-label-after", type=float, default=0.3,
                    help="share of the refiner's steps trained on degraded ground truth only, "
                         "before coarse-net labels come in")
    ap.add_argument("--coarse-label-lag", type=float, default=0.8,
                    help="refiner at progress p uses the coarse snapshot at lag x p of the "
                         "coarse steps")
    args = ap.parse_args()
    if (args.coarse_tune_teacher or args.coarse_teacher) and not args.teacher_labels:
        ap.error("--coarse-teacher and --coarse-tune-teacher need --teacher-labels")

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    cv2.setNumThreads(1)
    if args.device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True  # fixed shapes: pick the fastest kernels once
    os.makedirs(args.out, exist_ok=True)
    with open(args.config) as f:
        cfg = json.load(f)
    views = cfg["preprocess"].get("coarse_views")
    if views and coarse_size_at_inference(cfg, args) not in views["sizes"]:
        ap.error("--coarse-tune-size %d is not among the config's coarse_views sizes %s"
                 % (coarse_size_at_inference(cfg, args), views["sizes"]))
    with open(os.path.join(args.out, "args-%s.json" % args.stage), "w") as f:
        json.dump(vars(args), f, indent=1)
    coarse_macs, refine_macs = nets.count_macs(cfg)
    log("config %s: coarse %.3f GMAC, refine %.3f GMAC per matte"
        % (args.config, coarse_macs / 1e9, refine_macs / 1e9))
    t0 = time.time()
    extra = data.read_list(args.extra_negatives) if args.extra_negatives else ()
    try:
        repeats = {k: int(n) for k, n in (r.split("=", 1) for r in args.pseudo_repeat)}
    except ValueError:
        sys.exit("train.py: --pseudo-repeat wants KIND=N, e.g. haze=3")
    pseudo = data.read_pseudo_list(args.pseudo_list, repeats) if args.pseudo_list else ()
    if args.pseudo_share and not pseudo:
        sys.exit("train.py: --pseudo-share needs --pseudo-list")
    clouds = data.read_pseudo_list(args.clouds_list) if args.clouds_list else ()
    if args.clouds_share and not clouds:
        sys.exit("train.py: --clouds-share needs --clouds-list")
    hard = data.read_list(args.hard_negatives) if args.hard_negatives else ()
    if (args.hard_negative_share or args.night_hard_share) and not hard:
        sys.exit("train.py: --hard-negative-share and --night-hard-share need --hard-negatives")
    sampler = data.Sampler(data.Sources(teacher_dir=args.teacher_labels
                                        if args.coarse_tune_teacher or args.coarse_teacher
                                        else None, extra_negatives=extra, pseudo=pseudo,
                                        hard_negatives=hard, clouds=clouds))
    log("data loaded in %.0f s" % (time.time() - t0))

    if args.stage in ("coarse", "all"):
        train_coarse(cfg, sampler, args)
    if args.stage in ("refine", "all") and not args.refine_from:
        train_refine(cfg, sampler, args)
    if args.stage == "coarse":
        return
    coarse, refine = nets.CoarseNet(cfg), nets.RefineNet(cfg)
    coarse.load_state_dict(wait_for_stage(args, final_coarse_stage(args))["net"])
    if args.refine_from:
        refine.load_state_dict(refiner_of(args.refine_from, cfg))
    else:
        refine.load_state_dict(wait_for_stage(args, final_refine_stage(args))["net"])
    coarse.eval()
    refine.eval()
    cfg["preprocess"]["coarse_size"] = coarse_size_at_inference(cfg, args)
    if args.export_views:
        sizes = [int(v) for v in args.export_views.split(",")]
        cfg["preprocess"]["coarse_size"] = sizes[0]
        cfg["preprocess"]["coarse_views"] = {"sizes": sizes, "flip": True}
    torch.save({"config": cfg, "coarse": coarse.state_dict(), "refine": refine.state_dict()},
               os.path.join(args.out, "final.pt"))
    if args.export:
        export.export_model(coarse, refine, cfg, args.export, f16=True)
        log("exported %s (%d bytes)" % (args.export, os.path.getsize(args.export)))


if __name__ == "__main__":
    main()
