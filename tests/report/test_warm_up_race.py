"""The report's matplotlib warm-up thread and MediaPipe's import of pyplot in another thread
(`liftrisk assess VIDEO` starts both at once) must not race."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import threading
errs = []
threading.excepthook = lambda a: errs.append(repr(a.exc_value))
from liftrisk.report import warm_up
t = threading.Thread(target=lambda: __import__("mediapipe"))
t.start()
w = warm_up()
t.join()
w.join()
import matplotlib
print(errs, matplotlib.get_backend().lower())
"""


def test_warm_up_while_mediapipe_imports_pyplot():
    # before the fix: AttributeError "partially initialized module 'matplotlib.pyplot'" in the
    # warm-up thread, printed as a traceback on the terminal
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[] agg"
