"""python3 -m analysis.explorer [--port 8765] [--host 127.0.0.1] (or scripts/explore)."""
import argparse

from .server import serve


def main(argv=None):
    ap = argparse.ArgumentParser(prog="scripts/explore",
                                 description="Start the what-if explorer, a local web app.")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: only this machine can connect)")
    ap.add_argument("--port", type=int, default=8765, help="port (0: any free port)")
    ap.add_argument("--engine", help="the trustsim program (default build/trustsim)")
    args = ap.parse_args(argv)
    serve(args.host, args.port, args.engine)


if __name__ == "__main__":
    main()
