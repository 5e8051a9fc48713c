"""Writes a copy of a model card that runs one network only (one fold of a
cross-validated ensemble), so that a case is run by the fold that never saw it.
Usage: fold_card.py CARD MODEL OUT   (MODEL: the TorchScript file, absolute or
relative to OUT's folder)."""
import json
import sys

card, model, out = sys.argv[1:4]
c = json.load(open(card))
c["models"] = [model]
json.dump(c, open(out, "w"))
