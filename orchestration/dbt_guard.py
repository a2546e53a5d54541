"""Start a command (dbt) so that the kernel kills it when the process that started it dies.

dagster-dbt starts `dbt` with a plain `subprocess.Popen`, which offers no hook to run in the
child. A refresh killed with SIGKILL runs no cleanup, so without this its dbt process lived on,
writing the warehouse beside the next refresh. Linux's `prctl(PR_SET_PDEATHSIG)` asks the kernel
to send SIGKILL to this process when its parent ends, and survives the `exec` into dbt. Run by
`orchestration/bin/dbt` as `python dbt_guard.py PARENT_PID COMMAND...`; a plain script, no imports
of the project, because dbt runs from the dbt project's folder.
"""
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def main(argv: list[str]) -> None:
    parent, command = int(argv[0]), argv[1:]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # the parent died before the request took effect
            sys.exit(f"{command[0]} not started: the process that started it (pid {parent}) is gone")
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
