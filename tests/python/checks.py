"""The small harness of the Python tests: named checks that all run, and a summary exit code."""
import subprocess
import sys

failures = 0


def check(condition, what):
    """Prints `what` as ok or FAIL; a failure is counted, the test goes on."""
    global failures
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures += 1


def run(*args):
    """Runs a command and returns its CompletedProcess (text output captured)."""
    return subprocess.run(list(args), capture_output=True, text=True)


def finish():
    """Prints the number of failures and exits 1 if there were any."""
    print("%d failure(s)" % failures)
    sys.exit(1 if failures else 0)
