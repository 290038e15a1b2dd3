"""Test support for your own tests: the pytest plugin (`plugin.py`, loaded through the `pytest11` entry point) and
the in-process back office it is built on. Importing this package imports nothing else."""
