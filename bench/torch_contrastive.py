"""PyTorch reference for the contrastive variant of `npm run bench -- train`: the
same encoder as torch_autoencoder.py (src/main/stages/train/autoencoder.ts), the
projection head of contrastive-model.ts (latent -> 128 ReLU -> 64), NT-Xent at
temperature 0.5 within each half of the batch (contrastive-trainee.ts), and the
augmentations of augment.ts as tensor operations (zoom and shift by an
axis-aligned affine grid, contrast, brightness, gamma, a 3x3 box blur with
probability 0.5, Gaussian noise), two views per image.

`make_train_step(size, channels, latent, batch)` returns one training step on
a fixed batch of random pixels; train-bench.ts times it with 2 threads.
"""
import runpy
import os

import torch
from torch import nn

TEMPERATURE = 0.5
PROJECTION_HIDDEN = 128
PROJECTION_DIM = 64
BRIGHTNESS, CONTRAST, GAMMA, BLUR, NOISE, SHIFT, ZOOM = 0.2, 0.3, 0.4, 0.5, 0.03, 0.08, 0.12


def augment(x):
    n = x.shape[0]
    u = lambda r: (torch.rand(n) * 2 - 1) * r
    zoom = 1 + u(ZOOM)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = 1 / zoom
    theta[:, 1, 1] = 1 / zoom
    theta[:, 0, 2] = -2 * u(SHIFT)
    theta[:, 1, 2] = -2 * u(SHIFT)
    grid = nn.functional.affine_grid(theta, list(x.shape), align_corners=False)
    v = nn.functional.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    gamma = torch.exp(u(torch.log(torch.tensor(1 + GAMMA)))).view(n, 1, 1, 1)
    mean = v.mean(dim=(1, 2, 3), keepdim=True)
    v = ((v - mean) * (1 + u(CONTRAST)).view(n, 1, 1, 1) + mean + u(BRIGHTNESS).view(n, 1, 1, 1)).clamp(0, 1) ** gamma
    blurred = nn.functional.avg_pool2d(nn.functional.pad(v, (1, 1, 1, 1), mode='replicate'), 3, stride=1)
    v = torch.where((torch.rand(n) < BLUR).view(n, 1, 1, 1), blurred, v)
    v = (v + torch.randn_like(v) * (torch.rand(n) * NOISE).view(n, 1, 1, 1)).clamp(0, 1)
    return v


def nt_xent(a, b):
    n = a.shape[0]
    z = nn.functional.normalize(torch.cat([a, b]), dim=1)
    logits = z @ z.t() / TEMPERATURE - torch.eye(2 * n) * 1e9
    partner = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return nn.functional.cross_entropy(logits, partner)


def make_train_step(size, channels, latent, batch):
    build = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'torch_autoencoder.py'), run_name='torch_reference')['build']
    encoder, _ = build(size, channels, latent)
    head = nn.Sequential(nn.Linear(latent, PROJECTION_HIDDEN), nn.ReLU(), nn.Linear(PROJECTION_HIDDEN, PROJECTION_DIM))
    opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-3)
    x = torch.rand(batch, channels, size, size)
    half = (batch + 1) // 2

    def step():
        opt.zero_grad()
        loss = 0
        for lo, hi in ((0, half), (half, batch)):
            if hi <= lo:
                continue
            rows = x[lo:hi]
            z = head(encoder(torch.cat([augment(rows), augment(rows)])))
            loss = loss + nt_xent(z[: hi - lo], z[hi - lo:]) * (hi - lo) / batch
        loss.backward()
        opt.step()

    return step
