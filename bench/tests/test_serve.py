"""The bench's server stack never outlives the script that started it."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent

STARTER = """
import sys
sys.path.insert(0, {bench!r})
import serve
stack = serve.ServerStack(serve.ServeConfig(database_url="sqlite:////tmp/unused.sqlite3", redis_url=None))
print(stack._spawn(["sleep", "60"], "probe").pid, flush=True)
import time
time.sleep(60)
"""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_server_started_by_a_killed_script_is_terminated():
    script = subprocess.Popen([sys.executable, "-c", STARTER.format(bench=str(BENCH))], stdout=subprocess.PIPE, text=True)
    server = int(script.stdout.readline())
    assert alive(server)

    script.send_signal(signal.SIGKILL)  # what a timeout does: no finally, no stop()
    script.wait()

    deadline = time.monotonic() + 5
    while alive(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server)
