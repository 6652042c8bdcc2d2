"""PyTorch reference for `npm run bench -- train|embed`: the same autoencoder
as src/main/stages/train/autoencoder.ts (same layers, kernel sizes, strides, batch and
input), trained and run on random pixels with 2 threads. Prints one JSON line.

usage: python3 torch_autoencoder.py train|embed SIZE CHANNELS LATENT BATCH SECONDS
"""
import json
import sys
import time

import torch
from torch import nn

FILTERS = [16, 32, 64, 64]
UP_KERNEL = 4  # must match UP_KERNEL in autoencoder.ts


def build(size, channels, latent):
    enc, c = [], channels
    for f in FILTERS:
        enc += [nn.Conv2d(c, f, 3, stride=2, padding=1), nn.ReLU()]
        c = f
    bottom = size // 2 ** len(FILTERS)
    encoder = nn.Sequential(*enc, nn.Flatten(), nn.Linear(bottom * bottom * c, latent))
    dec = [nn.Linear(latent, bottom * bottom * c), nn.ReLU(), nn.Unflatten(1, (c, bottom, bottom))]
    ups = FILTERS[:-1][::-1] + [channels]
    for i, f in enumerate(ups):
        dec += [nn.ConvTranspose2d(c, f, UP_KERNEL, stride=2, padding=1), nn.Sigmoid() if i == len(ups) - 1 else nn.ReLU()]
        c = f
    return encoder, nn.Sequential(*dec)


def main():
    mode, size, channels, latent, batch, seconds = sys.argv[1], *map(int, sys.argv[2:6]), float(sys.argv[6])
    torch.set_num_threads(2)
    torch.manual_seed(1)
    encoder, decoder = build(size, channels, latent)
    x = torch.rand(batch, channels, size, size)
    assert decoder(encoder(x)).shape == x.shape
    if mode == 'train':
        opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3)

        def step():
            opt.zero_grad()
            loss = nn.functional.mse_loss(decoder(encoder(x)), x)
            loss.backward()
            opt.step()
    else:
        encoder.eval()

        def step():
            with torch.no_grad():
                encoder(x)
    for _ in range(3):
        step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({'imagesPerSecond': n * batch / elapsed, 'threads': torch.get_num_threads(), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
