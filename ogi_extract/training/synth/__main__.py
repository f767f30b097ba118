"""python -m ogi_extract.training.synth --n N --out DIR [--seed S] [--workers W]: random labeled reports."""

from ogi_extract.training.synth.generate import main

main()
