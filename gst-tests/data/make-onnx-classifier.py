#!/usr/bin/python3
# gst-omni test helper: builds a small ONNX image classifier with ONNX's
# own Python helpers (Debian's python3-onnx), with its sidecar, as a user
# brings their own model (docs/onnx.md): DIR/model.onnx, model-info.json,
# SHA256SUMS.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: make-onnx-classifier.py DIR
# The network: Conv 3->8 3x3 pad 1 + Relu, MaxPool 2x2, Conv 8->6 3x3
# stride 2 in 2 groups + Relu, depthwise Conv 6 3x3, GlobalAveragePool, Flatten, Gemm
# 6->4, Softmax; input "image" [1, 3, 32, 48], output "scores" [1, 4];
# weights from a fixed seed.
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(out):
    rng = np.random.default_rng(19)

    def w(name, *shape):
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * 0.3).astype(np.float32), name)

    inits = [w('c1w', 8, 3, 3, 3), w('c1b', 8), w('c2w', 6, 4, 3, 3),
             w('c2b', 6), w('dww', 6, 1, 3, 3), w('dwb', 6), w('fcw', 4, 6),
             w('fcb', 4)]
    nodes = [
        helper.make_node('Conv', ['image', 'c1w', 'c1b'], ['c1'],
                         pads=[1, 1, 1, 1]),
        helper.make_node('Relu', ['c1'], ['r1']),
        helper.make_node('MaxPool', ['r1'], ['p1'], kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node('Conv', ['p1', 'c2w', 'c2b'], ['c2'], group=2,
                         pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node('Relu', ['c2'], ['r2']),
        helper.make_node('Conv', ['r2', 'dww', 'dwb'], ['dw'], group=6,
                         pads=[1, 1, 1, 1]),
        helper.make_node('GlobalAveragePool', ['dw'], ['gap']),
        helper.make_node('Flatten', ['gap'], ['flat']),
        helper.make_node('Gemm', ['flat', 'fcw', 'fcb'], ['logits'],
                         transB=1),
        helper.make_node('Softmax', ['logits'], ['scores'], axis=1),
    ]
    graph = helper.make_graph(
        nodes, 'byom-classifier',
        [helper.make_tensor_value_info('image', TensorProto.FLOAT,
                                       [1, 3, 32, 48])],
        [helper.make_tensor_value_info('scores', TensorProto.FLOAT, [1, 4])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid('', 13)])
    onnx.checker.check_model(model)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, 'model.onnx'))
    info = {
        'format': 'omni-model-info',
        'source': 'gst-tests/data/make-onnx-classifier.py',
        'task': 'classification',
        'input': {'width': 48, 'height': 32, 'channels': 3, 'color': 'RGB',
                  'scale': 1 / 255, 'offset': 0},
        'outputs': [{'name': 'scores', 'meaning': 'probabilities'}],
        'labels': ['red', 'green', 'blue', 'grey'],
    }
    with open(os.path.join(out, 'model-info.json'), 'w') as f:
        json.dump(info, f, indent=2)
    with open(os.path.join(out, 'SHA256SUMS'), 'w') as f:
        for name in ('model.onnx', 'model-info.json'):
            with open(os.path.join(out, name), 'rb') as g:
                f.write('%s  %s\n' % (hashlib.sha256(g.read()).hexdigest(),
                                      name))


if __name__ == '__main__':
    main(sys.argv[1])
