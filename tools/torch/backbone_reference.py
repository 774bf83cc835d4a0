#!/usr/bin/python3
"""Reference values for the C# backbones (tests/Ich.Pipeline.Tests/Cnn/BackboneReferenceTests.cs).

Run with Debian's python3-torch / python3-torchvision (apt-get install -y python3-torch python3-torchvision):
    /usr/bin/python3 tools/torch/backbone_reference.py tests/fixtures/torch            # names/shapes + logits fixture
    /usr/bin/python3 tools/torch/backbone_reference.py OUT --pth densenet121 ...       # also save state dicts (.pth)

For every backbone it writes <name>.params.tsv (state-dict key, shape; PyTorch order) and, in
backbone_logits.json, the logits and pooled features of a formula-generated 2x3x64x64 input under
formula-generated weights. The weight formula (see fill()) depends only on each tensor's name and
element index, so the C# test regenerates identical weights without any weight file being committed.

torchvision provides resnet18/34 and densenet121/169. SE-ResNeXt101 32x4d has no torchvision model and the
`pretrainedmodels` package is not installable here: it is written below from that package's public
definition (module names layer0.conv1, layerN.M.se_module.fc1, last_linear, ...).
"""
import json
import math
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

MEAN, STD = 0.456, 0.224  # the winning code's normalisation of [0, 1] inputs


class SEModule(nn.Module):
    def __init__(self, channels, reduction):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, channels // reduction, kernel_size=1, padding=0)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(channels // reduction, channels, kernel_size=1, padding=0)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        s = self.sigmoid(self.fc2(self.relu(self.fc1(self.avg_pool(x)))))
        return x * s


class SEResNeXtBottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, groups, reduction, stride=1, downsample=None, base_width=4):
        super().__init__()
        width = math.floor(planes * (base_width / 64)) * groups
        self.conv1 = nn.Conv2d(inplanes, width, kernel_size=1, bias=False, stride=1)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1, groups=groups, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * 4, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.se_module = SEModule(planes * 4, reduction=reduction)
        self.downsample = downsample

    def forward(self, x):
        residual = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            residual = self.downsample(x)
        return self.relu(self.se_module(out) + residual)


class SEResNeXt101(nn.Module):
    """pretrainedmodels.se_resnext101_32x4d body; head as the winning code (AdaptiveAvgPool(1) -> last_linear)."""

    def __init__(self, num_classes=6, layers=(3, 4, 23, 3), groups=32, reduction=16):
        super().__init__()
        self.inplanes = 64
        self.layer0 = nn.Sequential(OrderedDict([
            ('conv1', nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)),
            ('bn1', nn.BatchNorm2d(64)),
            ('relu1', nn.ReLU(inplace=True)),
            ('pool', nn.MaxPool2d(3, stride=2, ceil_mode=True)),
        ]))
        self.layer1 = self._make_layer(64, layers[0], groups, reduction, 1)
        self.layer2 = self._make_layer(128, layers[1], groups, reduction, 2)
        self.layer3 = self._make_layer(256, layers[2], groups, reduction, 2)
        self.layer4 = self._make_layer(512, layers[3], groups, reduction, 2)
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.last_linear = nn.Linear(512 * 4, num_classes)

    def _make_layer(self, planes, blocks, groups, reduction, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * 4:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * 4, kernel_size=1, stride=stride, padding=0, bias=False),
                nn.BatchNorm2d(planes * 4))
        layers = [SEResNeXtBottleneck(self.inplanes, planes, groups, reduction, stride, downsample)]
        self.inplanes = planes * 4
        for _ in range(1, blocks):
            layers.append(SEResNeXtBottleneck(self.inplanes, planes, groups, reduction))
        return nn.Sequential(*layers)

    def features(self, x):
        return self.layer4(self.layer3(self.layer2(self.layer1(self.layer0(x)))))

    def head(self, f):
        pooled = self.avg_pool(f).flatten(1)
        return self.last_linear(pooled), pooled


def build(name):
    if name in ('resnet18', 'resnet34'):
        return getattr(torchvision.models, name)(num_classes=6)
    if name in ('densenet121', 'densenet169'):
        return getattr(torchvision.models, name)(num_classes=6)
    if name == 'se_resnext101_32x4d':
        return SEResNeXt101()
    raise ValueError(name)


def logits_and_features(name, model, x):
    x = (x - MEAN) / STD
    if name.startswith('resnet'):
        m = model
        f = m.layer4(m.layer3(m.layer2(m.layer1(m.maxpool(m.relu(m.bn1(m.conv1(x))))))))
        pooled = torch.flatten(m.avgpool(f), 1)
        return m.fc(pooled), pooled
    if name.startswith('densenet'):
        f = F.relu(model.features(x))
        pooled = torch.flatten(F.adaptive_avg_pool2d(f, 1), 1)
        return model.classifier(pooled), pooled
    return model.head(model.features(x))


def name_offset(key):
    """Per-tensor phase in [0, 2*pi) from the key's characters (same formula in C#)."""
    acc = 0
    for i, ch in enumerate(key):
        acc = (acc + (i + 1) * ord(ch)) % 100003
    return (acc % 1000) / 1000.0 * 2.0 * math.pi


def fill(key, shape):
    """Deterministic weights: a sine of the element index, scaled by tensor role (same formula in C#)."""
    n = 1
    for d in shape:
        n *= d
    k = torch.arange(n, dtype=torch.float64)
    u = torch.sin(0.7 * k + name_offset(key))
    leaf = key.rsplit('.', 1)[-1]
    if leaf == 'num_batches_tracked':
        return torch.zeros((), dtype=torch.int64)
    if leaf == 'running_mean':
        v = 0.05 * u
    elif leaf == 'running_var':
        v = 1.0 + 0.2 * u.abs()
    elif leaf == 'weight' and len(shape) == 1:   # BatchNorm gamma
        v = 0.5 + 0.1 * u
    elif leaf == 'bias':
        v = 0.02 * u
    else:                                          # conv / linear weight: He-like scale on fan-in
        fan_in = n // shape[0]
        v = u * math.sqrt(1.0 / fan_in)
    return v.to(torch.float32).reshape(shape)


def make_input():
    n = 2 * 3 * 64 * 64
    k = torch.arange(n, dtype=torch.float64)
    return (0.5 + 0.5 * torch.sin(0.01 * k + 0.3)).to(torch.float32).reshape(2, 3, 64, 64)


def main():
    out = sys.argv[1]
    pth = sys.argv[sys.argv.index('--pth') + 1:] if '--pth' in sys.argv else []
    names = pth or ['resnet18', 'resnet34', 'densenet121', 'densenet169', 'se_resnext101_32x4d']
    torch.set_num_threads(2)
    x = make_input()
    result = {'input': '0.5 + 0.5*sin(0.01*k + 0.3), k = flat index of [2,3,64,64]', 'torch': torch.__version__, 'models': {}}
    for name in names:
        model = build(name).eval()
        sd = model.state_dict()
        model.load_state_dict(OrderedDict((k, fill(k, tuple(v.shape))) for k, v in sd.items()), strict=True)
        with torch.no_grad():
            logits, pooled = logits_and_features(name, model, x)
        if pth:
            torch.save(model.state_dict(), f'{out}/{name}.pth')
            continue
        with open(f'{out}/{name}.params.tsv', 'w') as f:
            for k, v in sd.items():
                f.write(f"{k}\t{','.join(str(d) for d in v.shape)}\n")
        result['models'][name] = {
            'logits': logits.tolist(),
            'features_dim': pooled.shape[1],
            'features_first16': pooled[:, :16].tolist(),
            'features_sum': pooled.double().sum(1).tolist(),
        }
        print(name, len(sd), 'tensors', logits[0].tolist(), flush=True)
    if not pth:
        with open(f'{out}/backbone_logits.json', 'w') as f:
            json.dump(result, f, indent=1)


if __name__ == '__main__':
    main()
