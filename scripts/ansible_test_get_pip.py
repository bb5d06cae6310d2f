"""A stand-in for the pip bootstrap script ansible-test downloads into each of its virtualenvs.

Its download site (ci-files.testing.ansible.com) is out of reach here, so
scripts/sanity.sh saves this file where ansible-test looks for its cached copy. It does
what get-pip.py does: pip in the running (empty) virtualenv, from Python's own ensurepip,
then the packages asked for (pip==<version>), from the index pip is configured with.
"""

import ensurepip
import os
import subprocess
import sys

# get-pip.py's own flags, which `pip install` does not know.
OWN_FLAGS = {"--no-setuptools", "--no-wheel"}

# The system's CA bundle (a TLS-inspecting proxy's CA is there): the pip ensurepip brings
# trusts only its own; the pip it installs (24.2+) uses the system's store by itself.
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"

ensurepip.bootstrap()
cert = ["--cert", CA_BUNDLE] if os.path.exists(CA_BUNDLE) else []
subprocess.check_call([sys.executable, "-m", "pip", "install", *cert, *[a for a in sys.argv[1:] if a not in OWN_FLAGS]])
