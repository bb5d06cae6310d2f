"""Run the pip that Debian's python3-venv ships as a wheel, without installing it.

Usage: VENV/bin/python -c "$(cat pip_from_wheel.py)" install ...
A virtualenv made with `--without-pip` takes 0.1 s instead of ensurepip's 3 s (which
unpacks pip and setuptools into it); uv's virtualenv needs no pip of its own. pip runs
from its wheel as its own __main__ allows (python pip.whl/pip), with the interpreter's
sys.prefix as the target, and reads /etc/pip.conf as an installed pip would.
"""

import glob
import runpy
import sys

WHEELS = sorted(glob.glob("/usr/share/python-wheels/pip-*.whl"))
if not WHEELS:
    sys.exit("no pip wheel in /usr/share/python-wheels: python3-venv (python_packages) brings it")
sys.path.insert(0, WHEELS[-1])
sys.argv[0] = "pip"
runpy.run_module("pip", run_name="__main__", alter_sys=True)
