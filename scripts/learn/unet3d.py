"""The shipped networks' shape: a small 3D U-Net after nnU-Net (tumour and brain models).

Four resolutions (2, 4, 8, 16 mm at the 2 mm working spacing), two 3x3x3
convolutions per stage with batch normalisation and leaky ReLU, strided
convolutions down, transposed convolutions up, skip connections, and a 1x1x1
head with one logit per nested BraTS region (WT, TC, ET: sigmoid outputs, as
nnU-Net trains BraTS). Channels are kept small (base 8 or 12) so that five
folds x eight mirrorings run in about a minute on two CPU cores.
"""
import torch
from torch import nn


def norm_layer(kind, channels):
    # Batch norm: its statistics are fixed at inference, so the network gives the same answer on a small
    # training patch and on a whole brain, and the sliding window can use one large patch (fast on a CPU).
    # Instance norm (nnU-Net's choice) ties the answer to the patch it normalises over.
    return nn.BatchNorm3d(channels) if kind == "batch" else nn.InstanceNorm3d(channels, affine=True)


def conv_block(c_in, c_out, norm):
    return nn.Sequential(
        nn.Conv3d(c_in, c_out, 3, padding=1), norm_layer(norm, c_out), nn.LeakyReLU(0.01, inplace=True),
        nn.Conv3d(c_out, c_out, 3, padding=1), norm_layer(norm, c_out), nn.LeakyReLU(0.01, inplace=True))


class UNet3D(nn.Module):
    def __init__(self, in_channels=4, out_channels=3, base=8, depth=4, norm="batch"):
        super().__init__()
        widths = [base * 2 ** i for i in range(depth)]
        self.encoders = nn.ModuleList([conv_block(in_channels, widths[0], norm)] +
                                      [conv_block(widths[i], widths[i + 1], norm) for i in range(depth - 1)])
        self.downs = nn.ModuleList([nn.Conv3d(widths[i], widths[i], 2, stride=2) for i in range(depth - 1)])
        self.ups = nn.ModuleList([nn.ConvTranspose3d(widths[i + 1], widths[i], 2, stride=2) for i in range(depth - 1)])
        self.decoders = nn.ModuleList([conv_block(2 * widths[i], widths[i], norm) for i in range(depth - 1)])
        self.head = nn.Conv3d(widths[0], out_channels, 1)

    def forward(self, x):
        skips = []
        for encoder, down in zip(self.encoders[:-1], self.downs):
            x = encoder(x)
            skips.append(x)
            x = down(x)
        x = self.encoders[-1](x)
        for i in range(len(self.ups) - 1, -1, -1):
            x = self.decoders[i](torch.cat([self.ups[i](x), skips[i]], dim=1))
        return self.head(x)
