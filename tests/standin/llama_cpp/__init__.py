"""Stand-in for llama-cpp-python in process-lifecycle tests only.

The lifecycle tests check what happens to the server *process* when the CLI is interrupted,
killed or sees the server crash; they need a child that behaves like the server on the
network (answers /v1/models, holds a chat request open) without a 4-minute native build or a
gigabyte model in the test install. Everything that depends on real model output is tested
from cassettes recorded against the real server instead.
"""
