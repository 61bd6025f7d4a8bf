"""Framing of protocol.proto's messages: a 4-byte little-endian length, then the message."""

import os
import struct
import sys

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 256 << 20


def _import_pb2():
    """protocol_pb2 from this folder (the build's copy), or from the build tree of a checkout."""
    try:
        from . import protocol_pb2  # noqa: F401  (the build's copy of the package)
        return protocol_pb2
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("CLUSTERSIM_BUILD", ""),
                  os.path.join(here, "..", "..", "build")]
    for build in candidates:
        folder = os.path.join(build, "python", "clustersim")
        if build and os.path.exists(os.path.join(folder, "protocol_pb2.py")):
            import importlib.util
            spec = importlib.util.spec_from_file_location(
                "clustersim.protocol_pb2", os.path.join(folder, "protocol_pb2.py"))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    sys.exit("clustersim: cannot import protocol_pb2 (Debian's python3-protobuf, built by "
             "cmake --build build); run under /usr/bin/python3 or set CLUSTERSIM_BUILD")


pb = _import_pb2()


class Connection:
    """The policy's end of the two pipes: reads ToPolicy from fd 3, writes FromPolicy to fd 4."""

    def __init__(self, read_fd=3, write_fd=4):
        self._in = os.fdopen(read_fd, "rb", buffering=1 << 16)
        self._out = os.fdopen(write_fd, "wb", buffering=0)

    def receive(self):
        """The next ToPolicy message, or None when the simulator closed the pipe."""
        header = self._in.read(4)
        if len(header) < 4:
            return None
        (n,) = struct.unpack("<I", header)
        if n > MAX_MESSAGE_BYTES:
            raise ValueError(f"a frame of {n} bytes")
        body = self._in.read(n)
        if len(body) < n:
            return None
        message = pb.ToPolicy()
        message.ParseFromString(body)
        return message

    def send(self, message):
        body = message.SerializeToString()
        self._out.write(struct.pack("<I", len(body)) + body)
